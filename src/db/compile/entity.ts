/**
 * An Entity (any of its seven types) as one Cypher map: its record (records.ts
 * entityProjection) and, under COMPILED, what the selection asks of it below.
 */
import { entityProjection, type EntityRecord } from '../records';
import { isRelationType } from '../../ontology';
import { inForceCypher } from '../filters';
import { filterOf, typesOf } from './args';
import { factMap } from './fact';
import { QueryBuilder, compiledEntry } from './query';
import { fieldsOn, runtimeTypes, signature, type Field, type Position } from './selection';
import { sourceMap } from './source';

/**
 * The record columns each field reads (its own resolver, or graphql-js's default one); id and
 * kind are always read (the type is resolved from the kind). Fields not named need none.
 */
const NEEDS: Record<string, ReadonlyArray<keyof EntityRecord>> = {
  subtype: ['subtype'],
  name: ['name'],
  aliases: ['aliases'],
  referenceAliases: ['referenceAliases'],
  wikidata: ['wikidata'],
  code: ['iso3166'],
  belongsTo: ['belongsTo'],
};

/** The columns of an entity's record that `fields` (and `also`) read. */
function columnsFor(fields: readonly Field[], also: ReadonlyArray<keyof EntityRecord>): Array<keyof EntityRecord> {
  return [...new Set<keyof EntityRecord>(['id', 'kind', ...also, ...fields.flatMap((field) => NEEDS[field.name] ?? [])])];
}

/**
 * The map of the entity bound to `v`, for the selection at `position`: the record columns it
 * reads, and its nested fields under COMPILED. `also` names columns the caller reads itself.
 */
export function entityMap(q: QueryBuilder, v: string, position: Position, also: ReadonlyArray<keyof EntityRecord> = []): string {
  const maps = selectionGroups(position).map((group) => ({ kinds: group.kinds, map: entityProjection(v, compiledEntry(entityFields(q, v, group.fields)), columnsFor(group.fields, also)) }));
  if (maps.length === 1) return (maps[0] as { map: string }).map;
  // An entity's kind property is its type's name (Country, ...).
  return `CASE ${maps.map((m) => `WHEN ${v}.kind IN ${q.param(m.kinds)} THEN ${m.map}`).join(' ')} END`;
}

