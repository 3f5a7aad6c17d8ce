/**
 * Query plans (EXPLAIN, nothing runs) of every Cypher query the API sends. Lookups, partners,
 * paths, facts, evidence, pages and search start from an index (a seek, the full-text index, or
 * a count store) and never scan a label or a relationship type, so their cost stays flat as the
 * graph grows. The queries over the whole graph say so here: the cooperation network (every
 * involvement and direct relationship, O(facts) plus O(k²) pairs per shared body of k actors, and its
 * fact counts, O(facts)),
 * the statistics (every entity and fact, O(nodes)) and the timeline with no entity (every dated
 * fact, O(facts)).
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
  SOURCES_BY_ID,
} from '../../src/db/facts';
import { FACTUAL_STATUSES } from '../../src/ontology';
import { resetToSeed, testDb } from '../helpers/graph';

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
  children: PlanNode[];
}

/** The operators of a query's plan, without their planner suffixes (`NodeByLabelScan@neo4j`). */
async function operators(cypher: string, params: Record<string, unknown>): Promise<string[]> {
  const result = await db.driver.executeQuery(`EXPLAIN ${cypher}`, params, { routing: 'READ' });
  const out: string[] = [];
  const walk = (node: PlanNode) => {
    out.push(node.operatorType.split('@')[0] as string);
    for (const child of node.children) walk(child);
  };
  walk(result.summary.plan as unknown as PlanNode);
  return out;
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
});
