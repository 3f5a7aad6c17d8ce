/**
 * partnerships: the partners of `partners`, a page at a time. Walking every page gives the same
 * partners in the same order as `partners`, with the same links (capped per partnership at
 * linksFirst, linkCount saying how many in all), on the compiled and the DataLoader path alike.
 */
import type { ApolloServer } from '@apollo/server';
import { config } from '../../src/config';
import { createContext, type Context } from '../../src/context';
import type { Db } from '../../src/db/executor';
import { logger } from '../../src/logger';
import { startSeededApollo } from '../helpers/graph';

let db: Db;
let apollo: ApolloServer<Context>;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, apollo, close } = await startSeededApollo());
}, 180_000);

afterAll(() => close());

async function run(query: string, variables: Record<string, unknown>, compile = true): Promise<{ data: any; errors: any[] | undefined; roundTrips: number }> {
  const ctx = createContext(db, logger, undefined, { compile });
  const response = await apollo.executeOperation({ query, variables }, { contextValue: ctx });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { data: response.body.singleResult.data, errors: response.body.singleResult.errors as any[] | undefined, roundTrips: ctx.db.roundTrips };
}

const PARTNERS = `query ($of: ID!, $status: [Status!]) { partners(of: $of, status: $status) {
  partner { id } links { kind through { id } facts { id } } domains statuses since { text } inForceFrom evidence { id } } }`;

const PAGE = `query ($of: ID!, $first: Int, $after: String, $linksFirst: Int, $status: [Status!]) {
  partnerships(of: $of, first: $first, after: $after, linksFirst: $linksFirst, status: $status) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { partner { id } linkCount links { kind through { id } facts { id } } domains statuses since { text } inForceFrom evidence { id } } } } }`;

/** Every page of `first`, in order, and the round trips each cost. */
async function walk(of: string, first: number, linksFirst: number, compile: boolean, status?: string[]) {
  const nodes: any[] = [];
  const trips: number[] = [];
  let after: string | null = null;
  let total = -1;
  for (let i = 0; i < 50; i++) {
    const page = await run(PAGE, { of, first, after, linksFirst, status }, compile);
    expect(page.errors).toBeUndefined();
    const connection = page.data.partnerships;
    total = connection.totalCount;
    nodes.push(...connection.edges.map((e: any) => e.node));
    trips.push(page.roundTrips);
    expect(connection.edges.length).toBeLessThanOrEqual(first);
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return { nodes, trips, total };
}

describe('partnerships, page by page', () => {
  it.each([
    ['belgium', 2, undefined],
    ['lithuania', 1, ['ACTIVE', 'PLANNED', 'PROPOSED']],
    ['belgium', 5, ['ACTIVE', 'ENDED', 'PLANNED', 'PROPOSED']],
  ])('%s in pages of %i: the partners of partners, in its order', async (of, first, status) => {
    const all = (await run(PARTNERS, { of, status })).data.partners;
    expect(all.length).toBeGreaterThan(first as number);
    for (const compile of [true, false]) {
      const { nodes, trips, total } = await walk(of as string, first as number, 100, compile, status as string[] | undefined);
      expect(total).toBe(all.length);
      expect(nodes.map(({ linkCount, ...rest }) => rest)).toEqual(all);
      expect(nodes.map((n) => n.linkCount)).toEqual(all.map((p: any) => p.links.length));
      if (compile) expect(new Set(trips)).toEqual(new Set([1]));
    }
  });

  it('caps the links shown, keeps their count, and covers all of them in domains, statuses and evidence', async () => {
    const all = (await run(PARTNERS, { of: 'belgium' })).data.partners;
    const strongest = all[0];
    expect(strongest.links.length).toBeGreaterThan(1);
    for (const compile of [true, false]) {
      const { data } = await run(PAGE, { of: 'belgium', first: 1, linksFirst: 1 }, compile);
      const node = data.partnerships.edges[0].node;
      expect(node.partner.id).toBe(strongest.partner.id);
      expect(node.links).toEqual(strongest.links.slice(0, 1));
      expect(node.linkCount).toBe(strongest.links.length);
      expect({ domains: node.domains, statuses: node.statuses, since: node.since, inForceFrom: node.inForceFrom, evidence: node.evidence }).toEqual({
        domains: strongest.domains,
        statuses: strongest.statuses,
        since: strongest.since,
        inForceFrom: strongest.inForceFrom,
        evidence: strongest.evidence,
      });
    }
  });

  it('answers an entity with no partners with an empty page, and refuses bad arguments naming them', async () => {
    const none = await run(PAGE, { of: 'lithuanian-armed-forces' });
    expect(none.data.partnerships).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ of: 'belgium', first: 0 }, 'first', 'BAD_USER_INPUT'],
      [{ of: 'belgium', linksFirst: 101 }, 'linksFirst', 'BAD_USER_INPUT'],
      [{ of: 'belgium', after: 'not-a-cursor' }, 'after', 'BAD_USER_INPUT'],
      [{ of: 'atlantis' }, 'of', 'NOT_FOUND'],
      [{ of: 'lithuania-belgium-chods-meeting-2024' }, 'of', 'BAD_USER_INPUT'],
    ];
    for (const [variables, argument, code] of cases) {
      for (const compile of [true, false]) {
        const { errors } = await run(PAGE, variables, compile);
        expect(errors?.[0]?.extensions?.code).toBe(code);
        expect(errors?.[0]?.message).toContain(argument);
      }
    }
  });
});

describe('whole partners lists under a crowd', () => {
  /** Until `done()` holds, a macrotask at a time (each read reaches Neo4j's socket and back). */
  async function until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it.each([true, false])('are read PARTNERS_CONCURRENCY at a time, the others waiting their turn (compiled: %s)', async (compile) => {
    const limit = config().PARTNERS_CONCURRENCY;
    const crowd = limit + 3;
    const held: Array<{ request: number; release: () => void }> = [];
    let holding = true;
    // Requests with a read under way, and the most there were at once.
    const reading = new Map<number, number>();
    let most = 0;
    const runs = Array.from({ length: crowd }, (_, request) => {
      const ctx = createContext(db, logger, undefined, { compile });
      const read = ctx.db.read.bind(ctx.db);
      ctx.db.read = async (...args) => {
        reading.set(request, (reading.get(request) ?? 0) + 1);
        most = Math.max(most, reading.size);
        try {
          if (holding) await new Promise<void>((release) => held.push({ request, release }));
          return await read(...args);
        } finally {
          const left = (reading.get(request) ?? 1) - 1;
          if (left === 0) reading.delete(request);
          else reading.set(request, left);
        }
      };
      return apollo.executeOperation({ query: PARTNERS, variables: { of: 'belgium' } }, { contextValue: ctx });
    });
    const requestsHeld = () => new Set(held.map((h) => h.request)).size;
    // The first `limit` requests reach Neo4j; however long they are held there, no other starts.
    await until(() => requestsHeld() >= limit);
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(requestsHeld()).toBe(limit);
    holding = false;
    for (const h of held) h.release();
    for (const response of await Promise.all(runs)) {
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      expect(response.body.singleResult.errors).toBeUndefined();
      expect((response.body.singleResult.data as any).partners.length).toBeGreaterThan(0);
    }
    expect(most).toBe(limit);
  }, 60_000);
});
