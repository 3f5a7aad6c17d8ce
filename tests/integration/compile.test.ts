/**
 * The compiled path (src/db/compile: one Cypher query per root field) answers exactly as the
 * DataLoader path does: each query runs with the compiler on and off, on the seed and the two
 * synthetic follow-ups (so that claims, conflicts and knownOn differ between sources), and the
 * answers (data and errors) must be equal JSON. With the compiler on, each query here costs
 * one round trip per root field. Both paths also run under graphql-js's own executor, whose
 * answers graphql-jit's (the default, src/jit.ts) must equal.
 */
import path from 'node:path';
import type { ApolloServer } from '@apollo/server';
import { createContext, type Context } from '../../src/context';
import type { Db } from '../../src/db/executor';
import { loadFiles } from '../../src/ingest/load';
import { logger } from '../../src/logger';
import { PROJECT_ROOT } from '../../src/paths';
import { createApollo } from '../../src/apollo';
import { startSeededApollo } from '../helpers/graph';
import { QueryBuilder, SPREAD_ABOVE, spreadLists, spreadOf } from '../../src/db/compile/query';

const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures');

let db: Db;
let apollo: ApolloServer<Context>;
/** The same API under graphql-js's executor. */
let reference: ApolloServer<Context>;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, apollo, close } = await startSeededApollo({ executor: 'jit' }));
  reference = createApollo({ db, logger, production: false, executor: 'graphql-js' });
  await reference.start();
  await loadFiles(db, [path.join(FIXTURES, 'synthetic-2024-06-follow-up.yaml'), path.join(FIXTURES, 'synthetic-2024-06-second-follow-up.yaml')]);
}, 180_000);

afterAll(async () => {
  await reference.stop();
  await close();
});

async function run(query: string, variables: Record<string, unknown> | undefined, compile: boolean, server = apollo) {
  const ctx = createContext(db, logger, undefined, { compile });
  const response = await server.executeOperation({ query, variables }, { contextValue: ctx });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  return { answer: JSON.parse(JSON.stringify({ data, errors: errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code })) })), roundTrips: ctx.db.roundTrips };
}

const FACT = `id type status role title note isFactual domains subject { id name } object { id kind name }
  validity { start { text value precision earliest latest } end { text } inForceFrom inForceUntil }
  evidence { id quote start end source { id title url published { text } } }`;

