/**
 * Query plans (EXPLAIN, nothing runs) of every Cypher query the API sends. Lookups, partners,
 * paths, facts, evidence, pages and search start from an index (a seek, the full-text index, or
 * a count store) and never scan a label or a relationship type, so their cost stays flat as the
 * graph grows. The queries over the whole graph say so here: the cooperation network (every
 * involvement and direct relationship, O(facts) plus O(k²) pairs per shared body of k actors, and its
 * fact counts, O(facts)),
 * the statistics (every entity and fact, O(nodes)) and the timeline with no entity (every dated
 * fact, O(facts)). Each root field's compiled query (src/db/compile) is held to the same rules,
 * and none of them deduplicates by a DISTINCT keyed on a list its subquery imports.
 */
import type { Db } from '../../src/db/executor';
import { CONNECTIONS, NETWORK_FACT_TALLY, NETWORK_LINKS, PARTNERS, STATS } from '../../src/db/analysis';
import { COUNT_ALL, COUNT_BY_LABEL, ENTITIES_BY_ID, ENTITY_BY_ISO, ENTITY_PAGE, ENTITY_PAGE_OF_KIND, MEMBER_ENTITIES_OF, MEMBERS_OF, SEARCH, SEARCH_BY_SUBTYPE } from '../../src/db/entities';
import {
  DATED_FACTS,
  DATED_FACTS_OF_ENTITY,
  EVIDENCE_OF_FACTS,
  FACT_TALLY_OF_ENTITIES,
  FACTS_BY_ID,
  FACTS_OF_ENTITIES,
  FACTS_OF_ENTITIES_AND_BODIES,
  PASSAGES_OF_SOURCES,
  SEARCH_EVIDENCE,
  SOURCE_PAGE,
  SOURCES_BY_ID,
} from '../../src/db/facts';
import {
  childPosition,
  compileConnections,
  compileCountry,
  compileEntity,
  compileEntityPage,
  compileNetwork,
  compileNode,
  compilePartnerCounts,
  compilePartnerPage,
  compilePartners,
  compileSearch,
  compileSearchEvidence,
  compileSourcePage,
  compileTimeline,
  type CompiledQuery,
} from '../../src/db/compile';
import { factFilter } from '../../src/db/filters';
import { FACTUAL_STATUSES } from '../../src/ontology';
import { resetToSeed, testDb } from '../helpers/graph';
import { rootPosition } from '../helpers/position';

const SCANS = ['AllNodesScan', 'NodeByLabelScan', 'DirectedRelationshipTypeScan', 'UndirectedRelationshipTypeScan', 'DirectedAllRelationshipsScan', 'UndirectedAllRelationshipsScan'];
const filter = { status: [...FACTUAL_STATUSES], asOf: '2024-03-25', includeUnknown: true, domain: null };

let db: Db;

beforeAll(async () => {
  db = testDb();
  await resetToSeed(db);
}, 180_000);

afterAll(async () => {
  await db.close();
});

interface PlanNode {
  operatorType: string;
  arguments: { Details?: string };
  identifiers: string[];
  children: PlanNode[];
}

async function plan(cypher: string, params: Record<string, unknown>): Promise<PlanNode> {
  const result = await db.driver.executeQuery(`EXPLAIN ${cypher}`, params, { routing: 'READ' });
  return result.summary.plan as unknown as PlanNode;
}

function operatorOf(node: PlanNode): string {
  return node.operatorType.split('@')[0] as string;
}

function* nodesOf(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.children) yield* nodesOf(child);
}

/** The operators of a query's plan, without their planner suffixes (`NodeByLabelScan@neo4j`). */
async function operators(cypher: string, params: Record<string, unknown>): Promise<string[]> {
  return [...nodesOf(await plan(cypher, params))].map(operatorOf);
}

/**
 * The variables of a plan that hold lists it gathered: the results of collect() in an
 * aggregation and of COLLECT subqueries (RollUpApply), and projections that join them.
 */
function gatheredLists(root: PlanNode): Set<string> {
  const lists = new Set<string>();
  const nodes = [...nodesOf(root)];
  for (const node of nodes) {
    const details = node.arguments.Details ?? '';
    if (operatorOf(node) === 'RollUpApply') lists.add(details.split(',')[0]!.trim());
    if (operatorOf(node).endsWith('Aggregation')) {
      for (const [, expression, name] of details.matchAll(/(.*?) AS (\w+)(?:, |$)/gs)) if (expression!.includes('collect(')) lists.add(name!);
    }
  }
  for (const node of nodes.filter((n) => operatorOf(n) === 'Projection').reverse()) {
    for (const [, expression, name] of (node.arguments.Details ?? '').matchAll(/(.*?) AS (\w+)(?:, |$)/gs)) {
      if (expression!.split(/[^\w]+/).some((word) => lists.has(word))) lists.add(name!);
    }
  }
  return lists;
}

