/** What every resolver gets, built once per request. */
import crypto from 'node:crypto';
import type { Db } from './db/executor';
import { createLoaders, type Loaders } from './loaders';
import type { Logger } from './logger';

export interface Context {
  requestId: string;
  /** Counts this request's Cypher round trips. */
  db: Db;
  loaders: Loaders;
  logger: Logger;
  /** Set when the response cache (src/cache.ts) answered this request. */
  cached?: boolean;
}

export function createContext(db: Db, logger: Logger, requestId: string = crypto.randomUUID()): Context {
  const scoped = db.scoped(requestId);
  return { requestId, db: scoped, loaders: createLoaders(scoped), logger: logger.child({ requestId }) };
}
