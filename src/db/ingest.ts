/**
 * Cypher for loading validated documents, one batched UNWIND statement per kind of change.
 *
 * The loader first reads what is stored (content hashes, inside the document's transaction),
 * then writes only the difference: new nodes and their relationships with CREATE (no MERGE, so
 * no expanding of hub nodes to look for a relationship that cannot exist yet), changed nodes
 * with MATCH + SET, and nothing at all for unchanged ones. Direct edges are found by their
 * factId through one relationship index per type (src/db/schema.ts). Labels and relationship
 * types are interpolated only from the ontology's allowlists.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import { DOMAINS, ENTITY_KINDS, isEntityKind, isRelationType, type EntityKind, type RelationType } from '../ontology';
import { toCypherValue } from './executor';
import { LOAD_STAMP_RANGE } from './version';

export interface SourceRow {
  id: string;
  props: Record<string, unknown>;
  publishedEarliest: string;
  publishedLatest: string;
}

export interface EntityRow {
  id: string;
  belongsTo: string | null;
  props: Record<string, unknown>;
}

export interface FactRow {
  id: string;
  subject: string;
  object: string;
  domains: string[];
  props: Record<string, unknown>;
  startEarliest: string | null;
  startLatest: string | null;
  endEarliest: string | null;
  endLatest: string | null;
}

export interface EvidenceRow {
  id: string;
  fact: string;
  source: string;
  props: Record<string, unknown>;
}

/** A fact not stored yet, with all its evidence (which, for a new fact, is all new too). */
export interface NewFactRow extends FactRow {
  evidence: Array<{ id: string; props: Record<string, unknown> }>;
}

function label(kind: string): EntityKind {
  if (!isEntityKind(kind)) throw new Error(`Not an entity kind of the ontology: ${kind}`);
  return kind;
}

function relType(type: string): RelationType {
  if (!isRelationType(type)) throw new Error(`Not a relationship type of the ontology: ${type}`);
  return type;
}

/** What the graph holds for a document, read in its write transaction before anything is written. */
export interface StoredState {
  /** Content hashes of the document's entities and facts that exist, by id. */
  entities: Map<string, string>;
  facts: Map<string, string>;
  /** Content hashes of every piece of evidence from the document's source, by id. */
  evidence: Map<string, string>;
  /** The source's stored publishedLatest ('YYYY-MM-DD'), or null when the source is new. */
  sourcePublishedLatest: string | null;
}

export async function readStoredState(
  tx: ManagedTransaction,
  sourceId: string,
  entityIds: string[],
  factIds: string[],
): Promise<StoredState> {
  const pairs = (rows: unknown): Map<string, string> => new Map(rows as Array<[string, string]>);
  const entities = await tx.run(
    'UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN collect([n.id, n.contentHash]) AS pairs',
    { ids: entityIds },
  );
  const facts = await tx.run('UNWIND $ids AS id MATCH (n:Fact {id: id}) RETURN collect([n.id, n.contentHash]) AS pairs', { ids: factIds });
  // Validation lets evidence cite only the document's own source, so this is all the
  // evidence the document could have stored before, and all it could now drop.
  const source = await tx.run(
    `MATCH (s:Source {id: $sourceId})
     OPTIONAL MATCH (s)<-[:FROM_SOURCE]-(e:Evidence)
     RETURN toString(s.publishedLatest) AS publishedLatest, collect([e.id, e.contentHash]) AS pairs`,
    { sourceId },
  );
  const sourceRecord = source.records[0];
  return {
    entities: pairs(entities.records[0]?.get('pairs') ?? []),
    facts: pairs(facts.records[0]?.get('pairs') ?? []),
    evidence: pairs(sourceRecord?.get('pairs') ?? []),
    sourcePublishedLatest: (sourceRecord?.get('publishedLatest') as string | null | undefined) ?? null,
  };
}

