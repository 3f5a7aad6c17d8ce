/**
 * Cypher round trips per request. Compiled (src/db/compile, the default), each root field is
 * one query, whatever its selection. On the DataLoader path (the compiler off, and whatever a
 * compiled query leaves out) they are bounded by the depth of the query, not by the number of
 * results: each DataLoader sends one batch per level, whatever the number of keys.
 * Counted with the request context's db.roundTrips (every read() and write() counts one).
 */
import type { ApolloServer } from '@apollo/server';
import { createContext, type Context } from '../../src/context';
import type { Db } from '../../src/db/executor';
import { logger } from '../../src/logger';
import { startSeededApollo } from '../helpers/graph';

let db: Db;
let apollo: ApolloServer<Context>;

let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, apollo, close } = await startSeededApollo());
}, 180_000); // a cold database takes a while to wipe and seed

afterAll(() => close());

async function measure(query: string, variables?: Record<string, unknown>, compile?: boolean): Promise<{ data: any; roundTrips: number }> {
  const ctx = createContext(db, logger, undefined, { compile });
  const response = await apollo.executeOperation({ query, variables }, { contextValue: ctx });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  expect(response.body.singleResult.errors).toBeUndefined();
  return { data: response.body.singleResult.data, roundTrips: ctx.db.roundTrips };
}

describe('a deep query over many entities, on the DataLoader path', () => {
  const DEEP = `query ($first: Int, $kind: EntityKind) { entities(first: $first, kind: $kind) { edges { node {
    id name members { id } belongsTo { id }
    facts(status: [ACTIVE, PLANNED, PROPOSED]) { id subject { name } object { name } evidence { quote source { title } } }
  } } } }`;

  /*
   * The bound, level by level (a loader sends at most one batch per level):
   *   level 1  entities                      -> 1 (the page query; totalCount is not asked)
   *   level 2  node.members                  -> 1 (members loader)
   *            node.belongsTo                -> 1 (entity loader; 0 when every owner is on the page)
   *            node.facts                    -> 1 (factsOfEntity loader, one per distinct filter)
   *   level 3  fact.subject / fact.object    -> 1 (entity loader; 0 when all are on the page)
   *            fact.evidence                 -> 1 (evidence loader)
   *   level 4  evidence.source               -> 1 (source loader)
   *   total                                  <= 7
   */
  const BOUND = 7;

  const count = (data: any) => {
    const nodes = data.entities.edges.map((e: any) => e.node);
    const facts = nodes.flatMap((n: any) => n.facts);
    const evidence = facts.flatMap((f: any) => f.evidence);
    return { nodes: nodes.length, facts: facts.length, evidence: evidence.length };
  };

  it('stays within the depth bound for 100 entities as for 5, and more results never cost more trips', async () => {
    const big = await measure(DEEP, { first: 100 }, false);
    const small = await measure(DEEP, { first: 5 }, false);
    const one = await measure(DEEP, { first: 1 }, false);

    // The big answer really is big: every entity, each fact twice (as subject and as object).
    const size = count(big.data);
    expect(size.nodes).toBeGreaterThan(30);
    expect(size.facts).toBeGreaterThan(40);
    expect(size.evidence).toBeGreaterThan(size.facts);
    expect(count(small.data).nodes).toBe(5);
    expect(count(one.data).nodes).toBe(1);

    expect(big.roundTrips).toBeLessThanOrEqual(BOUND);
    expect(small.roundTrips).toBeLessThanOrEqual(BOUND);
    expect(one.roundTrips).toBeLessThanOrEqual(BOUND);
    // 100 entities: every owner and every fact's ends are on the page itself (primed), so the
    // entity loader never runs: 1 + 1 + 1 + 1 + 1 = 5. 5 entities (or 1): it runs once more, for
    // owners off the page (the facts' ends come with the facts): 6.
    expect(big.roundTrips).toBe(5);
    expect(small.roundTrips).toBe(6);
    expect(one.roundTrips).toBe(6);
  });

  it('costs the same for 2 countries as for all 8', async () => {
    // Countries belong to nothing (no belongsTo batch); their facts reach entities off the page
    // (NATO, the eFP battle group...), which come with the facts:
    // page 1 + members 1 + facts and their ends 1 + evidence 1 + source 1 = 5, however many countries.
    const two = await measure(DEEP, { first: 2, kind: 'COUNTRY' }, false);
    const all = await measure(DEEP, { first: 8, kind: 'COUNTRY' }, false);
    expect(count(two.data).nodes).toBe(2);
    expect(count(all.data).nodes).toBe(8);
    expect(count(all.data).facts).toBeGreaterThan(2 * count(two.data).facts);
    expect(two.roundTrips).toBe(5);
    expect(all.roundTrips).toBe(two.roundTrips);
  });

  it('is one round trip compiled, for 100 entities as for 1', async () => {
    const big = await measure(DEEP, { first: 100 });
    const one = await measure(DEEP, { first: 1 });
    expect(count(big.data)).toEqual(count((await measure(DEEP, { first: 100 }, false)).data));
    expect(big.roundTrips).toBe(1);
    expect(one.roundTrips).toBe(1);
  });
});

