/**
 * src/jit.ts without a database: which operations graphql-jit may compile. Each field below an
 * interface compiles once per implementing type, so nesting entity fields multiplies the code;
 * past JIT_MAX_EXPANSION an operation runs under graphql-js instead.
 */
import fs from 'node:fs';
import { buildSchema, parse } from 'graphql';
import { expansion, JIT_MAX_EXPANSION } from '../../src/jit';
import { SCHEMA_FILE } from '../../src/paths';

const schema = buildSchema(fs.readFileSync(SCHEMA_FILE, 'utf8'));
const count = (query: string, operationName?: string) => expansion(schema, parse(query), operationName, Number.MAX_SAFE_INTEGER);
const belongsTo = (levels: number) => `{ entity(id: "x") { ${'belongsTo { '.repeat(levels)}id${' }'.repeat(levels)} } }`;
const ENTITY_TYPES = schema.getPossibleTypes(schema.getType('Entity') as never).length;

describe('graphql-jit expansion', () => {
  it('counts a field once per combination of the interface types above it', () => {
    // entity (1), then belongsTo on each entity type, then id on each pair of types.
    expect(count(belongsTo(1))).toBe(1 + ENTITY_TYPES + ENTITY_TYPES ** 2);
    expect(count(`{ stats { sources entities } }`)).toBe(3);
  });

  it('counts fragments where they are spread, and a spread cycle once', () => {
    expect(count(`{ entity(id: "x") { ...F } } fragment F on Entity { id name }`)).toBe(count(`{ entity(id: "x") { id name } }`));
    expect(count(`{ entity(id: "x") { ...F } } fragment F on Entity { id ...F }`)).toBe(1 + ENTITY_TYPES);
  });

  it('counts the named operation only', () => {
    expect(count(`query A { stats { sources } } query B { entity(id: "x") { id } }`, 'A')).toBe(2);
  });

  it('admits the benchmark and README queries, and not entity fields nested four deep', () => {
    const participants = `query Participants($id: ID!) { entity(id: $id) { id name facts(types: [PARTICIPATES_IN]) { id role object { id } subject { id name facts(types: [MEMBER_OF]) { id subject { id } object { id name } } } } } }`;
    expect(count(participants)).toBeLessThanOrEqual(JIT_MAX_EXPANSION);
    expect(count(belongsTo(2))).toBeLessThanOrEqual(JIT_MAX_EXPANSION);
    expect(count(belongsTo(4))).toBeGreaterThan(JIT_MAX_EXPANSION);
  });

  it('stops counting past the limit', () => {
    expect(expansion(schema, parse(belongsTo(9)), undefined, 100)).toBeLessThan(10_000);
  });
});
