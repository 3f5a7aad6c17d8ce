/**
 * Hostile strings through every string and ID argument of every root field, over HTTP, both as
 * variables and as literals in the document: never an HTTP 500 or INTERNAL_SERVER_ERROR, every
 * error has an expected code, and the graph is unchanged (counts and a checksum of every node's
 * id and content hash, before and after).
 */
import crypto from 'node:crypto';
import type { Db } from '../../src/db/executor';
import { encodeCursor } from '../../src/resolvers/args';
import { resetToSeed, startSeededServer, type SeededServer } from '../helpers/graph';

let db: Db;
let base: string;

let api: SeededServer;

beforeAll(async () => {
  api = await startSeededServer();
  ({ db, base } = api);
}, 180_000); // a cold database takes a while to wipe and seed

afterAll(() => api.close());

const LUCENE = ['+', '-', '&&', '||', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '\\', '/'];

const CORPUS: string[] = [
  // Quotes, comments, parameters, maps, escapes.
  "'", '"', '`', "''", '""', '``', '//', '/*', '*/', '$', '$id', '{}', '{id: 1}', '\\', '\\\\', "\\'", '\\"', '\\u0027',
  // Cypher fragments.
  "'}) MATCH (n) DETACH DELETE n //",
  '"}) MATCH (n) DETACH DELETE n //',
  '`) MATCH (n) DETACH DELETE n //',
  "belgium' OR 1=1 //",
  "x' }) WITH 1 AS x MATCH (n) SET n.id = 'pwned' RETURN 1 //",
  '*/ MATCH (n) DETACH DELETE n /*',
  "CALL db.index.fulltext.drop('entity_search')",
  "'; CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {}) //",
  'LOAD CSV FROM "file:///etc/passwd" AS l RETURN l',
  "${id}",
  // Lucene: each operator alone, all together, and around words.
  ...LUCENE,
  LUCENE.join(' '),
  LUCENE.join(''),
  'belgium AND NOT lithuania',
  'name:belgium OR searchText:*',
  '*:*',
  'bel*',
  '?elgium~2',
  '"belgium',
  'belgium"',
  "belgium'",
  '(belgium',
  'belgium)',
  '[a TO z]',
  '{a TO z}',
  '/bel.*/',
  'belgium^100',
  // Unbalanced quotes, NUL and control characters.
  "'belgium", '"belgium', "bel'gium", '\u0000', 'belgium\u0000', '\u0000MATCH (n) DETACH DELETE n', '\u0001\u0002\u001b[31m', '\r\n', '\t', '\u007f', '\b\f',
  // Long strings.
  'a'.repeat(10_000), "'".repeat(10_000), '\\'.repeat(10_000), 'belgium '.repeat(1_250),
  // Unicode: RTL marks and overrides, emoji, combining characters, NFKC-folding characters.
  '\u200F', '\u202Ebelgium', 'belgium\u200E', '\u2066x\u2069', '🇧🇪', '👨‍👩‍👧', '💣'.repeat(50), 'e\u0301'.repeat(20), 'Z̸̨̛̖̗̘̙̜̝̞̟̠̀́̂̃̄̅̆',
  'ＭＡＴＣＨ (n) ＤＥＴＡＣＨ ＤＥＬＥＴＥ n', '＇', '＂', 'ﬁ', '℡', 'ｂｅｌｇｉｕｍ', 'Ⓑⓔⓛⓖⓘⓤⓜ', 'İ', 'ß', '\uFEFF', '\u2028', '\uD800', '\uDFFF',
  // Ordinary values, as controls.
  'belgium', 'lithuania', 'BE', 'LT', 'eFP',
];

interface Argument {
  name: string;
  type: string;
  /** The selection, with $v where the value goes. */
  selection: string;
}

const ARGUMENTS: Argument[] = [
  { name: 'search.text', type: 'String!', selection: 'search(text: $v) { score entity { id } }' },
  { name: 'node.id', type: 'ID!', selection: 'node(id: $v) { id }' },
  { name: 'entity.id', type: 'ID!', selection: 'entity(id: $v) { id name }' },
  { name: 'partners.of', type: 'ID!', selection: 'partners(of: $v) { partner { id } }' },
  { name: 'connections.from', type: 'ID!', selection: 'connections(from: $v, to: "belgium") { length }' },
  { name: 'connections.to', type: 'ID!', selection: 'connections(from: "lithuania", to: $v) { length }' },
  { name: 'timeline.entity', type: 'ID', selection: 'timeline(entity: $v) { moment }' },
  { name: 'entities.after', type: 'String', selection: 'entities(after: $v) { totalCount edges { cursor } }' },
  { name: 'country.code', type: 'CountryCode!', selection: 'country(code: $v) { id }' },
];

const EXPECTED_CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED']);

interface Case {
  argument: string;
  how: 'variable' | 'literal';
  value: string;
  body: { query: string; variables?: Record<string, unknown> };
}

