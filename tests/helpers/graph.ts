/** The test database: a Db on the run's Neo4j, and a way to reset it to the seed. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createDriver, Db } from '../../src/db/executor';
import { wipeGraph } from '../../src/db/schema';
import { loadSeed } from '../../src/app';
import type { ApolloServer } from '@apollo/server';
import type { Context } from '../../src/context';
import { logger } from '../../src/logger';
import { createApollo } from '../../src/apollo';
import { PROJECT_ROOT } from '../../src/paths';
import { startServer, type RunningServer } from '../../src/server';

export function testDb(): Db {
  const uri = process.env.DCG_TEST_NEO4J_URI;
  if (!uri) throw new Error('DCG_TEST_NEO4J_URI is not set: run the tests with jest (npm test), whose global setup starts Neo4j.');
  const driver = createDriver({
    uri,
    user: process.env.DCG_TEST_NEO4J_USER ?? 'neo4j',
    password: process.env.DCG_TEST_NEO4J_PASSWORD ?? '',
    poolSize: 20,
  });
  return new Db(driver, { database: process.env.DCG_TEST_NEO4J_DATABASE || undefined, queryTimeoutMs: 30_000, logger });
}

/** Empties the database, then loads the seed: every test file starts from this known graph. */
export async function resetToSeed(db: Db): Promise<void> {
  await wipeGraph(db);
  await loadSeed(db);
}

/** A test file's seeded database with the API served over HTTP on a free port. */
export interface SeededServer {
  db: Db;
  server: RunningServer;
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
}

export async function startSeededServer(): Promise<SeededServer> {
  const db = testDb();
  await resetToSeed(db);
  const server = await startServer({ db, logger, production: false, host: '127.0.0.1', port: 0 });
  return {
    db,
    server,
    base: `http://127.0.0.1:${server.port}`,
    close: async () => {
      await server.close();
      await db.close();
    },
  };
}

/** A test file's seeded database with the API in-process (executeOperation). */
export async function startSeededApollo(options: Pick<Parameters<typeof createApollo>[0], 'executor'> = {}): Promise<{ db: Db; apollo: ApolloServer<Context>; close(): Promise<void> }> {
  const db = testDb();
  await resetToSeed(db);
  const apollo = createApollo({ db, logger, production: false, ...options });
  await apollo.start();
  return {
    db,
    apollo,
    close: async () => {
      await apollo.stop();
      await db.close();
    },
  };
}

/**
 * `dcg <args>` as a child process on the run's Neo4j, silent but for its own output, which
 * `output()` collects; `env` overrides variables (e.g. a NEO4J_URI nothing answers on). `script`
 * names another of bin/: serve.js, the compiled server that `npm start` runs.
 */
export function spawnDcg(args: string[], env: Record<string, string> = {}, script: 'dcg.js' | 'serve.js' = 'dcg.js'): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', script), ...args], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      NEO4J_URI: process.env.DCG_TEST_NEO4J_URI,
      NEO4J_USER: process.env.DCG_TEST_NEO4J_USER,
      NEO4J_PASSWORD: process.env.DCG_TEST_NEO4J_PASSWORD,
      NEO4J_DATABASE: process.env.DCG_TEST_NEO4J_DATABASE,
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Runs `dcg <args>` to its end: its exit code, and standard output and error apart. */
export function runDcg(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { child } = spawnDcg(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