/**
 * The Distincts of a subquery keyed on a list it imports rather than makes: their keys that the
 * Argument at the start of their input (its leftmost leaf) hands in and that the plan gathered
 * with collect() or COLLECT {}. Keying `WITH DISTINCT id` on an imported list of every row hashes
 * that list once per id, which turned a compiled network of half a second into one of 30 s that
 * ran out of transaction memory.
 */
function distinctOnImportedLists(root: PlanNode): string[] {
  const lists = gatheredLists(root);
  const found: string[] = [];
  for (const node of nodesOf(root)) {
    if (!['Distinct', 'OrderedDistinct'].includes(operatorOf(node))) continue;
    let leaf = node;
    while (leaf.children.length > 0) leaf = leaf.children[0] as PlanNode;
    if (operatorOf(leaf) !== 'Argument') continue;
    const keys = (node.arguments.Details ?? '').split(',').map((k) => k.trim());
    const imported = keys.filter((k) => leaf.identifiers.includes(k) && lists.has(k));
    if (imported.length > 0) found.push(`${node.arguments.Details} (imports the list ${imported.join(', ')})`);
  }
  return found;
}

const INDEX_BACKED: Array<[string, string, Record<string, unknown>]> = [
  ['entities by id', ENTITIES_BY_ID, { ids: ['belgium'] }],
  ['entity by country code', ENTITY_BY_ISO, { code: 'BE' }],
  ['members', MEMBERS_OF, { ids: ['belgium'] }],
  ['a page of entities of a kind', ENTITY_PAGE_OF_KIND, { kind: 'Country', after: 'belgium', limit: 11 }],
  ['the first page of entities', ENTITY_PAGE, { after: '', limit: 11 }],
  ['count of entities', COUNT_ALL, {}],
  ['count of countries', COUNT_BY_LABEL.Country as string, {}],
  ['search', SEARCH, { lucene: 'nato*', candidates: 50, limit: 10, kinds: null, subtypes: null }],
  ['search by subtype', SEARCH_BY_SUBTYPE, { named: ['WORKING_GROUP'], limit: 10, kinds: null, subtypes: null }],
  ['search evidence', SEARCH_EVIDENCE, { lucene: '(f^3 OR f*) AND (16^3 OR 16*)', candidates: 200, limit: 10 }],
  ['members by MEMBER_OF facts', MEMBER_ENTITIES_OF, { ids: ['nato'], ...filter }],
  ['facts by id', FACTS_BY_ID, { ids: ['x'] }],
  ['facts of entities', FACTS_OF_ENTITIES, { ids: ['belgium'], types: null, ...filter }],
  ['facts of entities and their bodies', FACTS_OF_ENTITIES_AND_BODIES, { ids: ['belgium'], types: null, ...filter }],
  ['fact counts of entities', FACT_TALLY_OF_ENTITIES, { ids: ['belgium'], types: null, includeBodies: true, ...filter }],
  ['evidence of facts', EVIDENCE_OF_FACTS, { ids: ['x'] }],
  ['sources by id', SOURCES_BY_ID, { ids: ['x'] }],
  ['the first page of sources', SOURCE_PAGE, { after: '', limit: 21 }],
  ['passages of sources', PASSAGES_OF_SOURCES, { ids: ['lt-mod-2024-03-25-chod-belgium'] }],
  ['timeline of one entity', DATED_FACTS_OF_ENTITY, { entity: 'belgium', status: [...FACTUAL_STATUSES] }],
  ['partners', PARTNERS, { of: 'lithuania', actorKinds: ['Country'], groupKinds: ['Initiative'], ...filter }],
  ...CONNECTIONS.map((cypher, i): [string, string, Record<string, unknown>] => [`connections, ${i + 1} hops`, cypher, { from: 'belgium', to: 'lithuania', limit: 25, ...filter }]),
];

