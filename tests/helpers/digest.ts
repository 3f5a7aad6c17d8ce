/** A digest of a whole graph, to tell whether two graphs (or one graph before and after) are the same. */
import crypto from 'node:crypto';
import { isDate, isDateTime } from 'neo4j-driver';
import type { Db } from '../../src/db/executor';

function plain(value: unknown): unknown {
  if (isDate(value as object) || isDateTime(value as object)) return String(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, plain(v)]));
  return value;
}

/**
 * A digest of every node and relationship with its properties. By default it leaves out when
 * each source was loaded (loadedAt, loadStamp), which says nothing about what the graph holds;
 * `{ loadTimes: true }` keeps them, for "nothing at all was written".
 */
export async function graphDigest(db: Db, options: { loadTimes?: boolean } = {}): Promise<string> {
  // A claim has no id: its fact and source name it.
  const key = `coalesce(n.id, n.fact + '|' + n.source)`;
  const nodes = await db.read(`MATCH (n) RETURN labels(n) AS labels, properties(n) AS props`);
  const rels = await db.read(
    `MATCH (a)-[r]->(b) RETURN ${key.replace(/n\./g, 'a.')} AS from, type(r) AS type, ${key.replace(/n\./g, 'b.')} AS to, properties(r) AS props`,
  );
  const lines = [
    ...nodes.map((n) => {
      const { loadedAt, loadStamp, ...rest } = n.props as Record<string, unknown>;
      const props = options.loadTimes ? { ...rest, loadedAt, loadStamp } : rest;
      return JSON.stringify([[...(n.labels as string[])].sort(), plain(props)]);
    }),
    ...rels.map((r) => JSON.stringify(plain(r))),
  ].sort();
  return crypto.createHash('sha256').update(lines.join('\n')).digest('hex');
}