export async function writeSource(tx: ManagedTransaction, row: SourceRow): Promise<void> {
  await tx.run(
    `MERGE (s:Source {id: $row.id})
     SET s += $row.props,
         s.publishedEarliest = date($row.publishedEarliest),
         s.publishedLatest = date($row.publishedLatest),
         s.loadedAt = datetime.transaction(),
         s.loadStamp = toInteger(floor(rand() * $stampRange))`,
    toCypherValue({ row, stampRange: LOAD_STAMP_RANGE }),
  );
  await tx.run('UNWIND $domains AS d MERGE (:Domain {id: d})', { domains: DOMAINS });
}

/**
 * The stored properties of each node, as toRows() (src/ingest/load.ts) builds them. New nodes
 * are created with these written out in the CREATE: a `SET n += row.props` would make Neo4j
 * buffer every row of the batch (an Eager step, since such a SET may touch any property read).
 */
export const ENTITY_PROPERTIES = ['kind', 'subtype', 'name', 'aliases', 'referenceAliases', 'searchText', 'iso3166', 'wikidata', 'belongsTo', 'contentHash'] as const;
export const FACT_PROPERTIES = [
  'type', 'subject', 'object', 'status', 'role', 'title', 'domains', 'note',
  'startText', 'startValue', 'startPrecision', 'endText', 'endValue', 'endPrecision', 'contentHash',
] as const;
export const EVIDENCE_PROPERTIES = ['quote', 'start', 'end', 'contentHash'] as const;

/** `key: <from>.key, ...` for a CREATE's property map; keys come only from the lists above. */
function propertyMap(keys: readonly string[], from: string): string {
  return keys.map((key) => `${key}: ${from}.${key}`).join(', ');
}

/** Refuses rows whose properties are not exactly `keys`, so that none is silently left out. */
function checkProperties(keys: readonly string[], props: Array<Record<string, unknown>>): void {
  const expected = [...keys].sort().join(',');
  for (const p of props) {
    const actual = Object.keys(p).sort().join(',');
    if (actual !== expected) throw new Error(`Properties ${actual} are not the stored ones (${expected})`);
  }
}

/** Entities not stored yet, all of one kind. */
export async function createEntities(tx: ManagedTransaction, kind: string, rows: EntityRow[]): Promise<void> {
  checkProperties(ENTITY_PROPERTIES, rows.map((r) => r.props));
  await tx.run(
    `UNWIND $rows AS row
     CREATE (:Entity:${label(kind)} {id: row.id, ${propertyMap(ENTITY_PROPERTIES, 'row.props')}})`,
    toCypherValue({ rows }),
  );
}

/** Stored entities whose properties changed, all of one kind now (the kind may have changed too). */
export async function updateEntities(tx: ManagedTransaction, kind: string, rows: EntityRow[]): Promise<void> {
  const kindLabel = label(kind);
  const otherLabels = ENTITY_KINDS.filter((k) => k !== kindLabel).join(':');
  await tx.run(
    `UNWIND $rows AS row
     MATCH (e:Entity {id: row.id})
     SET e += row.props
     REMOVE e:${otherLabels}
     SET e:${kindLabel}`,
    toCypherValue({ rows }),
  );
}

/**
 * BELONGS_TO edges: for new entities (`replace` false) it is created; for changed ones the old
 * edge is deleted first. Runs after every entity of the document is written.
 */
export async function writeBelongsTo(tx: ManagedTransaction, rows: EntityRow[], replace: boolean): Promise<void> {
  if (!replace) {
    await tx.run(
      `UNWIND $rows AS row
       MATCH (e:Entity {id: row.id}), (c:Entity {id: row.belongsTo})
       CREATE (e)-[:BELONGS_TO]->(c)`,
      toCypherValue({ rows: rows.filter((r) => r.belongsTo !== null) }),
    );
    return;
  }
  await tx.run(
    `UNWIND $rows AS row
     MATCH (e:Entity {id: row.id})
     OPTIONAL MATCH (e)-[old:BELONGS_TO]->()
     DELETE old
     WITH DISTINCT e, row WHERE row.belongsTo IS NOT NULL
     MATCH (c:Entity {id: row.belongsTo})
     MERGE (e)-[:BELONGS_TO]->(c)`,
    toCypherValue({ rows }),
  );
}

