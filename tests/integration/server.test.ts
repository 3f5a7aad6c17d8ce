/** The pipe end to end: HTTP -> Apollo -> DataLoader -> Cypher -> the real Neo4j with the seed. */
import http from 'node:http';
import neo4j from 'neo4j-driver';
import { MAX_BODY_BYTES } from '../../src/http/graphql';
import { startSeededServer, type SeededServer } from '../helpers/graph';

let base: string;
let api: SeededServer;

beforeAll(async () => {
  api = await startSeededServer();
  ({ base } = api);
}, 180_000); // a cold database takes a while to wipe and seed

afterAll(() => api.close());

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}

describe('HTTP server', () => {
  it('answers { __typename } over POST and GET', async () => {
    expect((await post({ query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
    const get = await fetch(`${base}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves a seeded entity by id', async () => {
    const { body } = await post({ query: '{ node(id: "belgium") { id ... on Entity { name } } }' });
    expect(body.data.node).toEqual({ id: 'belgium', name: 'Belgium' });
  });

  it('reports liveness and readiness', async () => {
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(MAX_BODY_BYTES) }),
    });
    expect(response.status).toBe(413);
  });

  it('refuses a body sent in chunks, with no length declared, once it passes 1 MB, and reads one under it', async () => {
    const sendChunked = (text: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = http.request(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        request.on('error', reject);
        for (let i = 0; i < text.length; i += 64 * 1024) request.write(text.slice(i, i + 64 * 1024));
        request.end();
      });
    const over = await sendChunked(JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(MAX_BODY_BYTES) }));
    expect(over.status).toBe(413);
    expect(over.body).toContain(`over the limit of ${MAX_BODY_BYTES} bytes`);
    const under = await sendChunked(JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(MAX_BODY_BYTES / 2) }));
    expect(under.status).toBe(200);
    expect(JSON.parse(under.body)).toEqual({ data: { __typename: 'Query' } });
  });

  it('sends a browser opening /graphql to the offline GraphiQL, not to a CDN-hosted page', async () => {
    const response = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/graphiql/');
  });

  it('blocks a simple cross-site GET (CSRF prevention)', async () => {
    const response = await fetch(`${base}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
  });
});

describe('the seeded database, seen by a separate Bolt client', () => {
  it('holds the release as a Source with its entities', async () => {
    const driver = neo4j.driver(
      process.env.DCG_TEST_NEO4J_URI as string,
      neo4j.auth.basic(process.env.DCG_TEST_NEO4J_USER ?? 'neo4j', process.env.DCG_TEST_NEO4J_PASSWORD ?? ''),
    );
    try {
      const { records } = await driver.executeQuery(
        'MATCH (s:Source) OPTIONAL MATCH (e:Entity) RETURN s.id AS source, count(e) AS entities',
      );
      expect(records[0]?.get('source')).toBe('lt-mod-2024-03-25-chod-belgium');
      expect(Number(records[0]?.get('entities'))).toBeGreaterThanOrEqual(30);
    } finally {
      await driver.close();
    }
  });
});
