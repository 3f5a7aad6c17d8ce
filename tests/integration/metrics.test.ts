/**
 * /metrics after a few requests: request counts and latency by operation, errors by code,
 * Cypher round trips per request, the in-flight gauge, process metrics, HTTP responses; and
 * one structured log line per request.
 */
import pino from 'pino';
import type { Db } from '../../src/db/executor';
import type { Logger } from '../../src/logger';
import { MAX_OPERATION_LABELS } from '../../src/observability';
import { startServer, type RunningServer } from '../../src/server';
import { resetToSeed, testDb } from '../helpers/graph';

let db: Db;
let server: RunningServer;
let base: string;
const logLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  db = testDb();
  await resetToSeed(db);
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) }) as unknown as Logger;
  server = await startServer({ db, logger, production: false, host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await db.close();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const before = db.roundTrips;
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] }, roundTrips: db.roundTrips - before };
}

async function scrape(): Promise<string> {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

/** The value of one sample, e.g. sample(text, 'dcg_graphql_requests_total', { operation: 'Partners' }). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2] ? match[2].split(',') : [];
    if (wanted.length === have.length && wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return undefined;
}

const PARTNERS = 'query Partners { partners(of: "lithuania") { partner { name } links { kind facts { id evidence { quote } } } } }';

describe('/metrics', () => {
  let trips = 0;

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const answer = await post({ query: PARTNERS });
      expect(answer.body.errors).toBeUndefined();
      trips += answer.roundTrips;
    }
    expect((await post({ query: 'query BadSearch { search(text: "") { score } }' })).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await post({ query: 'query Missing { partners(of: "atlantis") { domains } }' })).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await post({ query: '{ nope }' })).status).toBe(400);
  });

  it('counts requests and their latency by operation name', async () => {
    const text = await scrape();
    expect(sample(text, 'dcg_graphql_requests_total', { operation: 'Partners' })).toBe(2);
    expect(sample(text, 'dcg_graphql_requests_total', { operation: 'BadSearch' })).toBe(1);
    expect(sample(text, 'dcg_graphql_requests_total', { operation: 'anonymous' })).toBe(1);
    expect(sample(text, 'dcg_graphql_request_duration_seconds_count', { operation: 'Partners' })).toBe(2);
    expect(sample(text, 'dcg_graphql_request_duration_seconds_sum', { operation: 'Partners' })).toBeGreaterThan(0);
    expect(sample(text, 'dcg_graphql_request_duration_seconds_bucket', { operation: 'Partners', le: '+Inf' })).toBe(2);
  });

  it('counts errors by code and operation', async () => {
    const text = await scrape();
    expect(sample(text, 'dcg_graphql_errors_total', { code: 'BAD_USER_INPUT', operation: 'BadSearch' })).toBe(1);
    expect(sample(text, 'dcg_graphql_errors_total', { code: 'NOT_FOUND', operation: 'Missing' })).toBe(1);
    expect(sample(text, 'dcg_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED', operation: 'anonymous' })).toBe(1);
    expect(sample(text, 'dcg_graphql_errors_total', { code: 'NOT_FOUND', operation: 'Partners' })).toBeUndefined();
  });

  it('records the Cypher round trips of each request', async () => {
    const text = await scrape();
    // One compiled query for the first request; the second is the response cache's, with none.
    expect(trips).toBe(1);
    expect(sample(text, 'dcg_cypher_round_trips_sum', { operation: 'Partners' })).toBe(trips);
    expect(sample(text, 'dcg_cypher_round_trips_count', { operation: 'Partners' })).toBe(2);
    // The search was refused by its argument check: no Cypher.
    expect(sample(text, 'dcg_cypher_round_trips_sum', { operation: 'BadSearch' })).toBe(0);
    expect(sample(text, 'dcg_cypher_in_flight')).toBe(0);
  });

  it('shows a query in flight while Neo4j works on it', async () => {
    const slow = db.read('UNWIND range(1, 50000000) AS x WITH x WHERE x < 0 RETURN count(*) AS n', {}, 3_000).catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sample(await scrape(), 'dcg_cypher_in_flight')).toBe(1);
    await slow;
    expect(sample(await scrape(), 'dcg_cypher_in_flight')).toBe(0);
  });

  it('exposes process metrics and HTTP responses by route', async () => {
    await fetch(`${base}/health/live`);
    await fetch(`${base}/no/such/path`);
    const text = await scrape();
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    // Partners twice, BadSearch and Missing: GraphQL errors in a 200 response; `{ nope }` is a 400.
    expect(sample(text, 'dcg_http_responses_total', { route: 'graphql', status: '200' })).toBe(4);
    expect(sample(text, 'dcg_http_responses_total', { route: 'graphql', status: '400' })).toBe(1);
    expect(sample(text, 'dcg_http_responses_total', { route: 'health', status: '200' })).toBe(1);
    expect(sample(text, 'dcg_http_responses_total', { route: 'other', status: '404' })).toBe(1);
  });

  it(`keeps at most ${MAX_OPERATION_LABELS} operation names, the rest as "other"`, async () => {
    for (let i = 0; i < MAX_OPERATION_LABELS + 5; i++) await post({ query: `query Op${i} { __typename }` });
    const text = await scrape();
    const names = new Set([...text.matchAll(/^dcg_graphql_requests_total\{operation="([^"]+)"\}/gm)].map((m) => m[1]));
    names.delete('anonymous');
    names.delete('other');
    expect(names.size).toBe(MAX_OPERATION_LABELS);
    expect(sample(text, 'dcg_graphql_requests_total', { operation: 'other' })).toBeGreaterThanOrEqual(5);
  });
});

describe('request logs', () => {
  it('logs one line per request with its id, operation, duration and round trips', async () => {
    const answer = await post({ query: PARTNERS }, { 'x-request-id': 'log-test-1' });
    const lines = logLines.filter((line) => line.requestId === 'log-test-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'graphql request', operationName: 'Partners', roundTrips: answer.roundTrips, status: 200, level: 30 });
    expect(lines[0]?.ms).toEqual(expect.any(Number));
    expect(lines[0]?.ms as number).toBeGreaterThan(0);
  });

  it('logs a client error at info with its codes, not as an unexpected error', async () => {
    await post({ query: '{ nope }' }, { 'x-request-id': 'log-test-2' });
    const lines = logLines.filter((line) => line.requestId === 'log-test-2');
    expect(lines).toEqual([expect.objectContaining({ level: 30, status: 400, errors: ['GRAPHQL_VALIDATION_FAILED'], roundTrips: 0 })]);
  });
});
