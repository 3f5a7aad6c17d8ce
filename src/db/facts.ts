/** Cypher that reads facts, their evidence and sources. */
import type { Db } from './executor';
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
import { countedViewCypher, factPredicate, filterParams, inForceCypher, type FactFilter } from './filters';
import { EVIDENCE_FULLTEXT_INDEX } from './schema';

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

/**
 * As FACTS_OF_ENTITIES, and also the facts of the entities that belong to each (BELONGS_TO),
 * each marked with the body it is about (`via`, null for the entity's own). A fact between the
 * entity and one of its bodies is the entity's own.
 */
export const FACTS_OF_ENTITIES_AND_BODIES = `
  UNWIND $ids AS id
  MATCH (x:Entity {id: id})
  OPTIONAL MATCH (b:Entity)-[:BELONGS_TO]->(x)
  WITH id, x, [x] + collect(b) AS actors
  UNWIND actors AS a
  MATCH (a)<-[:SUBJECT|OBJECT]-(f:Fact)
  WHERE ${factPredicate('f')} AND ($types IS NULL OR f.type IN $types)
  WITH id, f, min(CASE WHEN a = x THEN '' ELSE a.id END) AS via
  WITH id, collect({f: f, via: CASE WHEN via = '' THEN null ELSE via END}) AS found
  CALL (found) {
    UNWIND found AS item
    WITH item.f AS f, item.via AS via ORDER BY f.inForceFrom, f.id
    RETURN collect({fact: ${FACT_PROJECTION}, via: via}) AS facts
  }
  CALL (found) {
    UNWIND found AS item
    WITH item.f AS f
    MATCH (f)-[:SUBJECT|OBJECT]->(n:Entity)
    WITH DISTINCT n
    RETURN collect(${ENTITY_PROJECTION}) AS ends
  }
  RETURN id, facts, ends`;

/** A fact in an entity's facts(includeBodies: true): viaBody names the body it is about. */
export interface EntityFactRecord extends FactRecord {
  viaBody?: string | null;
}

export async function factsOfEntitiesAndBodies(db: Db, ids: readonly string[], filter: FactFilter, types: string[] | null): Promise<{ facts: Map<string, EntityFactRecord[]>; ends: EntityRecord[] }> {
  const rows = await db.read(FACTS_OF_ENTITIES_AND_BODIES, { ids, types, ...filterParams(filter) });
  return {
    facts: new Map(
      rows.map((row) => [row.id as string, (row.facts as Array<{ fact: FactRecord; via: string | null }>).map(({ fact, via }) => ({ ...fact, viaBody: via }))]),
    ),
    ends: rows.flatMap((row) => row.ends as EntityRecord[]),
  };
}

/** One group of counted facts: how many have this status, in-force state and domain match, and pass the filter. */
export interface FactTallyRow {
  status: string;
  /** 'YES', 'NO' or 'UNKNOWN' on the filter's asOf day; null without asOf. */
  inForce: string | null;
  shown: boolean;
  inDomain: boolean;
  n: number;
}

/**
 * The facts of each entity (and, with $includeBodies, of its bodies) of the asked types, in
 * groups by status, in-force state and whether the filter keeps them: what factCounts reports
 * (with $knownOn, as known on that day: countedViewCypher).
 */
export const FACT_TALLY_OF_ENTITIES = `
  UNWIND $ids AS id
  MATCH (x:Entity {id: id})
  OPTIONAL MATCH (b:Entity)-[:BELONGS_TO]->(x) WHERE $includeBodies
  WITH id, x, [x] + collect(b) AS actors
  UNWIND actors AS a
  MATCH (a)<-[:SUBJECT|OBJECT]-(f:Fact)
  WHERE $types IS NULL OR f.type IN $types
  WITH DISTINCT id, f
  WITH id, f, ${countedViewCypher('f')} AS v
  WHERE v IS NOT NULL
  WITH id, v.status AS status, ${factPredicate('f')} AS shown,
       CASE WHEN $asOf IS NULL THEN null ELSE ${inForceCypher('v', 'date($asOf)')} END AS inForce,
       ($domain IS NULL OR $domain IN v.domains) AS inDomain
  RETURN id, status, inForce, shown, inDomain, count(*) AS n`;

