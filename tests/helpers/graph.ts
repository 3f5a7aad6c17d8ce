/** The test database: a Db on the run's Neo4j, and a way to reset it to the seed. */
import { createDriver, Db } from '../../src/db/executor';
import { wipeGraph } from '../../src/db/schema';
import { loadSeed } from '../../src/app';
import { logger } from '../../src/logger';

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