/** [name, query, variables, round trips when compiled: one per root field; null where a field is left to its DataLoader] */
const CASES: Array<[string, string, Record<string, unknown>?, (number | null)?]> = [
  ['README: the eFP battle group', `{ entity(id: "efp-battle-group-lithuania") {
    name facts(types: [PARTICIPATES_IN, DEPLOYED_AT]) {
      type subject { name } object { name } role
      validity { start { text precision earliest latest } } evidence { quote } } } }`],
  ['README: the eFP battle group as of 2016', `{ entity(id: "efp-battle-group-lithuania") { name facts(types: [PARTICIPATES_IN, DEPLOYED_AT], asOf: "2016-06-01") { id } } }`],
  ['README: Luxembourg to Belgium', `{ connections(from: "luxembourg", to: "belgium") {
    length hops { from { name } relation forward to { name }
      fact { status validity { start { text } } evidence { quote start end source { title url } } } } } }`],
  ['bench: entity by id', `query EntityById($id: ID!) { entity(id: $id) {
    id kind name aliases belongsTo { id name } facts { id type status role subject { id name } object { id name } } } }`, { id: 'belgium' }],
  ['bench: participants', `query Participants($id: ID!) { entity(id: $id) { id name
    facts(types: [PARTICIPATES_IN]) { id role object { id } subject { id name facts(types: [MEMBER_OF]) { id subject { id } object { id name } } } } } }`, { id: 'efp-battle-group-lithuania' }],
  ['bench: search', `query Search($text: String!, $first: Int) { search(text: $text, first: $first) { score entity { id name kind } } }`, { text: 'belgian', first: 20 }],
  ['bench: paths', `query Paths($from: ID!, $to: ID!) { connections(from: $from, to: $to, maxHops: 4) {
    length hops { from { id } to { id } relation forward fact { id } } } }`, { from: 'lithuania', to: 'belgian-navy' }],
  ['every entity field, fragments on the interface and on kinds', `query { entity(id: "belgium") { ...E ... on Country { code } } }
    fragment E on Entity { id kind subtype name aliases referenceAliases wikidata
      belongsTo { id } members { id name } bodies { id ... on Unit { subtype } }
      memberEntities { id } sources { id title }
      facts(status: [ACTIVE, ENDED, PLANNED, PROPOSED, ANNOUNCED]) { ${FACT} inForceOn(day: "2017-02-01") viaBody { id } corroboration { sources publishers } conflicts { field values sources { id } } }
      factCounts(asOf: "2017-02-01", includeUnknown: true, domain: LAND) { total shown hidden outsideDomain byStatus { status total shown } byInForce { inForce total shown } } }`, undefined, null],
  ['aliases with different arguments', `{ entity(id: "nato") {
    members: memberEntities { id } then: memberEntities(asOf: "2005-01-01") { id } known: memberEntities(knownOn: "2024-04-01", status: [ACTIVE, PLANNED]) { id }
    a: facts(types: [MEMBER_OF]) { id } b: facts(types: [MEMBER_OF], asOf: "2003-01-01", includeUnknown: true) { id x: subject { n: name } }
    c: factCounts { total } d: factCounts(types: [MEMBER_OF], status: [PLANNED]) { shown hidden } } }`],
  ['@skip and @include', `query ($yes: Boolean!, $no: Boolean!) { entity(id: "lithuania") {
    id name @skip(if: $yes) aliases @include(if: $yes)
    facts @include(if: $no) { id }
    f: facts(types: [MEMBER_OF]) { id subject @skip(if: $no) { name } object @include(if: $no) { name } }
    ... on Country @include(if: $yes) { code belongsTo { id } }
    ... @skip(if: $yes) { sources { id } } } }`, { yes: true, no: false }],
  ['includeBodies and viaBody', `{ entity(id: "belgium") { facts(includeBodies: true, status: [ACTIVE, PLANNED, PROPOSED]) { id viaBody { id name kind } subject { id } }
    factCounts(includeBodies: true) { total shown byStatus { status total shown } } } }`],
  ['knownOn: views derived from the claims published by then', `query ($day: Date) { entity(id: "belgium") {
    facts(types: [PARTICIPATES_IN], status: [ACTIVE, PLANNED], knownOn: $day) { id status domains validity { start { value } inForceFrom inForceUntil }
      claims { source { id } status domains title note validity { start { text } inForceFrom } evidence { quote source { id } } fact { id status } isFactual }
      corroboration { sources publishers } conflicts { field values } } } }`, { day: '2024-04-01' }],
  ['knownOn later', `{ entity(id: "belgium") { facts(status: [ACTIVE, PLANNED, ENDED], knownOn: "2024-07-01") { id status claims { source { id } } conflicts { field sources { id } values } } } }`, undefined, null],
  ['an event', `{ entity(id: "lithuania-belgium-chods-meeting-2024") { id name ... on Event { date { text } place { id } } facts(status: [ACTIVE, PLANNED]) { id } } }`],
  ['events in a page', `{ entities(kind: EVENT, first: 20) { edges { node { id ... on Event { date { text value precision earliest latest } place { id name kind } } } } } }`],
  ['no such entity', `{ entity(id: "no-such-entity") { id facts { id } } }`],
  ['country by code', `{ country(code: "be") { id name code bodies { id } facts(types: [MEMBER_OF]) { object { name } } } }`],
  ['entities page with totalCount', `query ($after: String) { entities(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id name belongsTo { id } members { id } facts(status: [ACTIVE, PLANNED, PROPOSED]) { id subject { name } object { name } evidence { quote source { title } } } } } } }`],
  ['entities of a kind, two aliases of node', `{ entities(kind: UNIT, first: 3) { totalCount edges { node { id } n: node { name ... on Unit { bodies { id } } } } } }`],
  ['the deep query of roundtrips.test.ts', `query ($first: Int, $kind: EntityKind) { entities(first: $first, kind: $kind) { edges { node {
    id name members { id } belongsTo { id }
    facts(status: [ACTIVE, PLANNED, PROPOSED]) { id subject { name } object { name } evidence { quote source { title } } } } } } }`, { first: 100 }],
  ['search with kinds and subtypes', `{ search(text: "working groups", first: 5) { exact score entity { id name ... on Initiative { subtype facts { id } } } } }`],
  ['search exact first', `{ search(text: "NATO") { exact score entity { id name kind aliases } } }`],
  ['search of stop words only (nothing to send)', `{ search(text: "the and") { exact } }`, undefined, 0],
  ['searchEvidence', `{ searchEvidence(text: "rupsys", first: 5) { quote start end score source { id title } facts { id type subject { name } evidence { id } } } }`],
  ['searchEvidence, evidence words', `{ searchEvidence(text: "special forces training") { quote score facts { id status claims { source { id } } } } }`],
  ['sources page', `{ sources(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id title publisher language sha256 factCount entityCount notes { key value } published { text value }
    passages { quote start end facts { id type subject { name } } } claims(first: 3) { fact { id } status source { id } } } } } }`],
  ['sources, second page', `query ($after: String) { sources(first: 1, after: $after) { edges { node { id claims(first: 2, after: "fact:m") { fact { id } evidence { quote } } } } } }`, { after: null }],
  ['timeline of an entity', `{ timeline(entity: "belgium") { moment date { text earliest latest } fact { id type subject { name } object { name } evidence { quote } } } }`],
  ['timeline of the graph, a span', `{ timeline(from: "2017-01-01", to: "2023-12-31", status: [ACTIVE]) { moment date { text } fact { id } } }`],
  ['timeline of no entity', `{ timeline(entity: "atlantis") { moment } }`],
  ['connections, not found', `{ connections(from: "atlantis", to: "belgium") { length } }`],
  ['connections, to not found', `{ connections(from: "belgium", to: "atlantis") { length } }`],
  ['connections to itself', `{ connections(from: "belgium", to: "belgium") { length } }`],
  ['connections with plans, one hop and aliases', `{ a: connections(from: "lithuania", to: "belgium", maxHops: 1, status: [ACTIVE, PLANNED, PROPOSED]) { length hops { relation fact { id status } f: from { id kind } t: to { name } } }
    b: connections(from: "lithuania", to: "ukraine") { hops { from { name } fact { id subject { id } } } } }`, undefined, 2],
  ['partners with evidence (the README and the bench)', `{ partners(of: "belgium") { partner { id name kind } links { kind through { id name } facts { id status subject { name } object { name } evidence { quote source { title } } } }
    domains statuses since { text value } inForceFrom evidence { quote source { title url publisher published { text } } } } }`],
  ['partners with plans, of a body', `{ partners(of: "belgian-navy", status: [ACTIVE, PLANNED, PROPOSED]) { partner { id ... on Country { code } } links { kind through { id } facts { id } } statuses } }`],
  ['partners as of a day, in a domain', `{ partners(of: "lithuania", asOf: "2017-02-01", includeUnknown: true, domain: LAND) { partner { id } links { kind facts { id } } inForceFrom } }`],
  ['partners known on a day', `query ($day: Date) { partners(of: "belgium", knownOn: $day, status: [ACTIVE, PLANNED]) { partner { id }
    links { kind through { id } facts { id status domains claims { source { id } } } } domains statuses since { text } evidence { quote } } }`, { day: '2024-04-01' }],
  ['partners, aliases of partner and through, only links asked', `{ partners(of: "nato") { p: partner { id } q: partner { name } links { kind t: through { name } u: through { id kind } } } }`],
  ['partners of an entity with none', `{ partners(of: "lithuanian-armed-forces") { partner { id } } }`],
  ['partners of no entity', `{ partners(of: "atlantis") { partner { id } } }`],
  ['partners of a kind that has none', `{ partners(of: "lithuania-belgium-chods-meeting-2024") { partner { id } } }`],
  ['partnerships, a page known on a day', `{ partnerships(of: "belgium", first: 3, linksFirst: 1, knownOn: "2024-04-01", status: [ACTIVE, PLANNED]) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { partner { id name } linkCount links { kind through { id } facts { id status claims { source { id } } } } domains statuses since { text } evidence { quote source { title } } } } } }`],
  ['partnerships, only the count', `{ partnerships(of: "lithuania") { totalCount } }`],
  ['partnerCounts in a domain', `{ partnerCounts(of: "lithuania", domain: SPECIAL_OPERATIONS) { shown hidden facts { total shown hidden outsideDomain byStatus { status total shown } } } }`],
  ['partnerCounts as of a day, with plans', `{ partnerCounts(of: "belgium", asOf: "2017-02-01", includeUnknown: true, status: [ACTIVE, PLANNED, PROPOSED]) { shown hidden facts { total shown byInForce { inForce total shown } } } }`],
  ['partnerCounts known on a day', `query ($day: Date) { partnerCounts(of: "belgium", status: [ACTIVE, PLANNED], knownOn: $day) { shown hidden facts { total shown byStatus { status total } } } }`, { day: '2024-04-01' }],
  ['partnerCounts of no entity', `{ partnerCounts(of: "atlantis") { shown } }`],
  ['partnerCounts of a kind that has none', `{ partnerCounts(of: "lithuania-belgium-chods-meeting-2024") { shown } }`],
  ['network (the bench)', `query Network { cooperationNetwork {
    nodes { entity { id } degree weightedDegree sharedPartners directPartners }
    edges { source target weight shared { id } direct { id } } } }`],
  ['network of several kinds as of a day, entity and fact fields', `{ cooperationNetwork(asOf: "2017-02-01", includeUnknown: true, kinds: [COUNTRY, ORGANISATION, UNIT]) {
    nodes { entity { id name ... on Country { code } } degree } edges { source target weight shared { id kind name } direct { id status subject { name } evidence { quote } } } } }`],
  ['network known on a day, with plans', `query ($day: Date) { cooperationNetwork(knownOn: $day, status: [ACTIVE, PLANNED]) { nodes { entity { name } }
    edges { source target direct { id status domains validity { start { text } } claims { source { id } } } } } }`, { day: '2024-04-01' }],
  ['network, no entity or fact asked; aliases', `{ a: cooperationNetwork(domain: LAND) { nodes { degree } edges { weight direct { id } } }
    b: cooperationNetwork { edges { x: shared { id } y: shared { name } } } }`, undefined, 2],
  ['network with no links, entities and facts asked', `{ cooperationNetwork(asOf: "1900-01-01") { nodes { entity { name } } edges { shared { name } direct { status } } } }`],
  ['network with its fact counts', `{ cooperationNetwork { nodes { entity { id } } factCounts { total shown hidden } } }`, undefined, 2],
  ['node: an entity, fragments on the interface and on a kind', `{ node(id: "lithuania") { __typename id ... on Entity { name kind facts(types: [MEMBER_OF]) { id object { name } } } ... on Country { code } } }`],
  ['node: a fact, with its evidence and the day it was in force', `{ node(id: "fact:member-of:lithuania:nato") { id ... on Fact { type status subject { name } evidence { quote source { title } } inForceOn(day: "2004-06-01") viaBody { id } } } }`],
  ['node: a source, its passages and claims', `{ node(id: "lt-mod-2024-03-25-chod-belgium") { __typename ... on Source { title passages { quote facts { id type } } claims(first: 2) { status fact { id } } } } }`],
  ['node: none, and aliases of several types', `{ a: node(id: "atlantis") { id } b: node(id: "fact:none") { id } c: node(id: "belgium") { ... on Fact { type } ... on Country { name } } }`, undefined, 3],
  ['a bad argument below the root', `{ sources(first: 1) { edges { node { id claims(first: 0) { status } } } } }`, undefined, null],
];