export async function factTallyOfEntities(db: Db, ids: readonly string[], filter: FactFilter, types: string[] | null, includeBodies: boolean): Promise<Map<string, FactTallyRow[]>> {
  const rows = await db.read(FACT_TALLY_OF_ENTITIES, { ids, types, includeBodies, ...filterParams(filter) });
  const byId = new Map<string, FactTallyRow[]>();
  for (const row of rows) {
    const list = byId.get(row.id as string) ?? [];
    list.push({ status: row.status as string, inForce: row.inForce as string | null, shown: row.shown as boolean, inDomain: row.inDomain as boolean, n: row.n as number });
    byId.set(row.id as string, list);
  }
  return byId;
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

/** The passages of each source that state facts, for a DataLoader: one per span, with its facts. */
export const PASSAGES_OF_SOURCES = `
  UNWIND $ids AS id
  MATCH (:Source {id: id})<-[:FROM_SOURCE]-(e:Evidence)<-[:EVIDENCED_BY]-(f:Fact)
  WITH id, e.start AS start, e.end AS end, e.quote AS quote, f.id AS fact ORDER BY fact
  WITH id, start, end, quote, collect(DISTINCT fact) AS factIds ORDER BY start, end
  RETURN id, collect({start: start, end: end, quote: quote, factIds: factIds}) AS passages`;

export interface PassageRecord {
  start: number;
  end: number;
  quote: string;
  factIds: string[];
}

export async function passagesOfSources(db: Db, ids: readonly string[]): Promise<Map<string, PassageRecord[]>> {
  const rows = await db.read(PASSAGES_OF_SOURCES, { ids });
  return new Map(rows.map((row) => [row.id as string, row.passages as PassageRecord[]]));
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

/** A page of sources by id, from the id index (the first page: after ''); one more than `limit` when there is a next page. */
export const SOURCE_PAGE = `
  MATCH (s:Source)
  WHERE s.id > $after
  WITH s ORDER BY s.id LIMIT $limit
  RETURN ${SOURCE_PROJECTION} AS source`;

export async function sourcePage(db: Db, after: string | null, limit: number): Promise<SourceRecord[]> {
  return column<SourceRecord>(await db.read(SOURCE_PAGE, { after: after ?? '', limit: limit + 1 }), 'source');
}

export async function countSources(db: Db): Promise<number> {
  const [row] = await db.read('MATCH (s:Source) RETURN count(s) AS n');
  return Number(row?.n ?? 0);
}

/** Every source's id, in id order: what a script checks a graph holds before it reuses it. */
export async function sourceIds(db: Db): Promise<string[]> {
  return (await db.read('MATCH (s:Source) RETURN s.id AS id ORDER BY id')).map((row) => row.id as string);
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

/**
 * Full-text search over evidence quotes (the Lucene query as luceneQuery() builds it). Each fact
 * has its own Evidence node, so one passage found for several facts is one hit, with all of them.
 */
export const SEARCH_EVIDENCE = `
  CALL db.index.fulltext.queryNodes('${EVIDENCE_FULLTEXT_INDEX}', $lucene, {limit: $candidates})
  YIELD node AS e, score
  MATCH (f:Fact)-[:EVIDENCED_BY]->(e)-[:FROM_SOURCE]->(s:Source)
  WITH s, e.start AS start, e.end AS end, e.quote AS quote, max(score) AS score,
       collect(e { .id, .quote, .start, .end, fact: f.id, source: s.id }) AS evidence
  RETURN s.id AS source, start, end, quote, score, evidence
  ORDER BY score DESC, source, start
  LIMIT $limit`;

export interface EvidenceHitRecord {
  source: string;
  start: number;
  end: number;
  quote: string;
  score: number;
  evidence: EvidenceRecord[];
}

export async function searchEvidence(db: Db, lucene: string, first: number): Promise<EvidenceHitRecord[]> {
  return (await db.read(SEARCH_EVIDENCE, { lucene, limit: first, candidates: Math.min(first * 20, 2000) })) as unknown as EvidenceHitRecord[];
}
