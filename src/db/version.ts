/**
 * The graph's version: changes whenever a load commits or the graph is emptied.
 *
 * Every load stamps the Source it writes with a random `loadStamp` (src/db/ingest.ts), in the
 * same transaction as the rest of the document. The version is the number of sources and the
 * sum of their stamps: a load, a reload or `dcg reset` changes it (two loads' stamps summing to
 * the same total has a chance of about 1 in 2^40). Reading it costs the count store and one
 * property per source, whatever the size of the graph.
 */
import type { Db } from './executor';

/** Upper bound (exclusive) of a load stamp: 2^40, so a million sources cannot overflow the sum. */
export const LOAD_STAMP_RANGE = 2 ** 40;

export async function readGraphVersion(db: Db, timeoutMs?: number): Promise<string> {
  const [row] = await db.read('MATCH (s:Source) RETURN count(s) AS sources, sum(s.loadStamp) AS stamps', {}, timeoutMs);
  return `${String(row?.sources ?? 0)}:${String(row?.stamps ?? 0)}`;
}

/** True when the database holds no source yet, i.e. nothing was ever loaded. */
export async function graphIsEmpty(db: Db, timeoutMs?: number): Promise<boolean> {
  const [row] = await db.read('MATCH (s:Source) RETURN count(s) > 0 AS loaded', {}, timeoutMs);
  return row?.loaded !== true;
}
