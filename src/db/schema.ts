/** Constraints and indexes, created before any load. Every statement is idempotent. */
import { RELATION_TYPES } from '../ontology';
import type { Db } from './executor';

/** The analyzer every full-text index uses; an index made with another is made again (see ensureSchema). */
export const FULLTEXT_ANALYZER = 'standard-folding';

/** Entity names and aliases, case- and accent-folded ('standard-folding': "Rupšys" is indexed as "rupsys"). */
export const FULLTEXT_INDEX = 'entity_search';
/** The evidence quotes, folded the same way, for searchEvidence. */
export const EVIDENCE_FULLTEXT_INDEX = 'evidence_search';
/**
 * The words the 'standard-folding' analyzer leaves out of both indexes (Lucene's English stop
 * words, as db.index.fulltext.listAvailableAnalyzers() lists them): a query must not ask for them.
 */
export const FULLTEXT_STOP_WORDS: readonly string[] = [
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not',
  'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with',
];

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
  'CREATE INDEX entity_subtype IF NOT EXISTS FOR (n:Entity) ON (n.subtype)',
  `CREATE FULLTEXT INDEX ${FULLTEXT_INDEX} IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.searchText]
     OPTIONS { indexConfig: { \`fulltext.analyzer\`: '${FULLTEXT_ANALYZER}' } }`,
  `CREATE FULLTEXT INDEX ${EVIDENCE_FULLTEXT_INDEX} IF NOT EXISTS FOR (n:Evidence) ON EACH [n.quote]
     OPTIONS { indexConfig: { \`fulltext.analyzer\`: '${FULLTEXT_ANALYZER}' } }`,
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
  const existing = await db.read(
    "SHOW INDEXES YIELD name, state, type, options RETURN name, state, CASE WHEN type = 'FULLTEXT' THEN options.indexConfig.`fulltext.analyzer` END AS analyzer",
    {},
    SCHEMA_TIMEOUT_MS,
  );
  // A full-text index made with an older analyzer (one that did not fold accents) is made again.
  const ours = new Set(SCHEMA_STATEMENTS.map(schemaName));
  const stale = existing
    .filter((row) => ours.has(row.name as string) && row.analyzer !== null && row.analyzer !== FULLTEXT_ANALYZER)
    .map((row) => row.name as string);
  for (const name of stale) await db.write(`DROP INDEX ${name} IF EXISTS`, {}, SCHEMA_TIMEOUT_MS);
  const online = new Map(existing.filter((row) => !stale.includes(row.name as string)).map((row) => [row.name as string, row.state === 'ONLINE']));
  const missing = SCHEMA_STATEMENTS.filter((statement) => !online.has(schemaName(statement)));
  for (const statement of missing) await db.write(statement, {}, SCHEMA_TIMEOUT_MS);
  // A graph without the evidence index was loaded before direct edges carried startEarliest and
  // endLatest (which tell NO from UNKNOWN on an as-of day): copy them from the facts, once.
  if (missing.some((statement) => schemaName(statement) === EVIDENCE_FULLTEXT_INDEX)) await copyFactDatesToEdges(db);
  if (missing.length > 0 || [...online.values()].some((isOnline) => !isOnline)) {
    await db.write('CALL db.awaitIndexes(300)', {}, SCHEMA_TIMEOUT_MS);
  }
}

/** Every direct edge gets its fact's startEarliest and endLatest, in batches; idempotent. */
export async function copyFactDatesToEdges(db: Db): Promise<void> {
  for (const type of RELATION_TYPES) {
    await db.autoCommit(`MATCH ()-[r:${type}]->() WHERE r.factId IS NOT NULL
      CALL (r) { MATCH (f:Fact {id: r.factId}) SET r.startEarliest = f.startEarliest, r.endLatest = f.endLatest } IN TRANSACTIONS OF 10000 ROWS`);
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

export async function graphTotals(db: Db, timeoutMs?: number): Promise<GraphTotals> {
  const [row] = await db.read(`
    CALL () { MATCH (n) RETURN count(n) AS nodes }
    CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
    CALL () { MATCH (n) UNWIND labels(n) AS label WITH label, count(*) AS c RETURN collect([label, c]) AS byLabel }
    RETURN nodes, relationships, byLabel`, {}, timeoutMs);
  return {
    nodes: row?.nodes as number,
    relationships: row?.relationships as number,
    byLabel: Object.fromEntries((row?.byLabel as Array<[string, number]>).sort()),
  };
}