describe('compiled and DataLoader answers are equal, under graphql-jit and graphql-js', () => {
  const cases = CASES.map(([name, query, variables, roots]) => ({ name, query, variables, roots: roots === undefined ? 1 : roots }));
  it.each(cases)('$name', async ({ query, variables, roots }) => {
    const on = await run(query, variables, true);
    const off = await run(query, variables, false);
    expect(on.answer).toEqual(off.answer);
    expect((await run(query, variables, true, reference)).answer).toEqual(on.answer);
    expect((await run(query, variables, false, reference)).answer).toEqual(off.answer);
    expect(JSON.stringify(on.answer.data)).not.toBe('{}');
    if (roots !== null) expect(on.roundTrips).toBe(roots);
  });
});

describe('spreadLists: long lists one item per record, short ones in the head record', () => {
  const sizes = [0, 3, SPREAD_ABOVE - 10, SPREAD_ABOVE + 1, 500];

  it.each(sizes)('%i items: readSpread gives back the same lists, in their order', async (n) => {
    const q = new QueryBuilder();
    const first = Array.from({ length: n }, (_, i) => ({ i, name: `item ${i}` }));
    const second = first.slice(0, 10).map((item) => item.name);
    const cypher = `WITH ${q.param('head')} AS head, ${q.param(first)} AS list0, ${q.param(second)} AS list1, null AS list2
${spreadLists(q, ['head'], ['list0', 'list1', 'list2'])}`;
    const records = await db.read(cypher, q.params);
    const items = first.length + second.length;
    expect(records).toHaveLength(items > SPREAD_ABOVE ? 1 + items : 1);
    const { head, lists } = spreadOf(records, ['list0', 'list1', 'list2']);
    expect(head.head).toBe('head');
    expect(lists).toEqual({ list0: first, list1: second, list2: [] });
  });
});

