/** Constraints and indexes, created before any load. Every statement is idempotent. */
import { RELATION_TYPES } from '../ontology';
import type { Db } from './executor';

export const FULLTEXT_INDEX = 'entity_search';

export const SCHEMA_STATEMENTS = [
  'CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT fact_id IF NOT EXISTS FOR (n:Fact) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (n:Evidence) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT domain_id IF NOT EXISTS FOR (n:Domain) REQUIRE n.id IS UNIQUE',
  'CREATE INDEX entity_kind_id IF NOT EXISTS FOR (n:Entity) ON (n.kind, n.id)',
  'CREATE INDEX entity_iso3166 IF NOT EXISTS FOR (n:Entity) ON (n.iso3166)',
  'CREATE INDEX fact_status IF NOT EXISTS FOR (n:Fact) ON (n.status)',
  'CREATE INDEX fact_in_force IF NOT EXISTS FOR (n:Fact) ON (n.inForceFrom)',
  // A source's claims, for reloads, `dcg unload` and Source.claims.
  'CREATE INDEX claim_source IF NOT EXISTS FOR (n:Claim) ON (n.source)',
  `CREATE FULLTEXT INDEX ${FULLTEXT_INDEX} IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.searchText]
     OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-no-stop-words' } }`,
  // The loader finds a fact's direct edge by its factId (to update, refresh or delete it)
  // through these, instead of expanding its subject or object, which may be a hub.
  ...RELATION_TYPES.map(
    (type) => `CREATE INDEX direct_${type.toLowerCase()}_fact_id IF NOT EXISTS FOR ()-[r:${type}]-() ON (r.factId)`,
  ),
] as const;

/** Schema changes and index population may take a while on a large or busy database. */
const SCHEMA_TIMEOUT_MS = 300_000;

/** The name each statement gives its index or constraint (a constraint's index has the same name). */
function schemaName(statement: string): string {
  const name = /^CREATE (?:CONSTRAINT|FULLTEXT INDEX|INDEX) (\w+) IF NOT EXISTS/.exec(statement)?.[1];
  if (!name) throw new Error(`Schema statement without a name: ${statement}`);
  return name;
}

/**
 * Creates what is missing, then waits until every index is online. One read when everything is
 * there already (every load after the first), instead of a write per statement.
 */
export async function ensureSchema(db: Db): Promise<void> {
  const existing = await db.read('SHOW INDEXES YIELD name, state RETURN name, state', {}, SCHEMA_TIMEOUT_MS);
  const online = new Map(existing.map((row) => [row.name as string, row.state === 'ONLINE']));
  const missing = SCHEMA_STATEMENTS.filter((statement) => !online.has(schemaName(statement)));
  for (const statement of missing) await db.write(statement, {}, SCHEMA_TIMEOUT_MS);
  if (missing.length > 0 || [...online.values()].some((isOnline) => !isOnline)) {
    await db.write('CALL db.awaitIndexes(300)', {}, SCHEMA_TIMEOUT_MS);
  }
}

/** Deletes every node and relationship, in batches (tests and `dcg reset`). */
export async function wipeGraph(db: Db): Promise<void> {
  await db.autoCommit('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
}

export interface GraphTotals {
  nodes: number;
  relationships: number;
  byLabel: Record<string, number>;
}

export async function graphTotals(db: Db): Promise<GraphTotals> {
  const [row] = await db.read(`
    CALL () { MATCH (n) RETURN count(n) AS nodes }
    CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
    CALL () { MATCH (n) UNWIND labels(n) AS label WITH label, count(*) AS c RETURN collect([label, c]) AS byLabel }
    RETURN nodes, relationships, byLabel`);
  return {
    nodes: row?.nodes as number,
    relationships: row?.relationships as number,
    byLabel: Object.fromEntries((row?.byLabel as Array<[string, number]>).sort()),
  };
}
