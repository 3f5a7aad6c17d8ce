/** Cypher that reads facts, their evidence and sources. */
import type { Db } from './executor';
import { factPredicate, filterParams, type FactFilter } from './filters';
import {
  CLAIM_PROJECTION,
  claimRecord,
  column,
  ENTITY_PROJECTION,
  FACT_PROJECTION,
  SOURCE_PROJECTION,
  type ClaimRecord,
  type EntityRecord,
  type EvidenceRecord,
  type FactRecord,
  type SourceRecord,
} from './records';

export const FACTS_BY_ID = `
  UNWIND $ids AS id
  MATCH (f:Fact {id: id})
  RETURN ${FACT_PROJECTION} AS fact`;

export async function factsById(db: Db, ids: readonly string[]): Promise<FactRecord[]> {
  return column<FactRecord>(await db.read(FACTS_BY_ID, { ids }), 'fact');
}

/**
 * The facts each entity is the subject or object of, filtered, for a DataLoader; with the
 * entities at both ends of those facts, which a query listing facts nearly always shows
 * (their names), so that they cost no second round trip.
 */
export const FACTS_OF_ENTITIES = `
  UNWIND $ids AS id
  MATCH (:Entity {id: id})<-[:SUBJECT|OBJECT]-(f:Fact)
  WHERE ${factPredicate('f')} AND ($types IS NULL OR f.type IN $types)
  WITH id, f ORDER BY f.inForceFrom, f.id
  WITH id, collect(DISTINCT f) AS found
  CALL (found) {
    UNWIND found AS f
    MATCH (f)-[:SUBJECT|OBJECT]->(n:Entity)
    WITH DISTINCT n
    RETURN collect(${ENTITY_PROJECTION}) AS ends
  }
  RETURN id, [f IN found | ${FACT_PROJECTION}] AS facts, ends`;

export interface FactsOfEntities {
  facts: Map<string, FactRecord[]>;
  /** The entities at either end of those facts. */
  ends: EntityRecord[];
}

export async function factsOfEntities(db: Db, ids: readonly string[], filter: FactFilter, types: string[] | null): Promise<FactsOfEntities> {
  const rows = await db.read(FACTS_OF_ENTITIES, { ids, types, ...filterParams(filter) });
  return {
    facts: new Map(rows.map((row) => [row.id as string, row.facts as FactRecord[]])),
    ends: rows.flatMap((row) => row.ends as EntityRecord[]),
  };
}

export const EVIDENCE_OF_FACTS = `
  UNWIND $ids AS id
  MATCH (:Fact {id: id})-[:EVIDENCED_BY]->(e:Evidence)-[:FROM_SOURCE]->(s:Source)
  WITH id, e, s ORDER BY s.publishedLatest, e.start
  RETURN id, collect(e { .id, .quote, .start, .end, fact: id, source: s.id }) AS evidence`;

export async function evidenceOfFacts(db: Db, ids: readonly string[]): Promise<Map<string, EvidenceRecord[]>> {
  const rows = await db.read(EVIDENCE_OF_FACTS, { ids });
  return new Map(rows.map((row) => [row.id as string, row.evidence as EvidenceRecord[]]));
}

export const SOURCES_BY_ID = `
  UNWIND $ids AS id
  MATCH (s:Source {id: id})
  RETURN ${SOURCE_PROJECTION} AS source`;

export async function sourcesById(db: Db, ids: readonly string[]): Promise<SourceRecord[]> {
  return column<SourceRecord>(await db.read(SOURCES_BY_ID, { ids }), 'source');
}

/** Dated facts about one entity, for its timeline: from the entity (an index seek). */
export const DATED_FACTS_OF_ENTITY = `
  MATCH (:Entity {id: $entity})<-[:SUBJECT|OBJECT]-(f:Fact)
  WITH DISTINCT f WHERE f.status IN $status AND (f.startValue IS NOT NULL OR f.endValue IS NOT NULL)
  RETURN ${FACT_PROJECTION} AS fact`;

/** Every dated fact, for the whole graph's timeline: a scan of the facts, O(facts). */
export const DATED_FACTS = `
  MATCH (f:Fact) WHERE f.status IN $status AND (f.startValue IS NOT NULL OR f.endValue IS NOT NULL)
  RETURN ${FACT_PROJECTION} AS fact`;

export async function datedFacts(db: Db, entity: string | null, status: readonly string[]): Promise<FactRecord[]> {
  const rows = entity === null ? await db.read(DATED_FACTS, { status }) : await db.read(DATED_FACTS_OF_ENTITY, { entity, status });
  return column<FactRecord>(rows, 'fact');
}

export const CLAIMS_OF_FACTS = `
  UNWIND $ids AS id
  MATCH (:Fact {id: id})-[:CLAIMED_IN]->(c:Claim)
  WITH id, c ORDER BY c.published, c.source
  RETURN id, collect(${CLAIM_PROJECTION}) AS claims`;

/** Each fact's claims, in publication order. */
export async function claimsOfFacts(db: Db, ids: readonly string[]): Promise<Map<string, ClaimRecord[]>> {
  const rows = await db.read(CLAIMS_OF_FACTS, { ids });
  return new Map(rows.map((row) => [row.id as string, (row.claims as Array<Record<string, unknown>>).map(claimRecord)]));
}

/** A source's claims, a page at a time, ordered by fact id (from the claim_source index). */
export const CLAIMS_OF_SOURCE = `
  MATCH (c:Claim {source: $source})
  WHERE $after IS NULL OR c.fact > $after
  WITH c ORDER BY c.fact LIMIT $limit
  RETURN ${CLAIM_PROJECTION} AS claim`;

export async function claimsOfSource(db: Db, source: string, after: string | null, limit: number): Promise<ClaimRecord[]> {
  const rows = await db.read(CLAIMS_OF_SOURCE, { source, after, limit });
  return rows.map((row) => claimRecord(row.claim as Record<string, unknown>));
}

/** A page of sources by id; one more than `limit` when there is a next page. */
export const SOURCE_PAGE = `
  MATCH (s:Source)
  WHERE $after IS NULL OR s.id > $after
  WITH s ORDER BY s.id LIMIT $limit
  RETURN ${SOURCE_PROJECTION} AS source`;

export async function sourcePage(db: Db, after: string | null, limit: number): Promise<SourceRecord[]> {
  return column<SourceRecord>(await db.read(SOURCE_PAGE, { after, limit: limit + 1 }), 'source');
}

export async function countSources(db: Db): Promise<number> {
  const [row] = await db.read('MATCH (s:Source) RETURN count(s) AS n');
  return Number(row?.n ?? 0);
}

/** The sources that define each entity or claim a fact about it, oldest first. */
export const SOURCES_OF_ENTITIES = `
  UNWIND $ids AS id
  MATCH (e:Entity {id: id})
  CALL (e) {
    OPTIONAL MATCH (e)<-[:SUBJECT|OBJECT]-(:Fact)-[:CLAIMED_IN]->(c:Claim)
    RETURN collect(DISTINCT c.source) AS claimed
  }
  UNWIND coalesce(e.definedBy, []) + claimed AS sourceId
  WITH DISTINCT id, sourceId
  MATCH (s:Source {id: sourceId})
  WITH id, s ORDER BY s.publishedLatest, s.id
  RETURN id, collect(s.id) AS sources`;

export async function sourcesOfEntities(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await db.read(SOURCES_OF_ENTITIES, { ids });
  return new Map(rows.map((row) => [row.id as string, row.sources as string[]]));
}