describe('query plans', () => {
  it.each(INDEX_BACKED)('%s starts from an index and scans nothing', async (_name, cypher, params) => {
    const ops = await operators(cypher, params);
    expect(ops.filter((op) => SCANS.includes(op))).toEqual([]);
  });

  // The whole-graph queries read everything they cover by design, so whichever index or scan the
  // planner picks for them is fine; what must never happen is reading nodes of every label, or
  // (where rows are joined) a cartesian product of two unrelated reads. The statistics join
  // one-row aggregates, where a cartesian product costs nothing.
  const WHOLE_GRAPH: Array<[string, string, Record<string, unknown>, string[]]> = [
    ['the whole-graph timeline (documented: O(facts))', DATED_FACTS, { status: [...FACTUAL_STATUSES] }, ['AllNodesScan', 'CartesianProduct']],
    ['the cooperation network (documented: O(facts), plus pairs per shared body)', NETWORK_LINKS, { kinds: ['Country'], groupKinds: ['Initiative'], rollUp: true, ...filter }, ['AllNodesScan', 'CartesianProduct']],
    ['the network\'s fact counts (documented: O(facts))', NETWORK_FACT_TALLY, filter, ['AllNodesScan', 'CartesianProduct']],
    ['the statistics (documented: O(nodes))', STATS, {}, ['AllNodesScan']],
  ];

  it.each(WHOLE_GRAPH)('%s reads only the labels it needs', async (_name, cypher, params, forbidden) => {
    const ops = await operators(cypher, params);
    expect(ops.filter((op) => forbidden.includes(op))).toEqual([]);
  });

  // Every root field's compiled query (src/db/compile), with a selection that asks for all it can
  // nest: index-backed unless it covers the whole graph, and no Distinct keyed on a list its
  // subquery imports (see distinctOnImportedLists).
  const all = factFilter({});
  const partnership = `partner { id name } links { kind through { id name } facts { id status evidence { quote } } } evidence { quote source { title } } statuses since`;
  const entity = `id name kind belongsTo { id name } members { id } bodies { id } sources { title } factCounts { total }
    facts { id type status subject { id name } object { id name } evidence { quote source { title } } }`;
  const COMPILED: Array<[string, CompiledQuery, boolean]> = [
    ['entity', compileEntity(rootPosition(`{ entity(id: "x") { ${entity} } }`), 'belgium'), true],
    ['country', compileCountry(rootPosition(`{ country(code: "BE") { ${entity} } }`), 'BE'), true],
    ['node', compileNode(rootPosition(`{ node(id: "x") { id ... on Entity { name facts { id } } ... on Fact { type evidence { quote } } ... on Source { title } } }`), 'lithuania'), true],
    ['entities', compileEntityPage(rootPosition(`{ entities { totalCount edges { node { ${entity} } } } }`), 'Country', '', 21), true],
    ['sources', compileSourcePage(rootPosition(`{ sources { totalCount edges { node { id passages { quote facts { id } } claims(first: 2) { status } } } } }`), null, 21), true],
    ['search', compileSearch(rootPosition(`{ search(text: "x") { score entity { ${entity} } } }`), { lucene: '(nato^3 OR nato*)', named: [], kinds: null, subtypes: null, first: 10 }), true],
    ['searchEvidence', compileSearchEvidence(rootPosition(`{ searchEvidence(text: "x") { quote source { title } facts { id subject { name } } } }`), '(belgian^3 OR belgian*)', 10), true],
    ['timeline of one entity', compileTimeline(rootPosition(`{ timeline { moment fact { id subject { name } evidence { quote } } } }`), 'belgium', [...FACTUAL_STATUSES]), true],
    ['the whole-graph timeline', compileTimeline(rootPosition(`{ timeline { moment fact { id subject { name } } } }`), null, [...FACTUAL_STATUSES]), false],
    ['connections', compileConnections(rootPosition(`{ connections(from: "a", to: "b") { length hops { from { id name } to { name } fact { id evidence { quote } } } } }`), 'luxembourg', 'belgium', 4, all), true],
    ['partners', compilePartners(rootPosition(`{ partners(of: "x") { ${partnership} } }`), 'lithuania', all), true],
    [
      'partnerships',
      compilePartnerPage(childPosition(childPosition(rootPosition(`{ partnerships(of: "x") { edges { node { ${partnership} } } } }`), 'edges')!, 'node'), 'lithuania', all, null, 21, 20),
      true,
    ],
    ['partnerCounts', compilePartnerCounts('lithuania', '2024-04-01'), true],
    [
      'cooperationNetwork',
      compileNetwork(rootPosition(`{ cooperationNetwork { nodes { entity { id name } degree } edges { weight shared { id name } direct { id status } } } }`), ['Country'], all),
      false,
    ],
  ];

  it.each(COMPILED)('compiled %s: no Distinct keyed on a list a subquery imports', async (_name, compiled, indexBacked) => {
    const root = await plan(compiled.cypher, compiled.params);
    expect(distinctOnImportedLists(root)).toEqual([]);
    const forbidden = indexBacked ? SCANS : ['AllNodesScan'];
    expect([...nodesOf(root)].map(operatorOf).filter((op) => forbidden.includes(op))).toEqual([]);
  });
});

