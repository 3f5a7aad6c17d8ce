/**
 * The query compiler (src/db/compile) without a database: the Cypher and parameters it builds
 * for a selection, as snapshots, and the rules that make them safe and exact: every value is a
 * parameter, aliases with different arguments get their own, and @skip/@include, fragments and
 * inline fragments on interfaces select what graphql-js would execute.
 */
import { selectsNoVariables } from '../../src/db/compile/selection';
import { CLAIMS, childPosition, compileConnections, compileEntity, compileEntityPage, compileNetwork, compileNode, compilePartnerCounts, compilePartnerPage, compilePartners, compileSearch, compileSearchEvidence, compileSourcePage, compileTimeline, type CompiledQuery } from '../../src/db/compile';
import { factFilter } from '../../src/db/filters';
import { STATUSES } from '../../src/ontology';
import { rootPosition } from '../helpers/position';

/** The string literals a query holds: only names fixed in the code (index names, a relationship type), never a value. */
function literals(compiled: CompiledQuery): string[] {
  return [...new Set([...compiled.cypher.matchAll(/'([^']*)'/g)].map((m) => m[1] as string))].sort();
}

describe('the compiled Cypher and its parameters', () => {
  it('entity(id) with its facts, their ends and evidence: one query', () => {
    const compiled = compileEntity(
      rootPosition(`{ entity(id: "x") { id name facts(types: [PARTICIPATES_IN]) { id role subject { name } object { id } evidence { quote source { title } } } } }`),
      'efp-battle-group-lithuania',
    );
    expect(compiled.cypher).toMatchSnapshot();
    expect(compiled.params).toMatchSnapshot();
    expect(literals(compiled)).toEqual([]);
  });

  it('aliases with different arguments: each its own parameters and its own key', () => {
    const compiled = compileEntity(
      rootPosition(`query ($d: Date) { entity(id: "x") { a: facts(types: [MEMBER_OF]) { id } b: facts(types: [MEMBER_OF], asOf: $d, includeUnknown: true) { id } } }`, { d: new Date('2003-01-01T00:00:00Z') }),
      'nato',
    );
    // Each its own list, sent through spreadLists(), under its response key.
    expect(compiled.cypher).toMatch(/COLLECT \{[^]*AS list0,\n  COLLECT \{[^]*AS list1\n/);
    expect(Object.values(compiled.params)).toContainEqual(['a', 'b']);
    expect(Object.values(compiled.params)).toEqual(expect.arrayContaining(['2003-01-01', true, ['ACTIVE', 'ENDED']]));
    // With types, from the direct edges of those types (names from the ontology, checked).
    expect(compiled.cypher.match(/-\[r\d+:MEMBER_OF\]-/g)).toHaveLength(2);
    // The filter is known when the query is built: `a` tests the status alone, `b` the as-of rule too.
    expect(compiled.cypher.match(/inForceFrom <= date\(/g)).toHaveLength(1);
    expect(compiled).toMatchSnapshot();
  });

  it('knownOn: the step of what was known, and the claims to derive the view from', () => {
    const compiled = compileEntity(rootPosition(`query ($k: Date) { entity(id: "x") { facts(knownOn: $k) { id status } } }`, { k: new Date('2024-04-01T00:00:00Z') }), 'belgium');
    expect(compiled.cypher).toContain('knownStatus[k] IN');
    expect(compiled.cypher).toContain('__claims: COLLECT { MATCH (f');
    expect(Object.values(compiled.params)).toContain('2024-04-01');
  });

  it('fragments on one kind: a map per distinct selection, chosen by the entity kind', () => {
    const compiled = compileEntity(rootPosition(`{ entity(id: "x") { id ... on Country { code bodies { id } } ...E } } fragment E on Entity { name }`), 'belgium');
    expect(compiled.cypher).toMatch(/CASE WHEN n\.kind IN \$p\d+ THEN/);
    const kinds = Object.values(compiled.params).filter(Array.isArray) as string[][];
    expect(kinds).toContainEqual(['Country']);
    expect(kinds).toContainEqual(['Organisation', 'Unit', 'Initiative', 'Person', 'Event', 'Place']);
    expect(compiled).toMatchSnapshot();
  });

  it('@skip and @include decide what is compiled, as graphql-js decides what is resolved', () => {
    const document = `query ($on: Boolean!) { entity(id: "x") { facts @include(if: $on) { id } members @skip(if: $on) { id } } }`;
    const on = compileEntity(rootPosition(document, { on: true }), 'belgium');
    const off = compileEntity(rootPosition(document, { on: false }), 'belgium');
    // The root entity's lists are named by their response keys, in a parameter.
    expect(Object.values(on.params)).toContainEqual(['facts']);
    expect(Object.values(off.params)).toContainEqual(['members']);
    expect(on.cypher).not.toContain('BELONGS_TO');
    expect(off.cypher).not.toContain(':SUBJECT|OBJECT');
  });

  it('a value that looks like Cypher stays a parameter', () => {
    const evil = `x'}) DETACH DELETE n //`;
    const compiled = compileEntity(rootPosition(`{ entity(id: "x") { id facts { id } } }`), evil);
    expect(compiled.cypher).not.toContain('DETACH');
    expect(Object.values(compiled.params)).toContain(evil);
  });

  it('entities: the page and its count in one query', () => {
    const compiled = compileEntityPage(rootPosition(`{ entities { totalCount edges { cursor node { id belongsTo { id } } } } }`), 'Unit', 'a', 21);
    expect(compiled).toMatchSnapshot();
    expect(() => compileEntityPage(rootPosition(`{ entities { totalCount } }`), 'Fact) DETACH DELETE (x', '', 2)).toThrow('Not an entity kind');
  });

  it('search, searchEvidence, timeline, sources and connections', () => {
    expect(compileSearch(rootPosition(`{ search(text: "x") { score entity { id name } } }`), { lucene: '(crrt^3 OR crrt*)', named: ['WORKING_GROUP'], kinds: null, subtypes: null, first: 10 })).toMatchSnapshot();
    expect(compileSearchEvidence(rootPosition(`{ searchEvidence(text: "x") { quote source { title } facts { id } } }`), '(rupsys^3 OR rupsys*)', 10)).toMatchSnapshot();
    expect(compileTimeline(rootPosition(`{ timeline { moment fact { id subject { name } } } }`), 'belgium', ['ACTIVE'])).toMatchSnapshot();
    expect(compileSourcePage(rootPosition(`{ sources { totalCount edges { node { id passages { quote facts { id } } claims(first: 2) { status } } } } }`), null, 21)).toMatchSnapshot();
    const paths = compileConnections(rootPosition(`{ connections(from: "a", to: "b") { hops { from { id } to { name } fact { id } } } }`), 'luxembourg', 'belgium', 4, factFilter({}));
    expect(paths).toMatchSnapshot();
    expect(literals(paths)).toEqual(['BELONGS_TO']);
    expect(() => compileConnections(rootPosition(`{ connections(from: "a", to: "b") { length } }`), 'a', 'b', 7, factFilter({}))).toThrow('maxHops');
  });

  it('partners: the links, their ends, facts and evidence in one query, the filter as parameters', () => {
    const compiled = compilePartners(
      rootPosition(`{ partners(of: "x") { partner { id name } links { kind through { id } facts { id status } } evidence { quote source { title } } } }`),
      'belgium',
      factFilter({ asOf: '2017-02-01', domain: 'LAND' }),
    );
    expect(compiled).toMatchSnapshot();
    // 'Country' (the roll-up rule), 'DIRECT' and 'SHARED_' (link kinds) are fixed in the code.
    expect(literals(compiled)).toEqual(['Country', 'DIRECT', 'SHARED_']);
    expect(Object.values(compiled.params)).toEqual(expect.arrayContaining(['belgium', '2017-02-01', 'LAND']));
    // Only links asked for: no entity maps, facts with what a partnership reads, no evidence.
    const bare = compilePartners(rootPosition(`{ partners(of: "x") { links { kind } statuses } }`), 'belgium', factFilter({}));
    expect(bare.cypher).toMatch(/\[\] AS entities/);
    expect(bare.cypher).toMatch(/\[\] AS evidence/);
  });

  it('partnerships: a page after a cursor, its links capped, in one query', () => {
    const edges = childPosition(rootPosition(`{ partnerships(of: "x") { totalCount edges { node { partner { name } linkCount links { kind through { id } } } } } }`), 'edges');
    const compiled = compilePartnerPage(
      edges && childPosition(edges, 'node'),
      'belgium',
      factFilter({}),
      { n: 3, id: 'czechia' },
      21,
      5,
    );
    expect(compiled).toMatchSnapshot();
    expect(literals(compiled)).toEqual(['Country', 'DIRECT', 'SHARED_']);
    expect(Object.values(compiled.params)).toEqual(expect.arrayContaining([{ n: 3, id: 'czechia' }, 21, 5, 'belgium']));
  });
  it('partnerCounts: every link with its facts as the counts test them, in one query', () => {
    const compiled = compilePartnerCounts('belgium', '2024-04-01');
    expect(compiled).toMatchSnapshot();
    expect(literals(compiled)).toEqual(['Country', 'DIRECT', 'SHARED_']);
    // Every status counts (the filter is applied to the facts after); with knownOn, each fact comes with its claims.
    expect(Object.values(compiled.params)).toEqual(expect.arrayContaining(['belgium', [...STATUSES].sort()]));
    expect(compiled.cypher).toContain(CLAIMS);
    expect(compilePartnerCounts('belgium', null).cypher).not.toContain(CLAIMS);
  });

  it('cooperationNetwork: its links, their entities and direct facts in one query; only what is asked', () => {
    const compiled = compileNetwork(
      rootPosition(`{ cooperationNetwork { nodes { entity { id name } degree } edges { source shared { id } direct { id status } } } }`),
      ['Country', 'Unit'],
      factFilter({ asOf: '2017-02-01', domain: 'LAND' }),
    );
    expect(compiled).toMatchSnapshot();
    expect(literals(compiled)).toEqual(['direct', 'shared']);
    expect(Object.values(compiled.params)).toEqual(expect.arrayContaining([['Country', 'Unit'], true, '2017-02-01', 'LAND']));
    // Degrees and fact ids only: neither entities nor facts are read.
    const bare = compileNetwork(rootPosition(`{ cooperationNetwork { nodes { degree } edges { weight direct { id } } } }`), ['Country'], factFilter({}));
    expect(bare.cypher).toMatch(/null AS entities/);
    expect(bare.cypher).toMatch(/null AS facts/);
  });
  it('node(id): a seek on each label, each map with what is asked of its type', () => {
    const compiled = compileNode(rootPosition(`{ node(id: "x") { id ... on Entity { name } ... on Country { code } ... on Fact { type } ... on Source { title } } }`), 'lithuania');
    expect(compiled).toMatchSnapshot();
    // One parameter for the id, sought under each label.
    expect(compiled.cypher.match(/\$p0\b/g)).toHaveLength(3);
    expect(compiled.params.p0).toBe('lithuania');
  });
});

describe('a compiled root query reused by later requests of its document', () => {
  const noVariables = (document: string) => {
    const position = rootPosition(document);
    return selectsNoVariables(position.nodes[0]!, position.request.fragments);
  };

  it('only when nothing below the root field names a variable, in arguments, directives or spread fragments', () => {
    expect(noVariables('query ($id: ID!) { entity(id: $id) { id facts(types: [MEMBER_OF]) { id } } }')).toBe(true);
    expect(noVariables('query ($t: [RelationType!]) { entity(id: "x") { facts(types: $t) { id } } }')).toBe(false);
    expect(noVariables('query ($s: Boolean!) { entity(id: "x") { id name @skip(if: $s) } }')).toBe(false);
    expect(noVariables('query ($d: Date) { entity(id: "x") { ...A } } fragment A on Entity { ...B } fragment B on Entity { facts(asOf: $d) { id } }')).toBe(false);
    expect(noVariables('{ entity(id: "x") { ...A } } fragment A on Entity { ...B } fragment B on Entity { ...A id }')).toBe(true);
  });

  it('the same text, with the request\'s own value as its parameter', () => {
    const position = rootPosition('query ($id: ID!) { entity(id: $id) { id name facts { id } } }');
    const first = compileEntity(position, 'belgium');
    const second = compileEntity(position, 'lithuania');
    expect(second.cypher).toBe(first.cypher);
    expect(second.params).toEqual({ ...first.params, id: 'lithuania' });
    expect(first.params.id).toBe('belgium');
  });
});
