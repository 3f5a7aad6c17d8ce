/**
 * One Neo4j for the whole run: NEO4J_TEST_URI if set, else a Docker engine (testcontainers), else
 * a local Neo4j Community on a free port with a fresh data folder. Tests find it through
 * DCG_TEST_NEO4J_* variables. NEO4J_URI is deliberately not used: tests wipe the database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getNeo4j, type Neo4jTarget } from '../../src/neo4j';
import { freePort } from '../../src/neo4j/local';

declare global {
  // eslint-disable-next-line no-var
  var __DCG_NEO4J__: Neo4jTarget | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-test-neo4j-'));
  const target = await getNeo4j({
    forTests: true,
    localPort: await freePort(),
    localDataDir: dataDir,
    log: (line) => process.stderr.write(`\n${line}`),
  });
  globalThis.__DCG_NEO4J__ = target;
  process.env.DCG_TEST_NEO4J_URI = target.uri;
  process.env.DCG_TEST_NEO4J_USER = target.user;
  process.env.DCG_TEST_NEO4J_PASSWORD = target.password;
  process.env.DCG_TEST_NEO4J_DATABASE = target.database ?? '';
  process.env.DCG_TEST_NEO4J_ORIGIN = target.origin;
  process.env.DCG_TEST_NEO4J_DATA = target.origin === 'local' ? dataDir : '';
  process.stderr.write(`\nTests use Neo4j (${target.origin}) at ${target.uri}\n`);
}