/**
 * Facts not stored yet, all of one type, with their SUBJECT, OBJECT, direct edge, IN_DOMAIN
 * links and evidence. All their evidence comes from this document's source, so when they are
 * in force is known here: firstStated is the source's publishedLatest, inForceFrom the start's
 * latest day or else firstStated.
 */
export async function createFacts(tx: ManagedTransaction, type: string, sourceId: string, rows: NewFactRow[]): Promise<void> {
  checkProperties(FACT_PROPERTIES, rows.map((r) => r.props));
  checkProperties(EVIDENCE_PROPERTIES, rows.flatMap((r) => r.evidence.map((e) => e.props)));
  await tx.run(
    `MATCH (src:Source {id: $sourceId})
     WITH src, src.publishedLatest AS firstStated
     UNWIND $rows AS row
     MATCH (s:Entity {id: row.subject}), (o:Entity {id: row.object})
     WITH src, firstStated, row, s, o,
          date(row.endEarliest) AS inForceUntil, coalesce(date(row.startLatest), firstStated) AS inForceFrom
     CREATE (f:Fact {id: row.id, ${propertyMap(FACT_PROPERTIES, 'row.props')},
                     startEarliest: date(row.startEarliest), startLatest: date(row.startLatest),
                     endEarliest: date(row.endEarliest), endLatest: date(row.endLatest),
                     inForceUntil: inForceUntil, firstStated: firstStated, inForceFrom: inForceFrom})
     CREATE (f)-[:SUBJECT]->(s), (f)-[:OBJECT]->(o),
            (s)-[:${relType(type)} {factId: row.id, status: row.props.status, role: row.props.role, domains: row.props.domains,
                                   inForceUntil: inForceUntil, inForceFrom: inForceFrom,
                                   startEarliest: date(row.startEarliest), endLatest: date(row.endLatest)}]->(o)
     WITH src, f, row
     CALL (f, row) {
       UNWIND row.domains AS domainId
       MATCH (d:Domain {id: domainId})
       CREATE (f)-[:IN_DOMAIN]->(d)
     }
     CALL (src, f, row) {
       UNWIND row.evidence AS ev
       CREATE (f)-[:EVIDENCED_BY]->(:Evidence {id: ev.id, ${propertyMap(EVIDENCE_PROPERTIES, 'ev.props')}})-[:FROM_SOURCE]->(src)
     }`,
    toCypherValue({ sourceId, rows }),
  );
}

/**
 * Stored facts whose describing properties changed, all of one type (type, subject, object and
 * role make the id, so they cannot change): the Fact, its direct edge and its IN_DOMAIN links.
 * Their in-force dates are then refreshed with refreshInForce().
 */
export async function updateFacts(tx: ManagedTransaction, type: string, rows: FactRow[]): Promise<void> {
  await tx.run(
    `UNWIND $rows AS row
     MATCH (f:Fact {id: row.id})
     SET f += row.props,
         f.startEarliest = date(row.startEarliest), f.startLatest = date(row.startLatest),
         f.endEarliest = date(row.endEarliest), f.endLatest = date(row.endLatest),
         f.inForceUntil = date(row.endEarliest)
     WITH f, row
     CALL (f) {
       MATCH ()-[r:${relType(type)} {factId: f.id}]->()
       SET r.status = f.status, r.role = f.role, r.domains = f.domains, r.inForceUntil = f.inForceUntil,
           r.startEarliest = f.startEarliest, r.endLatest = f.endLatest
     }
     CALL (f, row) {
       OPTIONAL MATCH (f)-[old:IN_DOMAIN]->(d:Domain) WHERE NOT d.id IN row.domains
       DELETE old
     }
     CALL (f, row) {
       UNWIND row.domains AS domainId
       MATCH (d:Domain {id: domainId})
       MERGE (f)-[:IN_DOMAIN]->(d)
     }`,
    toCypherValue({ rows }),
  );
}

