/**
 * The API over many sources: the seed and the two synthetic follow-ups (tests/fixtures), with
 * each fact's claims, corroboration and conflicts, `knownOn` (what the sources had said by a
 * day), the sources as data, and an entity's sources.
 */
import path from 'node:path';
import type { ApolloServer } from '@apollo/server';
import { createContext, type Context } from '../../src/context';
import { deriveView, viewKnownOn } from '../../src/claims';
import type { Db } from '../../src/db/executor';
import { claimOf } from '../../src/db/ingest';
import { loadFiles } from '../../src/ingest/load';
import { logger } from '../../src/logger';
import { STATUSES } from '../../src/ontology';
import { PROJECT_ROOT } from '../../src/paths';
import { startSeededApollo } from '../helpers/graph';

const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures');
const SEED_ID = 'lt-mod-2024-03-25-chod-belgium';
const FOLLOW_UP = 'synthetic-2024-06-follow-up';
const SECOND = 'synthetic-2024-06-second-follow-up';
const BELGIUM_IN_RWG = 'fact:participates-in:belgium:resilience-work-group:participant';
const CZECHIA_IN_EFP = 'fact:participates-in:czechia:efp-battle-group-lithuania:contributor';

let db: Db;
let apollo: ApolloServer<Context>;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, apollo, close } = await startSeededApollo());
  await loadFiles(db, [path.join(FIXTURES, `${FOLLOW_UP}.yaml`), path.join(FIXTURES, `${SECOND}.yaml`)]);
}, 180_000);

afterAll(() => close());

