/**
 * schema.graphql and src/ontology.ts name the same things: every enum the API shows and the
 * allowlist the graph stores must have the same members, so neither can gain or lose a value alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, GraphQLEnumType } from 'graphql';
import { CONFLICT_FIELDS } from '../../src/claims';
import { IN_FORCE } from '../../src/db/filters';
import { DOMAINS, ENTITY_KINDS, LINK_KINDS, PRECISIONS, RELATION_TYPES, ROLES, STATUSES } from '../../src/ontology';
import { resolvers } from '../../src/resolvers';

const schema = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', 'schema.graphql'), 'utf8'));

function values(name: string): string[] {
  const type = schema.getType(name);
  if (!(type instanceof GraphQLEnumType)) throw new Error(`schema.graphql has no enum ${name}`);
  return type.getValues().map((value) => value.name);
}

describe('schema.graphql and src/ontology.ts', () => {
  it.each([
    ['RelationType', RELATION_TYPES],
    ['Role', ROLES],
    ['Status', STATUSES],
    ['Domain', DOMAINS],
    ['DatePrecision', PRECISIONS],
    ['LinkKind', LINK_KINDS],
    ['InForce', IN_FORCE],
  ])('enum %s has the ontology\'s members, in its order', (name, members) => {
    expect(values(name)).toEqual([...members]);
  });

  it('enum EntityKind is the entity labels, upper-cased', () => {
    expect(values('EntityKind')).toEqual(ENTITY_KINDS.map((kind) => kind.toUpperCase()));
  });

  it('enum ConflictField is the fields src/claims.ts compares, upper-cased', () => {
    expect(values('ConflictField')).toEqual(CONFLICT_FIELDS.map((field) => field.toUpperCase()));
  });

  it("the resolvers give EntityKind and ConflictField the code's values, so arguments arrive as labels", () => {
    expect(resolvers.EntityKind).toEqual({
      COUNTRY: 'Country',
      ORGANISATION: 'Organisation',
      UNIT: 'Unit',
      INITIATIVE: 'Initiative',
      PERSON: 'Person',
      EVENT: 'Event',
      PLACE: 'Place',
    });
    expect(resolvers.ConflictField).toEqual({ STATUS: 'status', START: 'start', END: 'end', TITLE: 'title' });
  });
});