/** New evidence for facts that were already stored. */
export async function createEvidence(tx: ManagedTransaction, sourceId: string, rows: EvidenceRow[]): Promise<void> {
  checkProperties(EVIDENCE_PROPERTIES, rows.map((r) => r.props));
  await tx.run(
    `MATCH (src:Source {id: $sourceId})
     UNWIND $rows AS row
     MATCH (f:Fact {id: row.fact})
     CREATE (f)-[:EVIDENCED_BY]->(:Evidence {id: row.id, ${propertyMap(EVIDENCE_PROPERTIES, 'row.props')}})-[:FROM_SOURCE]->(src)`,
    toCypherValue({ sourceId, rows }),
  );
}

/** Stored evidence whose properties changed (same fact, source and offsets). */
export async function updateEvidence(tx: ManagedTransaction, rows: EvidenceRow[]): Promise<void> {
  await tx.run('UNWIND $rows AS row MATCH (e:Evidence {id: row.id}) SET e += row.props', toCypherValue({ rows }));
}

/**
 * A document is the whole statement of its source: the source's evidence that the document no
 * longer gives is deleted (the loader knows which, from the stored state). Returns the facts
 * that lost evidence, with their types: pruneOrphanFacts() removes those left with none, and
 * the others need refreshInForce(), since their earliest source may have been this one.
 */
export async function deleteEvidence(tx: ManagedTransaction, ids: string[]): Promise<{ evidence: number; touchedFacts: Array<{ id: string; type: string }> }> {
  const result = await tx.run(
    `UNWIND $ids AS id
     MATCH (e:Evidence {id: id})
     OPTIONAL MATCH (f:Fact)-[:EVIDENCED_BY]->(e)
     WITH e, f.id AS factId, f.type AS type
     DETACH DELETE e
     RETURN count(e) AS evidence, collect(DISTINCT CASE WHEN factId IS NULL THEN null ELSE [factId, type] END) AS facts`,
    { ids },
  );
  const record = result.records[0];
  const facts = (record?.get('facts') as Array<[string, string]> | undefined) ?? [];
  return { evidence: (record?.get('evidence') as number | undefined) ?? 0, touchedFacts: facts.map(([id, type]) => ({ id, type })) };
}

/** Deletes the facts of one type among `factIds` that have no evidence left, with their direct edges. */
export async function pruneOrphanFacts(tx: ManagedTransaction, type: string, factIds: string[]): Promise<number> {
  const result = await tx.run(
    `UNWIND $ids AS id
     MATCH (f:Fact {id: id}) WHERE NOT (f)-[:EVIDENCED_BY]->(:Evidence)
     CALL (f) {
       MATCH ()-[r:${relType(type)} {factId: f.id}]->()
       DELETE r
     }
     DETACH DELETE f
     RETURN count(f) AS facts`,
    { ids: factIds },
  );
  return (result.records[0]?.get('facts') as number | undefined) ?? 0;
}

/**
 * When a fact is in force: from its start's latest day, or, with no start, from the earliest
 * publication that states it; until its end's earliest day. Kept on the fact and its edge.
 * For stored facts of one type whose start or evidence changed.
 */
export async function refreshInForce(tx: ManagedTransaction, type: string, factIds: string[]): Promise<void> {
  await tx.run(
    `UNWIND $ids AS id
     MATCH (f:Fact {id: id})-[:EVIDENCED_BY]->(:Evidence)-[:FROM_SOURCE]->(src:Source)
     WITH f, min(src.publishedLatest) AS firstStated
     SET f.firstStated = firstStated, f.inForceFrom = coalesce(f.startLatest, firstStated)
     WITH f
     MATCH ()-[r:${relType(type)} {factId: f.id}]->()
     SET r.inForceFrom = f.inForceFrom`,
    { ids: factIds },
  );
}