async function ok(query: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await apollo.executeOperation({ query, variables }, { contextValue: createContext(db, logger) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  if (errors) throw new Error(JSON.stringify(errors));
  return JSON.parse(JSON.stringify(data));
}

const BELGIUM_RWG = `query($knownOn: Date) {
  entity(id: "belgium") {
    facts(types: [PARTICIPATES_IN], status: [ACTIVE, PLANNED], knownOn: $knownOn) {
      id status validity { start { value } inForceFrom } claims { source { id } status } corroboration { sources publishers }
    }
  }
}`;

describe('knownOn: the graph as its sources told it on a day', () => {
  it('answers PLANNED for what was known on 2024-04-01, from the seed alone', async () => {
    const data = await ok(BELGIUM_RWG, { knownOn: '2024-04-01' });
    const fact = data.entity.facts.find((f: { id: string }) => f.id === BELGIUM_IN_RWG);
    expect(fact).toEqual({
      id: BELGIUM_IN_RWG,
      status: 'PLANNED',
      validity: { start: null, inForceFrom: '2024-03-25' },
      claims: [{ source: { id: SEED_ID }, status: 'PLANNED' }],
      corroboration: { sources: 1, publishers: 1 },
    });
  });

  it("answers ACTIVE since May 2024 in today's view, with both claims in publication order", async () => {
    for (const knownOn of [null, '2024-06-14']) {
      const data = await ok(BELGIUM_RWG, { knownOn });
      expect(data.entity.facts.find((f: { id: string }) => f.id === BELGIUM_IN_RWG)).toEqual({
        id: BELGIUM_IN_RWG,
        status: 'ACTIVE',
        validity: { start: { value: '2024-05' }, inForceFrom: '2024-05-31' },
        claims: [
          { source: { id: SEED_ID }, status: 'PLANNED' },
          { source: { id: FOLLOW_UP }, status: 'ACTIVE' },
        ],
        corroboration: { sources: 2, publishers: 2 },
      });
    }
  });

  it('knows nothing before the first source, and filters on the view of the day (asOf, status)', async () => {
    expect((await ok(BELGIUM_RWG, { knownOn: '2024-03-24' })).entity.facts).toEqual([]);
    const asOf = `query($knownOn: Date) { entity(id: "estonia") { facts(asOf: "2024-06-01", knownOn: $knownOn) { id } } }`;
    expect((await ok(asOf, { knownOn: '2024-06-13' })).entity.facts).toEqual([]);
    expect((await ok(asOf, { knownOn: '2024-06-14' })).entity.facts).toEqual([{ id: 'fact:participates-in:estonia:resilience-work-group:participant' }]);
  });

  it('applies to partners and the network: Estonia is no partner of Belgium on 2024-04-01, and is one today', async () => {
    const query = `query($knownOn: Date) {
      partners(of: "belgium", knownOn: $knownOn, status: [ACTIVE, PLANNED]) { partner { id } links { through { id } facts { id status } } }
      cooperationNetwork(knownOn: $knownOn) { nodes { entity { id } } }
    }`;
    const then = await ok(query, { knownOn: '2024-04-01' });
    const now = await ok(query, { knownOn: null });
    const partners = (d: any) => d.partners.map((p: { partner: { id: string } }) => p.partner.id);
    expect(partners(then)).not.toContain('estonia');
    expect(partners(now)).toContain('estonia');
    const rwgStatus = (d: any) =>
      d.partners
        .flatMap((p: any) => p.links)
        .flatMap((l: any) => l.facts)
        .find((f: { id: string }) => f.id === BELGIUM_IN_RWG)?.status;
    expect(rwgStatus(then)).toBe('PLANNED');
    expect(rwgStatus(now)).toBe('ACTIVE');
    const nodes = (d: any) => d.cooperationNetwork.nodes.map((n: { entity: { id: string } }) => n.entity.id);
    expect(nodes(then)).not.toContain('estonia');
    expect(nodes(now)).toContain('estonia');
  });
});

describe('claims, corroboration and conflicts', () => {
  it('reports the contradiction of two sources published the same day, naming both', async () => {
    const data = await ok(`{ node(id: "${CZECHIA_IN_EFP}") { ... on Fact {
      status conflicts { field sources { id } values }
      claims { source { id } status isFactual validity { end { value } } evidence { quote } }
    } } }`);
    expect(data.node.status).toBe('ACTIVE');
    expect(data.node.conflicts).toEqual([{ field: 'STATUS', sources: [{ id: FOLLOW_UP }, { id: SECOND }], values: ['ACTIVE', 'ENDED'] }]);
    expect(data.node.claims.map((c: any) => [c.source.id, c.status, c.validity.end?.value ?? null])).toEqual([
      [SEED_ID, 'ACTIVE', null],
      [FOLLOW_UP, 'ACTIVE', null],
      [SECOND, 'ENDED', '2024-05'],
    ]);
    expect(data.node.claims[2].evidence).toEqual([{ quote: 'Czech troops left the NATO enhanced Forward Presence Battalion Battle Group in May 2024.' }]);
  });

  it('shows a date refined by a more precise source, and no conflict where sources agree', async () => {
    const data = await ok(`{ node(id: "fact:member-of:lithuania:nato") { ... on Fact {
      validity { start { value precision } inForceFrom } conflicts { field } corroboration { sources publishers }
    } } }`);
    expect(data.node).toEqual({
      validity: { start: { value: '2004-03-29', precision: 'DAY' }, inForceFrom: '2004-03-29' },
      conflicts: [],
      corroboration: { sources: 3, publishers: 3 },
    });
  });
});

describe('sources as data', () => {
  it('pages through the sources by id, with their notes and counts', async () => {
    const first = await ok(`{ sources(first: 2) { totalCount edges { cursor node { id publisher published { value } notes { key value } factCount entityCount } } pageInfo { hasNextPage endCursor } } }`);
    expect(first.sources.totalCount).toBe(3);
    expect(first.sources.edges.map((e: any) => e.node.id)).toEqual([SEED_ID, FOLLOW_UP]);
    expect(first.sources.edges[0].node).toMatchObject({ factCount: 44, entityCount: 37, notes: expect.arrayContaining([{ key: 'photoCredit', value: 'A.Pliadis' }]) });
    expect(first.sources.edges[1].node).toMatchObject({ published: { value: '2024-06-14' }, factCount: 5, entityCount: 7 });
    expect(first.sources.pageInfo.hasNextPage).toBe(true);
    const rest = await ok(`query($after: String) { sources(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }`, {
      after: first.sources.pageInfo.endCursor,
    });
    expect(rest.sources).toEqual({ edges: [{ node: { id: SECOND } }], pageInfo: { hasNextPage: false } });
  });

  it("lists a source's claims by fact id, page by page", async () => {
    const page = await ok(`{ node(id: "${SECOND}") { ... on Source { claims(first: 2) { fact { id } status } } } }`);
    expect(page.node.claims).toEqual([
      { fact: { id: 'fact:member-of:lithuania:nato' }, status: 'ACTIVE' },
      { fact: { id: CZECHIA_IN_EFP }, status: 'ENDED' },
    ]);
    const next = await ok(`{ node(id: "${SECOND}") { ... on Source { claims(first: 2, after: "${CZECHIA_IN_EFP}") { fact { id } } } } }`);
    expect(next.node.claims).toEqual([{ fact: { id: 'fact:participates-in:latvia:demining-coalition:participant' } }]);
  });

  it('gives each entity the sources that define it or state facts about it, oldest first', async () => {
    const data = await ok(`{ belgium: entity(id: "belgium") { sources { id } } estonia: entity(id: "estonia") { sources { id } } rukla: entity(id: "rukla") { sources { id } } }`);
    expect(data).toEqual({
      belgium: { sources: [{ id: SEED_ID }, { id: FOLLOW_UP }, { id: SECOND }] },
      estonia: { sources: [{ id: FOLLOW_UP }] },
      rukla: { sources: [{ id: SEED_ID }] },
    });
  });
});

describe('knownOn in the counts: facts counted by the status known on that day', () => {
  const DAYS = ['2024-03-24', '2024-04-01', '2024-06-13', '2024-06-14', null];
  const ALL = '[ACTIVE, ENDED, PLANNED, PROPOSED, ANNOUNCED]';
  const byStatus = (counts: any) => Object.fromEntries(counts.byStatus.map((s: any) => [s.status, s.total]));

  it("Entity.factCounts agrees with Entity.facts on every day: totals by status, what is shown, what is in force", async () => {
    for (const knownOn of DAYS) {
      const data = await ok(
        `query($knownOn: Date) { entity(id: "belgium") {
          all: facts(status: ${ALL}, knownOn: $knownOn) { status inForceOn(day: "2024-06-01") }
          shown: facts(status: [ACTIVE, PLANNED], asOf: "2024-06-01", knownOn: $knownOn) { id }
          factCounts(status: [ACTIVE, PLANNED], asOf: "2024-06-01", knownOn: $knownOn) {
            total shown byStatus { status total } byInForce { inForce total }
          }
        } }`,
        { knownOn },
      );
      const { all, shown, factCounts } = data.entity;
      const tally = (key: string) => all.reduce((m: Record<string, number>, f: any) => ({ ...m, [f[key]]: (m[f[key]] ?? 0) + 1 }), {});
      const expected = (counted: Record<string, number>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, counted[k] ?? 0]));
      expect([knownOn, factCounts.total]).toEqual([knownOn, all.length]);
      expect([knownOn, factCounts.shown]).toEqual([knownOn, shown.length]);
      expect([knownOn, byStatus(factCounts)]).toEqual([knownOn, expected(tally('status'), ['ACTIVE', 'ENDED', 'PLANNED', 'PROPOSED', 'ANNOUNCED'])]);
      const byInForce = Object.fromEntries(factCounts.byInForce.map((s: any) => [s.inForce, s.total]));
      expect([knownOn, byInForce]).toEqual([knownOn, expected(tally('inForceOn'), ['YES', 'NO', 'UNKNOWN'])]);
    }
  });

  it("counts Belgium's membership of the Resilience Work Group as PLANNED on 2024-04-01, ACTIVE today, and nothing before the seed", async () => {
    const query = `query($knownOn: Date) { entity(id: "belgium") { factCounts(types: [PARTICIPATES_IN], knownOn: $knownOn) { total byStatus { status total } } } }`;
    const then = (await ok(query, { knownOn: '2024-04-01' })).entity.factCounts;
    const now = (await ok(query, { knownOn: null })).entity.factCounts;
    expect(then.total).toBe(now.total);
    expect(byStatus(then).PLANNED).toBe(byStatus(now).PLANNED + 1);
    expect(byStatus(then).ACTIVE).toBe(byStatus(now).ACTIVE - 1);
    expect((await ok(query, { knownOn: '2024-03-24' })).entity.factCounts.total).toBe(0);
  });

  it('Network.factCounts counts each fact by the view its claims published by then give (src/claims.ts)', async () => {
    // The facts a network is built from: involvement, support and direct cooperation.
    const rows = await db.read(
      `MATCH (f:Fact) WHERE f.type IN ['MEMBER_OF', 'PARTICIPATES_IN', 'COOPERATES_WITH', 'TRAINS_WITH', 'SUPPORTS']
       MATCH (f)-[:CLAIMED_IN]->(c:Claim)
       RETURN f.id AS id, collect(properties(c)) AS claims`,
    );
    for (const knownOn of DAYS) {
      const views = rows.flatMap((r) => {
        const claims = (r.claims as Array<Record<string, unknown>>).map(claimOf);
        const view = knownOn === null ? deriveView(claims) : viewKnownOn(claims, knownOn);
        return view ? [view] : [];
      });
      const counts = (await ok(`query($knownOn: Date) { cooperationNetwork(knownOn: $knownOn) { factCounts { total shown byStatus { status total } } } }`, { knownOn }))
        .cooperationNetwork.factCounts;
      const expected = Object.fromEntries(STATUSES.map((s) => [s, views.filter((v) => v.status === s).length]));
      expect([knownOn, counts.total, byStatus(counts)]).toEqual([knownOn, views.length, expected]);
      expect([knownOn, counts.shown]).toEqual([knownOn, views.filter((v) => v.status === 'ACTIVE' || v.status === 'ENDED').length]);
    }
  });

  it('partnerCounts counts the facts behind the links as known then, and shows as many partners as partners gives', async () => {
    const query = `query($knownOn: Date) {
      partners(of: "belgium", status: [ACTIVE, PLANNED], knownOn: $knownOn) { partner { id } }
      partnerCounts(of: "belgium", status: [ACTIVE, PLANNED], knownOn: $knownOn) { shown facts { total byStatus { status total } } }
    }`;
    const then = await ok(query, { knownOn: '2024-04-01' });
    const now = await ok(query, { knownOn: null });
    for (const d of [then, now]) expect(d.partnerCounts.shown).toBe(d.partners.length);
    expect(byStatus(then.partnerCounts.facts).PLANNED).toBeGreaterThan(byStatus(now.partnerCounts.facts).PLANNED);
    // Estonia's membership is stated only in June: not counted in April.
    expect(then.partnerCounts.facts.total).toBeLessThan(now.partnerCounts.facts.total);
  });
});
