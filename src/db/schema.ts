/** Constraints and indexes, created before any load. Every statement is idempotent. */
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
  `CREATE FULLTEXT INDEX ${FULLTEXT_INDEX} IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.searchText]
     OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-no-stop-words' } }`,
] as const;

/** Schema changes and index population may take a while on a large or busy database. */
const SCHEMA_TIMEOUT_MS = 300_000;

export async function ensureSchema(db: Db): Promise<void> {
  for (const statement of SCHEMA_STATEMENTS) await db.write(statement, {}, SCHEMA_TIMEOUT_MS);
  await db.write('CALL db.awaitIndexes(300)', {}, SCHEMA_TIMEOUT_MS);
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