/** The entity's selection, one group per distinct selection: fragments on Country or Event select differently by kind. */
function selectionGroups(position: Position): Array<{ kinds: string[]; fields: Field[] }> {
  const groups = new Map<string, { kinds: string[]; fields: Field[] }>();
  for (const type of runtimeTypes(position)) {
    const fields = fieldsOn(position, type);
    const key = signature(fields);
    const group = groups.get(key) ?? { kinds: [], fields };
    group.kinds.push(type.name);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The fields whose compiled answer is a list that can be long. */
const LIST_FIELDS: ReadonlySet<string> = new Set(['members', 'bodies', 'memberEntities', 'facts', 'sources']);

/**
 * entityMap() with the entity's list-valued fields (facts, members, ...) apart, as [response
 * key, list expression], so that a root can send them through spreadLists(); null
 * when the selection differs by kind (one map per kind), which then stays one map.
 */
export function entityMapApart(q: QueryBuilder, v: string, position: Position): { map: string; lists: Array<[string, string]> } | null {
  const groups = selectionGroups(position);
  if (groups.length !== 1) return null;
  const fields = (groups[0] as { fields: Field[] }).fields;
  const kept: Array<[string, string]> = [];
  const lists: Array<[string, string]> = [];
  for (const field of fields) {
    const expr = entityField(q, v, field);
    if (expr !== null) (LIST_FIELDS.has(field.name) ? lists : kept).push([field.key, expr]);
  }
  return { map: entityProjection(v, compiledEntry(kept), columnsFor(fields, [])), lists };
}

function entityFields(q: QueryBuilder, v: string, fields: readonly Field[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const field of fields) {
    const expr = entityField(q, v, field);
    if (expr !== null) out.push([field.key, expr]);
  }
  return out;
}

/** The Cypher of one field of the entity `v`, or null when it is left to its resolver. */
function entityField(q: QueryBuilder, v: string, field: Field): string | null {
  const x = q.variable('e');
  switch (field.name) {
    case 'belongsTo':
      return `COLLECT { MATCH (${x}:Entity {id: ${v}.belongsTo}) RETURN ${entityMap(q, x, field.below)} }[0]`;
    case 'members':
    case 'bodies':
      return `COLLECT { MATCH (${x}:Entity)-[:BELONGS_TO]->(${v}) WITH ${x} ORDER BY ${x}.id RETURN ${entityMap(q, x, field.below)} }`;
    case 'memberEntities': {
      const r = q.variable('r');
      return `COLLECT { MATCH (${x}:Entity)-[${r}:MEMBER_OF]->(${v}) WHERE ${q.predicate(r, filterOf(field.args))}
        WITH DISTINCT ${x} ORDER BY ${x}.id RETURN ${entityMap(q, x, field.below)} }`;
    }
    case 'facts':
      return entityFacts(q, v, field);
    case 'factCounts':
      // With knownOn a fact is counted by the view known that day (filters.ts countedViewCypher): left to its loader.
      return filterOf(field.args).knownOn === null ? entityFactTally(q, v, field) : null;
    case 'sources': {
      const c = q.variable('c');
      const id = q.variable('sid');
      const s = q.variable('s');
      return `COLLECT { UNWIND coalesce(${v}.definedBy, []) + COLLECT { MATCH (${v})<-[:SUBJECT|OBJECT]-(:Fact)-[:CLAIMED_IN]->(${c}:Claim) RETURN DISTINCT ${c}.source } AS ${id}
        WITH DISTINCT ${id} MATCH (${s}:Source {id: ${id}}) WITH ${s} ORDER BY ${s}.publishedLatest, ${s}.id RETURN ${sourceMap(q, s, field.below)} }`;
    }
    case 'date': {
      // Event.date: the starts of its facts of any status, in the order of its facts (TS picks the earliest).
      const f = q.variable('f');
      return `COLLECT { MATCH (${v})<-[:SUBJECT|OBJECT]-(${f}:Fact) WHERE ${f}.startValue IS NOT NULL WITH DISTINCT ${f} ORDER BY ${f}.inForceFrom, ${f}.id
        RETURN { text: ${f}.startText, value: ${f}.startValue, precision: ${f}.startPrecision, earliest: toString(${f}.startEarliest), latest: toString(${f}.startLatest) } }`;
    }
    case 'place': {
      // Event.place: the ends of its LOCATED_IN (as subject) and HOSTS (as object) facts, in the order of its facts.
      const f = q.variable('f');
      const located = q.param('LOCATED_IN');
      const hosts = q.param('HOSTS');
      return `COLLECT { MATCH (${v})<-[:SUBJECT|OBJECT]-(${f}:Fact) WHERE (${f}.type = ${located} AND ${f}.subject = ${v}.id) OR (${f}.type = ${hosts} AND ${f}.object = ${v}.id)
        WITH DISTINCT ${f} ORDER BY ${f}.inForceFrom, ${f}.id
        MATCH (${x}:Entity {id: CASE WHEN ${f}.type = ${located} THEN ${f}.object ELSE ${f}.subject END})
        RETURN { type: ${f}.type, entity: ${entityMap(q, x, field.below)} } }`;
    }
    default:
      return null;
  }
}

/** Entity.facts: as FACTS_OF_ENTITIES (or, with includeBodies, FACTS_OF_ENTITIES_AND_BODIES) for one entity. */
function entityFacts(q: QueryBuilder, v: string, field: Field): string {
  const filter = filterOf(field.args);
  const types = typesOf(field.args);
  const f = q.variable('f');
  if (field.args.includeBodies !== true && types !== null && types.length > 0 && types.every(isRelationType)) {
    // With types, from the entity's direct edges of those types (one per fact, carrying what the
    // filter reads: src/db/ingest.ts): no expansion of its facts of every other type.
    const r = q.variable('r');
    const id = q.variable('id');
    return `COLLECT { MATCH (${v})-[${r}:${types.join('|')}]-(:Entity) WHERE ${q.predicate(r, filter)}
      WITH DISTINCT ${r}.factId AS ${id} MATCH (${f}:Fact {id: ${id}}) WITH ${f} ORDER BY ${f}.inForceFrom, ${f}.id
      RETURN ${factMap(q, f, field.below, { knownOn: filter.knownOn, via: null })} }`;
  }
  const where = `${q.predicate(f, filter)}${types === null ? '' : ` AND ${f}.type IN ${q.param(types)}`}`;
  if (field.args.includeBodies !== true) {
    return `COLLECT { MATCH (${v})<-[:SUBJECT|OBJECT]-(${f}:Fact) WHERE ${where}
      WITH DISTINCT ${f} ORDER BY ${f}.inForceFrom, ${f}.id RETURN ${factMap(q, f, field.below, { knownOn: filter.knownOn, via: null })} }`;
  }
  // A fact about the entity itself is its own (via null); else it is via the first of its bodies by id.
  const a = q.variable('a');
  const [b, own, body] = [q.variable('b'), q.variable('own'), q.variable('body')];
  const via = `CASE WHEN EXISTS { (${f})-[:SUBJECT|OBJECT]->(${v}) } THEN null ELSE COLLECT { MATCH (${f})-[:SUBJECT|OBJECT]->(${body}:Entity)-[:BELONGS_TO]->(${v}) RETURN ${body}.id AS ${own} ORDER BY ${own} LIMIT 1 }[0] END`;
  return `COLLECT { UNWIND [${v}] + ${bodiesOf(v, b)} AS ${a} MATCH (${a})<-[:SUBJECT|OBJECT]-(${f}:Fact) WHERE ${where}
      WITH DISTINCT ${f} ORDER BY ${f}.inForceFrom, ${f}.id
      RETURN ${factMap(q, f, field.below, { knownOn: filter.knownOn, via })} }`;
}

/**
 * The entities that belong to `v`, as a list. Written without aggregating functions, as is every
 * nested subquery here: Neo4j 5.26 refuses an aggregation inside a COLLECT {} that stands in a
 * map projection ("implicit grouping expressions").
 */
function bodiesOf(v: string, b: string): string {
  return `COLLECT { MATCH (${b}:Entity)-[:BELONGS_TO]->(${v}) RETURN ${b} }`;
}

/** Entity.factCounts: the groups FACT_TALLY_OF_ENTITIES counts, for one entity. */
function entityFactTally(q: QueryBuilder, v: string, field: Field): string {
  const filter = filterOf(field.args);
  const names = q.filter(filter);
  const types = typesOf(field.args);
  const f = q.variable('f');
  const a = q.variable('a');
  const actors = field.args.includeBodies === true ? `[${v}] + ${bodiesOf(v, q.variable('b'))}` : `[${v}]`;
  const [status, shown, inForce, inDomain] = [q.variable('status'), q.variable('shown'), q.variable('inForce'), q.variable('inDomain')];
  // One group per fact (n: 1), summed by factCounts(): counting here would be an aggregation.
  return `COLLECT { UNWIND ${actors} AS ${a} MATCH (${a})<-[:SUBJECT|OBJECT]-(${f}:Fact)${types === null ? '' : ` WHERE ${f}.type IN ${q.param(types)}`}
      WITH DISTINCT ${f}
      WITH ${f}.status AS ${status}, ${q.predicate(f, filter)} AS ${shown},
        ${filter.asOf === null ? 'null' : inForceCypher(f, `date(${names.asOf})`)} AS ${inForce},
        ${filter.domain === null ? 'true' : `${names.domain} IN ${f}.domains`} AS ${inDomain}
      RETURN { status: ${status}, inForce: ${inForce}, shown: ${shown}, inDomain: ${inDomain}, n: 1 } }`;
}
