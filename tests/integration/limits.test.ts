/**
 * Document limits (depth, aliases, directives, tokens, cost), batching, production mode and
 * CSRF: every rejected request is refused before a resolver runs, so it sends no Cypher. Each
 * limit is tested at its value (accepted, and it does reach Neo4j) and one past it (refused).
 */
import type { ApolloServer } from '@apollo/server';
import { createContext, type Context } from '../../src/context';
import type { Db } from '../../src/db/executor';
import type { QueryLimits } from '../../src/limits';
import { logger } from '../../src/logger';
import { createApollo } from '../../src/apollo';
import { startServer, type RunningServer } from '../../src/server';
import { resetToSeed, testDb } from '../helpers/graph';

const LIMITS: QueryLimits = { depth: 10, aliases: 15, directives: 10, tokens: 2000, cost: 5000 };

let db: Db;
let apollo: ApolloServer<Context>;
let production: ApolloServer<Context>;
let server: RunningServer;
let base: string;

beforeAll(async () => {
  db = testDb();
  await resetToSeed(db);
  apollo = createApollo({ db, logger, production: false, limits: LIMITS });
  production = createApollo({ db, logger, production: true, limits: LIMITS });
  await Promise.all([apollo.start(), production.start()]);
  // No response cache: these tests count the round trips that queries cause.
  server = await startServer({ db, logger, production: false, host: '127.0.0.1', port: 0, limits: LIMITS, responseCache: false });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await Promise.all([apollo.stop(), production.stop(), server.close()]);
  await db.close();
});

interface Outcome {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  /** Cypher queries this request sent. */
  roundTrips: number;
  status: number | undefined;
}

async function run(query: string, variables?: Record<string, unknown>, on: ApolloServer<Context> = apollo): Promise<Outcome> {
  const contextValue = createContext(db, logger, 'limits-test');
  const response = await on.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  return { data, errors: errors as Outcome['errors'], roundTrips: contextValue.db.roundTrips, status: response.http.status };
}

function expectRefused(outcome: Outcome, code: string, message: RegExp): void {
  expect(outcome.errors?.map((e) => e.extensions?.code)).toContain(code);
  expect(outcome.errors?.map((e) => e.message).join('\n')).toMatch(message);
  expect(outcome.data).toBeUndefined();
  expect(outcome.status).toBe(400);
  expect(outcome.roundTrips).toBe(0);
}

function expectRan(outcome: Outcome): void {
  expect(outcome.errors).toBeUndefined();
  expect(outcome.roundTrips).toBeGreaterThan(0);
}

/** `entity(id: "belgian-navy") { belongsTo { … { id } } }` whose leaf `id` is at level `depth`. */
function nested(depth: number): string {
  const levels = depth - 2;
  return `{ entity(id: "belgian-navy") { ${'belongsTo { '.repeat(levels)}id${' }'.repeat(levels)} } }`;
}

describe('query depth', () => {
  it(`accepts depth ${LIMITS.depth} and runs it`, async () => {
    expectRan(await run(nested(LIMITS.depth)));
  });

  it(`refuses depth ${LIMITS.depth + 1} before any Cypher`, async () => {
    expectRefused(await run(nested(LIMITS.depth + 1)), 'GRAPHQL_VALIDATION_FAILED', /Query depth limit of 10 exceeded, found 11/);
  });

  it('counts depth through fragment spreads, each of them shallow', async () => {
    const fragments = Array.from({ length: 12 }, (_, i) => `fragment F${i} on Entity { id belongsTo { ${i < 11 ? `...F${i + 1}` : 'id'} } }`);
    const query = `{ entity(id: "belgian-navy") { ...F0 } } ${fragments.join(' ')}`;
    expectRefused(await run(query), 'GRAPHQL_VALIDATION_FAILED', /Query depth limit of 10 exceeded/);
  });

  it('counts depth through nested inline fragments', async () => {
    const query = `{ ${'... on Query { '.repeat(11)}stats { sources }${' }'.repeat(11)} }`;
    expectRefused(await run(query), 'GRAPHQL_VALIDATION_FAILED', /Query depth limit of 10 exceeded/);
  });
});