describe('a document asked again with other values reuses its compiled query, and answers for those values', () => {
  const ASKED: Array<[string, string, Array<Record<string, unknown>>]> = [
    [
      'entity',
      'query ($id: ID!) { entity(id: $id) { id name facts { id type subject { id name } object { id } evidence { quote } } } }',
      [{ id: 'belgium' }, { id: 'lithuania' }, { id: 'no-such-entity' }, { id: 'belgium' }],
    ],
    ['country', 'query ($code: CountryCode!) { country(code: $code) { id name facts { id } } }', [{ code: 'BE' }, { code: 'LT' }]],
    [
      'search',
      'query ($text: String!, $first: Int) { search(text: $text, first: $first) { score entity { id name } } }',
      [{ text: 'Belgium', first: 5 }, { text: 'CRRT', first: 3 }, { text: 'battalion', first: 10 }],
    ],
    [
      'connections',
      'query ($from: ID!, $to: ID!, $hops: Int) { connections(from: $from, to: $to, maxHops: $hops) { length hops { from { id } to { id } fact { id } } } }',
      [{ from: 'luxembourg', to: 'belgium' }, { from: 'lithuania', to: 'belgium', hops: 2 }, { from: 'belgium', to: 'belgium' }, { from: 'luxembourg', to: 'lithuania', hops: 3 }],
    ],
    [
      'a variable below the root (built for each request)',
      'query ($id: ID!, $types: [RelationType!]) { entity(id: $id) { facts(types: $types) { id type } } }',
      [{ id: 'belgium', types: ['PARTICIPATES_IN'] }, { id: 'belgium', types: ['MEMBER_OF'] }, { id: 'lithuania', types: ['PARTICIPATES_IN'] }],
    ],
  ];

  it.each(ASKED)('%s', async (_name, query, asked) => {
    const answers = new Set<string>();
    for (const variables of asked) {
      const on = await run(query, variables, true);
      expect(on.answer).toEqual((await run(query, variables, false)).answer);
      expect(on.roundTrips).toBe(1);
      answers.add(JSON.stringify(on.answer));
    }
    expect(answers.size).toBeGreaterThan(1);
  });
});
