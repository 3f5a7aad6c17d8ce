/** The core the CLI commands and the server share: a Neo4j, a Db on it, and seeding. */
import fs from 'node:fs';
import path from 'node:path';
import { config } from './config';
import { createDriver, Db } from './db/executor';
import { graphIsEmpty as isEmpty } from './db/version';
import { loadFiles, type LoadReport, type Progress } from './ingest/load';
import { logger } from './logger';
import { getNeo4j, type GetNeo4jOptions, type Neo4jTarget } from './neo4j';
import { SEED_DIR } from './paths';

export interface Graph {
  target: Neo4jTarget;
  db: Db;
  /** Closes the driver, then stops a Neo4j this process started. */
  close(): Promise<void>;
}

export async function openGraph(options: GetNeo4jOptions = {}): Promise<Graph> {
  const cfg = config();
  const target = await getNeo4j(options);
  const driver = createDriver({ uri: target.uri, user: target.user, password: target.password, poolSize: cfg.NEO4J_POOL_SIZE });
  const db = new Db(driver, { database: target.database, queryTimeoutMs: cfg.NEO4J_QUERY_TIMEOUT_MS, logger });
  try {
    await driver.verifyConnectivity({ database: target.database });
  } catch (error) {
    await db.close();
    await target.stop();
    throw new Error(`Cannot reach Neo4j at ${target.uri}: ${(error as Error).message}`);
  }
  let closing: Promise<void> | undefined;
  return {
    target,
    db,
    close: () => {
      closing ??= db.close().then(() => target.stop());
      return closing;
    },
  };
}

/** The seed documents, in name order. */
export function seedFiles(): string[] {
  return fs
    .readdirSync(SEED_DIR)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => path.join(SEED_DIR, name));
}

export async function loadSeed(db: Db, progress?: Progress): Promise<LoadReport[]> {
  return loadFiles(db, seedFiles(), progress);
}

/** True when the database holds no source yet. Start-up runs on a cold database, maybe on a busy machine: it is allowed a minute. */
export async function graphIsEmpty(db: Db): Promise<boolean> {
  return isEmpty(db, 60_000);
}