describe('aliases', () => {
  const aliased = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: entity(id: "belgium") { id }`).join(' ');

  it(`accepts ${LIMITS.aliases} aliases and runs them`, async () => {
    expectRan(await run(`{ ${aliased(LIMITS.aliases)} }`));
  });

  it(`refuses ${LIMITS.aliases + 1} aliases`, async () => {
    expectRefused(await run(`{ ${aliased(LIMITS.aliases + 1)} }`), 'GRAPHQL_VALIDATION_FAILED', /Aliases limit of 15 exceeded, found 16/);
  });

  it('counts aliases in a fragment once per spread', async () => {
    // 2 aliases in the operation + 7 in a fragment spread twice = 16.
    const fragment = `fragment Names on Entity { ${Array.from({ length: 7 }, (_, i) => `n${i}: name`).join(' ')} }`;
    const query = `{ x: entity(id: "belgium") { ...Names } y: entity(id: "lithuania") { ...Names } } ${fragment}`;
    expectRefused(await run(query), 'GRAPHQL_VALIDATION_FAILED', /Aliases limit of 15 exceeded, found 16/);
  });
});

describe('directives', () => {
  const directed = (n: number) => Array.from({ length: n }, () => 'id @include(if: true)').join(' ');

  it(`accepts ${LIMITS.directives} directives and runs them`, async () => {
    expectRan(await run(`{ entity(id: "belgium") { ${directed(LIMITS.directives)} } }`));
  });

  it(`refuses ${LIMITS.directives + 1} directives`, async () => {
    expectRefused(await run(`{ entity(id: "belgium") { ${directed(LIMITS.directives + 1)} } }`), 'GRAPHQL_VALIDATION_FAILED', /Directives limit of 10 exceeded, found 11/);
  });

  it('counts directives in a fragment once per spread', async () => {
    const query = `{ entity(id: "belgium") { ...D belongsTo { ...D } } } fragment D on Entity { ${directed(6)} }`;
    expectRefused(await run(query), 'GRAPHQL_VALIDATION_FAILED', /Directives limit of 10 exceeded, found 12/);
  });
});

describe('tokens', () => {
  // 20 tokens around the list: `{ entity ( id : "belgium" ) { facts ( types : [ ] ) { id } } }`.
  const tokens = (n: number) => `{ entity(id: "belgium") { facts(types: [${'MEMBER_OF '.repeat(n - 20)}]) { id } } }`;

  it(`accepts ${LIMITS.tokens} tokens and runs them`, async () => {
    expectRan(await run(tokens(LIMITS.tokens)));
  });

  it(`refuses ${LIMITS.tokens + 1} tokens while parsing`, async () => {
    expectRefused(await run(tokens(LIMITS.tokens + 1)), 'GRAPHQL_PARSE_FAILED', /Document contains more that 2000 tokens/);
  });

  it('refuses a field repeated so often that checking it would take quadratic work', async () => {
    // Under the token limit; graphql-js stops OverlappingFieldsCanBeMerged at its work budget.
    expectRefused(await run(`{ entity(id: "belgium") { ${'id '.repeat(1900)}} }`), 'GRAPHQL_VALIDATION_FAILED', /Validation aborted/);
  });
});

describe('cost', () => {
  it('accepts a full page of entities with a few fields', async () => {
    expectRan(await run('{ entities(first: 100) { edges { node { id name kind aliases } } } }'));
  });

  it('refuses a full page of entities with their facts', async () => {
    expectRefused(
      await run('{ entities(first: 100) { edges { node { id name kind facts { id type subject { name } object { name } } } } } }'),
      'GRAPHQL_VALIDATION_FAILED',
      /Query Cost limit of 5000 exceeded, found \d+/,
    );
  });

  it('counts the cost of what a fragment selects', async () => {
    expectRefused(
      await run('{ entities(first: 100) { edges { node { ...Deep } } } } fragment Deep on Entity { id name facts { id type } }'),
      'GRAPHQL_VALIDATION_FAILED',
      /Query Cost limit of 5000 exceeded/,
    );
  });
});

describe('fragment abuse', () => {
  it('refuses a fragment cycle without recursing forever', async () => {
    const query = '{ ...A } fragment A on Query { stats { sources } ...B } fragment B on Query { ...A }';
    expectRefused(await run(query), 'GRAPHQL_VALIDATION_FAILED', /Cannot spread fragment "A" within itself via "B"/);
  });

  it('refuses a fragment that spreads itself', async () => {
    expectRefused(await run('{ ...A } fragment A on Query { ...A }'), 'GRAPHQL_VALIDATION_FAILED', /Cannot spread fragment "A" within itself/);
  });

  it('refuses an exponential fragment fan-out quickly', async () => {
    // F0 spreads F1 twice, F1 spreads F2 twice …: 2^24 paths, 25 fragments.
    const fragments = Array.from({ length: 25 }, (_, i) => (i < 24 ? `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }` : `fragment F${i} on Query { stats { sources } }`));
    const started = Date.now();
    const outcome = await run(`{ ...F0 } ${fragments.join(' ')}`);
    expect(Date.now() - started).toBeLessThan(2_000);
    expectRefused(outcome, 'GRAPHQL_VALIDATION_FAILED', /Query depth limit of 10 exceeded/);
  });
});

describe('production mode', () => {
  it('turns introspection off (it is on in development)', async () => {
    const query = '{ __schema { queryType { name } } }';
    expect((await run(query)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expectRefused(await run(query, undefined, production), 'GRAPHQL_VALIDATION_FAILED', /introspection/i);
  });

  it('gives no "Did you mean" suggestions (development does)', async () => {
    const query = '{ entiti(id: "belgium") { id } }';
    expect((await run(query)).errors?.[0]?.message).toBe('Cannot query field "entiti" on type "Query". Did you mean "entity" or "entities"?');
    const refused = await run(query, undefined, production);
    expectRefused(refused, 'GRAPHQL_VALIDATION_FAILED', /^Cannot query field "entiti" on type "Query"\.$/);
  });

  it('hides enum suggestions too', async () => {
    const query = '{ entities(kind: COUNTRI) { totalCount } }';
    expect((await run(query)).errors?.[0]?.message).toMatch(/Did you mean the enum value "COUNTRY"\?/);
    expect((await run(query, undefined, production)).errors?.[0]?.message).toBe('Value "COUNTRI" does not exist in "EntityKind" enum.');
  });

  it('hides suggestions in variable errors too', async () => {
    const query = 'query ($kind: EntityKind) { entities(kind: $kind) { totalCount } }';
    expect((await run(query, { kind: 'COUNTRI' })).errors?.[0]?.message).toMatch(/Did you mean the enum value "COUNTRY"\?/);
    const prod = await run(query, { kind: 'COUNTRI' }, production);
    expect(prod.errors?.[0]?.message).toBe('Variable "$kind" got invalid value "COUNTRI"; Value "COUNTRI" does not exist in "EntityKind" enum.');
    expect(prod.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(prod.roundTrips).toBe(0);
  });

  it('sends no stack traces (development does)', async () => {
    const query = '{ search(text: "   ") { score } }';
    const dev = await run(query);
    expect(dev.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(dev.errors?.[0]?.extensions?.stacktrace).toBeDefined();
    const prod = await run(query, undefined, production);
    expect(prod.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(prod.errors)).not.toContain('stacktrace');
    expect(prod.roundTrips).toBe(0);
  });
});

describe('over HTTP', () => {
  async function post(body: unknown, headers: Record<string, string> = {}) {
    const before = db.roundTrips;
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text(), roundTrips: db.roundTrips - before };
  }

  it('runs a single operation (the control for the tests below)', async () => {
    const answer = await post({ query: '{ entity(id: "belgium") { name } }' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ data: { entity: { name: 'Belgium' } } });
    expect(answer.roundTrips).toBe(1);
  });

  it('refuses a batch (a JSON array of operations) before running any of them', async () => {
    const answer = await post([{ query: '{ entity(id: "belgium") { name } }' }, { query: '{ entity(id: "lithuania") { name } }' }]);
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/batch/i);
    expect(answer.roundTrips).toBe(0);
  });

  it('refuses a document over a limit with 400 and runs nothing', async () => {
    const answer = await post({ query: nested(LIMITS.depth + 1) });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.roundTrips).toBe(0);
  });

  it('refuses a cross-site simple request (CSRF prevention) and runs nothing', async () => {
    const before = db.roundTrips;
    const response = await fetch(`${base}/graphql?query=${encodeURIComponent('{ entity(id: "belgium") { name } }')}`);
    expect(response.status).toBe(400);
    expect(db.roundTrips - before).toBe(0);
    const preflighted = await fetch(`${base}/graphql?query=${encodeURIComponent('{ entity(id: "belgium") { name } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.status).toBe(200);
    expect(db.roundTrips - before).toBe(1);
  });
});
