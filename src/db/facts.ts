/** Cypher that reads facts, their evidence and sources. */
import type { Db } from './executor';
import { factPredicate, filterParams, type FactFilter } from './filters';
import { column, FACT_PROJECTION, SOURCE_PROJECTION, type EvidenceRecord, type FactRecord, type SourceRecord } from './records';

export const FACTS_BY_ID = `
  UNWIND $ids AS id
  MATCH (f:Fact {id: id})
  RETURN ${FACT_PROJECTION} AS fact`;

export async function factsById(db: Db, ids: readonly string[]): Promise<FactRecord[]> {
  return column<FactRecord>(await db.read(FACTS_BY_ID, { ids }), 'fact');
}

/** The facts each entity is the subject or object of, filtered, for a DataLoader. */
export const FACTS_OF_ENTITIES = `
  UNWIND $ids AS id
  MATCH (:Entity {id: id})<-[:SUBJECT|OBJECT]-(f:Fact)
  WHERE ${factPredicate('f')} AND ($types IS NULL OR f.type IN $types)
  WITH id, f ORDER BY f.inForceFrom, f.id
  RETURN id, collect(DISTINCT ${FACT_PROJECTION}) AS facts`;

export async function factsOfEntities(db: Db, ids: readonly string[], filter: FactFilter, types: string[] | null): Promise<Map<string, FactRecord[]>> {
  const rows = await db.read(FACTS_OF_ENTITIES, { ids, types, ...filterParams(filter) });
  return new Map(rows.map((row) => [row.id as string, row.facts as FactRecord[]]));
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

/** Dated facts, optionally about one entity, for the timeline. */
export const DATED_FACTS = `
  CALL (*) {
    WITH $entity AS entity WHERE entity IS NOT NULL
    MATCH (:Entity {id: entity})<-[:SUBJECT|OBJECT]-(f:Fact)
    RETURN DISTINCT f
    UNION
    WITH $entity AS entity WHERE entity IS NULL
    MATCH (f:Fact)
    RETURN f
  }
  WITH f WHERE f.status IN $status AND (f.startValue IS NOT NULL OR f.endValue IS NOT NULL)
  RETURN ${FACT_PROJECTION} AS fact`;

export async function datedFacts(db: Db, entity: string | null, status: readonly string[]): Promise<FactRecord[]> {
  return column<FactRecord>(await db.read(DATED_FACTS, { entity, status }), 'fact');
}