function cases(): Case[] {
  const all: Case[] = [];
  for (const argument of ARGUMENTS) {
    const values = argument.name === 'entities.after' ? [...CORPUS, ...CORPUS.map(encodeCursor)] : CORPUS;
    for (const value of values) {
      all.push({ argument: argument.name, how: 'variable', value, body: { query: `query ($v: ${argument.type}) { ${argument.selection} }`, variables: { v: value } } });
      // JSON string escapes are GraphQL string escapes too.
      const literal = argument.selection.replace('$v', () => JSON.stringify(value));
      all.push({ argument: argument.name, how: 'literal', value, body: { query: `{ ${literal} }` } });
    }
  }
  return all;
}

interface Outcome {
  status: number;
  data: Record<string, unknown> | null | undefined;
  codes: string[];
  messages: string[];
}

async function send(body: Case['body']): Promise<Outcome> {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  let parsed: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: response.status, data: undefined, codes: ['(not JSON)'], messages: [text.slice(0, 200)] };
  }
  return {
    status: response.status,
    data: parsed.data,
    codes: (parsed.errors ?? []).map((e) => e.extensions?.code ?? '(no code)'),
    messages: (parsed.errors ?? []).map((e) => e.message),
  };
}

/** Node and relationship counts, and a SHA-256 of every node's `id:contentHash` in id order. */
async function fingerprint(): Promise<{ nodes: number; relationships: number; withId: number; checksum: string }> {
  const [row] = await db.read(`
    CALL () { MATCH (n) RETURN count(n) AS nodes }
    CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
    CALL () { MATCH (n) WHERE n.id IS NOT NULL WITH n ORDER BY n.id RETURN collect(n.id + ':' + coalesce(n.contentHash, '')) AS keys }
    RETURN nodes, relationships, keys`);
  const keys = row?.keys as string[];
  return {
    nodes: row?.nodes as number,
    relationships: row?.relationships as number,
    withId: keys.length,
    checksum: crypto.createHash('sha256').update(keys.join('\n')).digest('hex'),
  };
}

async function inPool<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}

describe('hostile strings in every string and ID argument', () => {
  it('never answer 500 or INTERNAL_SERVER_ERROR, only expected codes, and change nothing', async () => {
    const before = await fingerprint();
    expect(before.nodes).toBeGreaterThan(50);
    expect(before.relationships).toBeGreaterThan(50);

    const all = cases();
    const outcomes = await inPool(all, 6, async (c) => ({ c, outcome: await send(c.body) }));

    const describe = ({ c, outcome }: { c: Case; outcome: Outcome }) =>
      `${c.argument} as ${c.how} ${JSON.stringify(c.value.slice(0, 40))}: HTTP ${outcome.status} ${outcome.codes.join(',')} ${outcome.messages.join(' | ').slice(0, 160)}`;
    const bad = outcomes.filter(({ outcome }) =>
      ![200, 400].includes(outcome.status) ||
      outcome.codes.some((code) => !EXPECTED_CODES.has(code)) ||
      outcome.messages.some((message) => message === 'Unexpected error.'));
    expect(bad.map(describe)).toEqual([]);

    // The corpus reached the resolvers and the database, not only the validator.
    const answered = outcomes.filter(({ outcome }) => outcome.status === 200 && outcome.codes.length === 0);
    const byCode = (code: string) => outcomes.filter(({ outcome }) => outcome.codes.includes(code)).length;
    expect(answered.length).toBeGreaterThan(all.length / 4);
    expect(byCode('NOT_FOUND')).toBeGreaterThan(0);
    expect(byCode('BAD_USER_INPUT')).toBeGreaterThan(0);
    const hits = outcomes.filter(({ c, outcome }) => c.argument === 'search.text' && Array.isArray(outcome.data?.search) && (outcome.data.search as unknown[]).length > 0);
    expect(hits.length).toBeGreaterThan(10);

    expect(await fingerprint()).toEqual(before);
  }, 240_000);

  it('the fingerprint notices a changed property (so the check above can fail)', async () => {
    const before = await fingerprint();
    await db.write("MATCH (n:Entity {id: 'belgium'}) SET n.contentHash = n.contentHash + 'x'");
    try {
      const after = await fingerprint();
      expect(after.nodes).toBe(before.nodes);
      expect(after.checksum).not.toBe(before.checksum);
    } finally {
      await resetToSeed(db);
    }
  });

  it('takes Lucene syntax in search text literally', async () => {
    const plain = await send({ query: 'query ($v: String!) { search(text: $v) { entity { id } } }', variables: { v: 'belgium' } });
    const wrapped = await send({ query: 'query ($v: String!) { search(text: $v) { entity { id } } }', variables: { v: '+belgium~ AND (belgium*)^' } });
    expect(plain.codes).toEqual([]);
    expect((plain.data?.search as unknown[]).length).toBeGreaterThan(0);
    expect(wrapped.data?.search).toEqual(plain.data?.search);
    const everything = await send({ query: 'query ($v: String!) { search(text: $v, first: 100) { entity { id } } }', variables: { v: '*:*' } });
    expect(everything.data?.search).toEqual([]);
  });
});