describe('one round trip per root field, compiled', () => {
  // Every query of the README and of the bench mix (bench/mix.ts), with the variables the
  // bench would pick.
  const README: Array<[string, string]> = [
    [
      'who has troops in the eFP battle group',
      `{ entity(id: "efp-battle-group-lithuania") {
        name facts(types: [PARTICIPATES_IN, DEPLOYED_AT]) {
          type subject { name } object { name } role
          validity { start { text precision earliest latest } } evidence { quote } } } }`,
    ],
    ['... as of 2016', `{ entity(id: "efp-battle-group-lithuania") { name facts(types: [PARTICIPATES_IN, DEPLOYED_AT], asOf: "2016-06-01") { type } } }`],
    [
      'how Luxembourg connects to Belgium',
      `{ connections(from: "luxembourg", to: "belgium") {
        length hops { from { name } relation forward to { name }
          fact { status validity { start { text } } evidence { quote start end source { title url } } } } } }`,
    ],
  ];
  const MIX: Array<[string, string, Record<string, unknown>]> = [
    ['EntityById', `query EntityById($id: ID!) { entity(id: $id) { id kind name aliases belongsTo { id name } facts { id type status role subject { id name } object { id name } } } }`, { id: 'belgium' }],
    [
      'Participants',
      `query Participants($id: ID!) { entity(id: $id) { id name facts(types: [PARTICIPATES_IN]) { id role object { id } subject { id name facts(types: [MEMBER_OF]) { id subject { id } object { id name } } } } } }`,
      { id: 'efp-battle-group-lithuania' },
    ],
    ['Search', `query Search($text: String!, $first: Int) { search(text: $text, first: $first) { score entity { id name kind } } }`, { text: 'belgian', first: 20 }],
    ['Partners', `query Partners($of: ID!) { partners(of: $of) { partner { id name } links { kind through { id } facts { id evidence { id quote } } } } }`, { of: 'belgium' }],
    ['Paths', `query Paths($from: ID!, $to: ID!) { connections(from: $from, to: $to, maxHops: 4) { length hops { from { id } to { id } relation forward fact { id } } } }`, { from: 'lithuania', to: 'belgian-navy' }],
    [
      'Network',
      `query Network { cooperationNetwork { nodes { entity { id } degree weightedDegree sharedPartners directPartners } edges { source target weight shared { id } direct { id } } } }`,
      {},
    ],
  ];

  it.each(README)('README: %s', async (_name, query) => {
    const { data, roundTrips } = await measure(query);
    expect(JSON.stringify(data)).toMatch(/"name"|"length"/);
    expect(roundTrips).toBe(1);
  });

  it.each(MIX)('bench mix: %s', async (_name, query, variables) => {
    const { data, roundTrips } = await measure(query, variables);
    expect(JSON.stringify(data)).toMatch(/"id"/);
    expect(roundTrips).toBe(1);
  });

  it('two root fields are two round trips', async () => {
    const { roundTrips } = await measure(`{ a: entity(id: "belgium") { name facts { id } } b: entity(id: "lithuania") { name bodies { id } } }`);
    expect(roundTrips).toBe(2);
  });
});

describe('partners with their evidence, on the DataLoader path', () => {
  const PARTNERS = `query ($of: ID!, $status: [Status!]) { partners(of: $of, status: $status) {
    partner { id name }
    links { kind through { id name } facts { id status subject { name } object { name } evidence { quote source { title } } } }
    evidence { quote source { title url publisher published { text } } }
  } }`;

  /*
   * In the resolver: the entity of `of` (entity loader) 1, the partners query 1, the link facts
   * (fact loader) 1.
   * Level 2, together: partner and link.through (entity loader) 1, partnership evidence 1.
   * Level 3: evidence.source (source loader) 1.
   * Level 4: fact.subject / fact.object off the cache (entity loader) 1; fact.evidence is already
   *          loaded by the partnership's evidence, and its source too.
   * Total 7, whatever the number of partners, links, facts or evidence.
   */
  const EXPECTED = 7;

  const size = (data: any) => ({
    partners: data.partners.length,
    facts: data.partners.reduce((n: number, p: any) => n + p.links.reduce((m: number, l: any) => m + l.facts.length, 0), 0),
    evidence: data.partners.reduce((n: number, p: any) => n + p.evidence.length, 0),
  });

  it('costs the same for Lithuania (2 partners) as for Belgium (6 partners)', async () => {
    const lithuania = await measure(PARTNERS, { of: 'lithuania' }, false);
    const belgium = await measure(PARTNERS, { of: 'belgium' }, false);
    expect(size(lithuania.data).partners).toBe(2);
    expect(size(belgium.data).partners).toBe(6);
    expect(size(belgium.data).evidence).toBeGreaterThan(size(lithuania.data).evidence);
    expect(lithuania.roundTrips).toBe(EXPECTED);
    expect(belgium.roundTrips).toBe(EXPECTED);
  });

  it('costs the same with plans and proposals, which add links and facts', async () => {
    const facts = await measure(PARTNERS, { of: 'lithuania' }, false);
    const plans = await measure(PARTNERS, { of: 'lithuania', status: ['ACTIVE', 'PLANNED', 'PROPOSED'] }, false);
    expect(size(plans.data).facts).toBeGreaterThan(size(facts.data).facts);
    expect(plans.roundTrips).toBe(EXPECTED);
  });

  it('costs 2 for an entity with no partners (nothing to load after the query)', async () => {
    // The Lithuanian Armed Forces have facts (a Chief of Defence), but no partner link.
    const none = await measure(PARTNERS, { of: 'lithuanian-armed-forces' }, false);
    expect(none.data.partners).toEqual([]);
    expect(none.roundTrips).toBe(2);
  });

  it('is one round trip compiled, for Belgium (6 partners) as for none', async () => {
    const belgium = await measure(PARTNERS, { of: 'belgium' });
    const none = await measure(PARTNERS, { of: 'lithuanian-armed-forces' });
    expect(size(belgium.data)).toEqual(size((await measure(PARTNERS, { of: 'belgium' }, false)).data));
    expect(size(belgium.data).evidence).toBeGreaterThan(10);
    expect(belgium.roundTrips).toBe(1);
    expect(none.data.partners).toEqual([]);
    expect(none.roundTrips).toBe(1);
  });
});
