/**
 * The API is read-only for anonymous callers: the schema has no Mutation or Subscription type,
 * a mutation (or subscription) is refused before any Cypher runs, and every Cypher query an API
 * request sends is a read. Checked with spies on the Db (write, autoCommit, inWriteTransaction
 * on every Db, including each request's scoped one) and on the neo4j-driver Driver under it
 * (executeQuery's routing, and each session's access mode), while the example
 * questions of docs/api.md, every other root field and the HTTP routes run against the seeded graph.
 */
import fs from 'node:fs';
import type { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { createContext, type Context } from '../../src/context';
import { Db } from '../../src/db/executor';
import { logger } from '../../src/logger';
import { SCHEMA_FILE } from '../../src/paths';
import { resolvers } from '../../src/resolvers';
import { GraphVersionWatch, ResponseCache } from '../../src/cache';
import { createApollo } from '../../src/apollo';
import { startServer, type RunningServer } from '../../src/server';
import { EXAMPLES } from '../../web/src/graphiql/examples';
import { resetToSeed, testDb } from '../helpers/graph';

let db: Db;
let apollo: ApolloServer<Context>;
let server: RunningServer;
let base: string;

/** Calls to the Db's write paths, on any Db instance (a request's scoped Db is a new instance). */
let writes: jest.SpiedFunction<Db['write']>;
let autoCommits: jest.SpiedFunction<Db['autoCommit']>;
let writeTransactions: jest.SpiedFunction<Db['inWriteTransaction']>;
let reads: jest.SpiedFunction<Db['read']>;
/** Calls to the driver itself: executeQuery (writes, the health check) and sessions (reads run in READ sessions). */
let executeQuery: jest.SpiedFunction<Db['driver']['executeQuery']>;
let sessions: jest.SpiedFunction<Db['driver']['session']>;

beforeAll(async () => {
  db = testDb();
  await resetToSeed(db);
  apollo = createApollo({ db, logger, production: false });
  await apollo.start();
  // The response cache is on; its version poll runs at start and then only when a test asks
  // (refresh()), so that the driver calls counted below are the requests' own.
  const watch = new GraphVersionWatch(db, 3_600_000, logger);
  server = await startServer({ db, logger, production: false, host: '127.0.0.1', port: 0, responseCache: new ResponseCache({ watch, maxSize: 8 * 1024 * 1024 }) });
  base = `http://127.0.0.1:${server.port}`;
  // Spies go on after the seed is loaded (loading is a write, through the operator's `dcg load`).
  writes = jest.spyOn(Db.prototype, 'write');
  autoCommits = jest.spyOn(Db.prototype, 'autoCommit');
  writeTransactions = jest.spyOn(Db.prototype, 'inWriteTransaction');
  reads = jest.spyOn(Db.prototype, 'read');
  executeQuery = jest.spyOn(db.driver, 'executeQuery');
  sessions = jest.spyOn(db.driver, 'session');
}, 180_000); // a cold database takes a while to wipe and seed

afterAll(async () => {
  jest.restoreAllMocks();
  await server?.close();
  await apollo?.stop();
  await db?.close();
});

beforeEach(() => {
  for (const spy of [writes, autoCommits, writeTransactions, reads, executeQuery, sessions]) spy.mockClear();
});

/** The access mode of every driver call so far: executeQuery's routing and each session's mode, READ for a read. */
function accessModes(): unknown[] {
  return [
    ...executeQuery.mock.calls.map((call) => (call[2] as { routing?: unknown } | undefined)?.routing),
    ...sessions.mock.calls.map((call) => call[0]?.defaultAccessMode),
  ];
}

/** Calls that send a query to Neo4j. */
function driverCalls(): number {
  return executeQuery.mock.calls.length + sessions.mock.calls.length;
}

function expectOnlyReads(): void {
  expect(writes).not.toHaveBeenCalled();
  expect(autoCommits).not.toHaveBeenCalled();
  expect(writeTransactions).not.toHaveBeenCalled();
  expect(accessModes().every((mode) => mode === 'READ')).toBe(true);
}

interface Outcome {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
  status: number | undefined;
  roundTrips: number;
}

async function run(query: string, variables?: Record<string, unknown>): Promise<Outcome> {
  const contextValue = createContext(db, logger, 'readonly-test');
  const response = await apollo.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  return { data, errors, status: response.http.status, roundTrips: contextValue.db.roundTrips };
}

describe('the schema has no write operations', () => {
  it('schema.graphql defines no Mutation or Subscription type, and the resolvers have none', () => {
    const schema = buildSchema(fs.readFileSync(SCHEMA_FILE, 'utf8'));
    expect(schema.getQueryType()?.name).toBe('Query');
    expect(schema.getMutationType()).toBeUndefined();
    expect(schema.getSubscriptionType()).toBeUndefined();
    expect(schema.getType('Mutation')).toBeUndefined();
    expect(schema.getType('Subscription')).toBeUndefined();
    expect(Object.keys(resolvers)).not.toEqual(expect.arrayContaining(['Mutation']));
    expect(Object.keys(resolvers)).not.toEqual(expect.arrayContaining(['Subscription']));
  });

  it('introspection of the served schema says so too', async () => {
    const outcome = await run('{ __schema { queryType { name } mutationType { name } subscriptionType { name } } }');
    expect(outcome.errors).toBeUndefined();
    expect(outcome.data).toEqual({ __schema: { queryType: { name: 'Query' }, mutationType: null, subscriptionType: null } });
    expect(outcome.roundTrips).toBe(0);
  });
});

describe('a mutation or a subscription is refused before any Cypher', () => {
  const refused = [
    'mutation { __typename }',
    'mutation DeleteAll { deleteEntity(id: "belgium") { id } }',
    'mutation ($id: ID!) { createEntity(id: $id, name: "x") { id } }',
    'subscription { __typename }',
    'subscription { factAdded { id } }',
  ];

  it.each(refused)('%s: 400, no data, no round trip', async (query) => {
    const outcome = await run(query, query.includes('$id') ? { id: 'x' } : undefined);
    expect(outcome.status).toBe(400);
    expect(outcome.data).toBeUndefined();
    expect(outcome.errors?.length).toBeGreaterThan(0);
    expect(outcome.errors?.every((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
    expect(outcome.roundTrips).toBe(0);
    expect(driverCalls()).toBe(0);
    expectOnlyReads();
  });

  it('names the reason: the schema has no mutation type', async () => {
    const outcome = await run('mutation { __typename }');
    expect(outcome.errors?.map((e) => e.message).join('\n')).toMatch(/mutation/i);
  });

  it('over HTTP: refused with 400, by POST and by GET', async () => {
    const post = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { __typename }' }),
    });
    expect(post.status).toBe(400);
    const body = (await post.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const get = await fetch(`${base}/graphql?query=${encodeURIComponent('mutation { __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(400);
    expect(driverCalls()).toBe(0);
    expectOnlyReads();
  });
});

/** The example questions of docs/api.md (as GraphiQL opens them) and every other root field. */
const QUESTIONS: Array<{ name: string; query: string; variables?: Record<string, unknown> }> = [
  ...EXAMPLES.map((example) => ({
    name: /query (\w+)/.exec(example.query)?.[1] ?? 'example',
    query: example.query,
    variables: example.variables ? (JSON.parse(example.variables) as Record<string, unknown>) : undefined,
  })),
  {
    name: 'partners with plans',
    query: `{ partners(of: "lithuania", status: [ACTIVE, PLANNED, PROPOSED]) {
      partner { name } links { kind facts { type status isFactual evidence { quote } } } } }`,
  },
  {
    name: 'eFP as of 2016',
    query: `{ entity(id: "efp-battle-group-lithuania") { facts(types: [PARTICIPATES_IN], asOf: "2016-06-01") { id } } }`,
  },
  {
    name: 'connections (docs/api.md form)',
    query: `{ connections(from: "luxembourg", to: "belgium") {
      length hops { from { name } relation forward to { name }
        fact { status validity { start { text } } evidence { quote start end source { title url } } } } } }`,
  },
  {
    name: 'node: entity, fact, source, unknown',
    query: `{ e: node(id: "belgium") { id ... on Entity { name } }
      f: node(id: "fact:participates-in:belgium:efp-battle-group-lithuania:contributor") { id }
      u: node(id: "no-such-id") { id } }`,
  },
  { name: 'country by code', query: '{ country(code: "BE") { id name } }' },
  { name: 'search', query: '{ search(text: "CRRT", kinds: [INITIATIVE], first: 5) { score entity { id name } } }' },
  { name: 'entities page', query: '{ entities(kind: COUNTRY, first: 3) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }' },
  { name: 'timeline', query: '{ timeline(entity: "belgium") { moment date { text precision earliest latest } fact { id type } } }' },
  {
    name: 'cooperationNetwork',
    query: `{ cooperationNetwork(asOf: "2024-03-25", domain: LAND, kinds: [COUNTRY]) {
      nodes { entity { id } degree weightedDegree sharedPartners directPartners } edges { source target weight shared { id } direct { id } } } }`,
  },
  { name: 'stats', query: '{ stats { entitiesByKind { key count } factsByType { key count } factsByStatus { key count } factsByDomain { key count } sources evidence } }' },
];

describe('API requests only read', () => {
  it('covers the example questions', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(4);
  });

  it.each(QUESTIONS.map((q) => [q.name, q] as const))('%s: answers from reads only', async (_name, question) => {
    const outcome = await run(question.query, question.variables);
    expect(outcome.errors).toBeUndefined();
    expect(outcome.data).toBeTruthy();
    expect(outcome.roundTrips).toBeGreaterThan(0);
    expectOnlyReads();
    // Every round trip the request counted went to the driver as a read, in a READ session.
    expect(reads).toHaveBeenCalledTimes(outcome.roundTrips);
    expect(sessions).toHaveBeenCalledTimes(outcome.roundTrips);
    expect(executeQuery).not.toHaveBeenCalled();
  });

  it('the HTTP routes that touch Neo4j (/graphql, /export, /health/ready, /metrics) only read', async () => {
    for (const question of QUESTIONS) {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: question.query, variables: question.variables }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    }
    for (const format of ['json', 'graphml', 'csv-edges', 'csv-nodes']) {
      expect((await fetch(`${base}/export?format=${format}&asOf=2024-03-25`)).status).toBe(200);
    }
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    // The response cache's poll of the graph version.
    await server.graphVersion?.refresh();
    expect(server.graphVersion?.current).toMatch(/^1:\d+$/);
    expect(driverCalls()).toBeGreaterThan(QUESTIONS.length);
    expectOnlyReads();
  });
});

describe('a read cannot write, even if a write slipped into one', () => {
  it('Neo4j refuses a CREATE sent through Db.read (a read transaction), and the graph is unchanged', async () => {
    const count = async () => Number((await db.read('MATCH (n) RETURN count(n) AS n'))[0]?.n);
    const before = await count();
    await expect(db.read('CREATE (n:ReadonlyProbe {at: timestamp()}) RETURN n')).rejects.toThrow(/read/i);
    expect(await count()).toBe(before);
    expect(Number((await db.read('MATCH (n:ReadonlyProbe) RETURN count(n) AS n'))[0]?.n)).toBe(0);
  });
});
