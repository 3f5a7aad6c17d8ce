/**
 * Cypher for whole-graph exports (src/export/): the facts that pass a filter, with their
 * evidence, and the entities they keep. Two round trips, whatever the size of the graph.
 */
import type { Db } from './executor';
import { factPredicate, filterParams, type FactFilter } from './filters';
import { column, ENTITY_PROJECTION, FACT_PROJECTION, type EntityRecord, type FactRecord } from './records';

export interface ExportEvidenceRecord {
  quote: string;
  start: number;
  end: number;
  source: string;
  url: string;
  title: string;
}

export interface ExportFactRecord extends FactRecord {
  evidence: ExportEvidenceRecord[];
}

/**
 * Facts that pass the filter and touch an entity of one of $kinds (any entity when $kinds is
 * null), with their evidence in source publication and offset order.
 */
export const EXPORT_FACTS = `
  MATCH (s:Entity)<-[:SUBJECT]-(f:Fact)-[:OBJECT]->(o:Entity)
  WHERE ${factPredicate('f')} AND ($kinds IS NULL OR s.kind IN $kinds OR o.kind IN $kinds)
  CALL (f) {
    OPTIONAL MATCH (f)-[:EVIDENCED_BY]->(e:Evidence)-[:FROM_SOURCE]->(src:Source)
    WITH e, src ORDER BY src.publishedLatest, src.id, e.start, e.id
    RETURN collect(CASE WHEN e IS NULL THEN null ELSE
      { quote: e.quote, start: e.start, end: e.end, source: src.id, url: src.url, title: src.title } END) AS evidence
  }
  WITH ${FACT_PROJECTION} AS fact, evidence
  RETURN fact { .*, evidence: evidence } AS fact
  ORDER BY fact.id`;

/** Entities of one of $kinds (all when null), and those named in $ids, in id order. */
export const EXPORT_ENTITIES = `
  MATCH (n:Entity)
  WHERE $kinds IS NULL OR n.kind IN $kinds OR n.id IN $ids
  RETURN ${ENTITY_PROJECTION} AS entity
  ORDER BY n.id`;

export interface ExportRecords {
  entities: EntityRecord[];
  facts: ExportFactRecord[];
}

/**
 * The graph an export shows: the facts that pass `filter` and touch an entity of `kinds`, and as
 * nodes the entities of `kinds` plus every entity those facts link, so that no edge dangles.
 * `kinds` are labels (Country, Unit); null means every kind.
 */
export async function exportRecords(db: Db, filter: FactFilter, kinds: readonly string[] | null): Promise<ExportRecords> {
  const facts = column<ExportFactRecord>(await db.read(EXPORT_FACTS, { kinds, ...filterParams(filter) }), 'fact');
  const linked = [...new Set(facts.flatMap((f) => [f.subject, f.object]))];
  const entities = column<EntityRecord>(await db.read(EXPORT_ENTITIES, { kinds, ids: kinds === null ? [] : linked }), 'entity');
  return { entities, facts };
}
