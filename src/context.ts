/** What every resolver gets, built once per request. */
import crypto from 'node:crypto';
import type { Db } from './db/executor';
import { config } from './config';
import { createLoaders, type Loaders } from './loaders';
import type { Logger } from './logger';

export interface Context {
  requestId: string;
  /** Counts this request's Cypher round trips. */
  db: Db;
  loaders: Loaders;
  logger: Logger;
  /** Whether root fields run one compiled Cypher query (src/db/compile) rather than DataLoaders below the root. */
  compile: boolean;
  /** Set when the response cache (src/cache.ts) answered this request. */
  cached?: boolean;
}

export function createContext(db: Db, logger: Logger, requestId: string = crypto.randomUUID(), options: { compile?: boolean } = {}): Context {
  const scoped = db.scoped(requestId);
  const compile = options.compile ?? config().GRAPHQL_COMPILE === 'on';
  return { requestId, db: scoped, loaders: createLoaders(scoped), logger: logger.child({ requestId }), compile };
}
