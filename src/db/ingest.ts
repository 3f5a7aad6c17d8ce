/**
 * Cypher for loading validated documents. Every statement MERGEs on ids, so a rerun changes
 * nothing. Labels and relationship types are interpolated only from the ontology's allowlists.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import { DOMAINS, ENTITY_KINDS, isEntityKind, isRelationType, type EntityKind, type RelationType } from '../ontology';
import { toCypherValue, type Db, type Row } from './executor';

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

/** Reads before a load scale with the document, not with a request: allow them minutes. */
const LOAD_READ_TIMEOUT_MS = 300_000;

function label(kind: string): EntityKind {
  if (!isEntityKind(kind)) throw new Error(`Not an entity kind of the ontology: ${kind}`);
  return kind;
}

function relType(type: string): RelationType {
  if (!isRelationType(type)) throw new Error(`Not a relationship type of the ontology: ${type}`);
  return type;
}

/** Content hashes already stored, by id, to report created / updated / unchanged. */
export async function storedHashes(db: Db, labelName: 'Entity' | 'Fact' | 'Evidence' | 'Source', ids: string[]): Promise<Map<string, string>> {
  const allowed = { Entity: 'Entity', Fact: 'Fact', Evidence: 'Evidence', Source: 'Source' }[labelName];
  const rows: Row[] = await db.read(
    `UNWIND $ids AS id MATCH (n:${allowed} {id: id}) RETURN n.id AS id, n.contentHash AS hash`,
    { ids },
    LOAD_READ_TIMEOUT_MS,
  );
  return new Map(rows.map((row) => [row.id as string, row.hash as string]));
}

export async function writeSource(tx: ManagedTransaction, row: SourceRow): Promise<void> {
  await tx.run(
    `MERGE (s:Source {id: $row.id})
     SET s += $row.props,
         s.publishedEarliest = date($row.publishedEarliest),
         s.publishedLatest = date($row.publishedLatest)`,
    toCypherValue({ row }) as Record<string, unknown>,
  );
  await tx.run('UNWIND $domains AS d MERGE (:Domain {id: d})', { domains: DOMAINS });
}

export async function writeEntities(tx: ManagedTransaction, kind: string, rows: EntityRow[]): Promise<void> {
  const kindLabel = label(kind);
  const otherLabels = ENTITY_KINDS.filter((k) => k !== kindLabel).join(':');
  await tx.run(
    `UNWIND $rows AS row
     MERGE (e:Entity {id: row.id})
     SET e += row.props
     REMOVE e:${otherLabels}
     SET e:${kindLabel}`,
    toCypherValue({ rows }) as Record<string, unknown>,
  );
}

export async function writeBelongsTo(tx: ManagedTransaction, rows: EntityRow[]): Promise<void> {
  await tx.run(
    `UNWIND $rows AS row
     MATCH (e:Entity {id: row.id})
     OPTIONAL MATCH (e)-[old:BELONGS_TO]->()
     DELETE old
     WITH DISTINCT e, row WHERE row.belongsTo IS NOT NULL
     MATCH (c:Entity {id: row.belongsTo})
     MERGE (e)-[:BELONGS_TO]->(c)`,
    toCypherValue({ rows }) as Record<string, unknown>,
  );
}

export async function writeFacts(tx: ManagedTransaction, type: string, rows: FactRow[]): Promise<void> {
  const rel = relType(type);
  await tx.run(
    `UNWIND $rows AS row
     MATCH (s:Entity {id: row.subject}), (o:Entity {id: row.object})
     MERGE (f:Fact {id: row.id})
     SET f += row.props,
         f.startEarliest = date(row.startEarliest), f.startLatest = date(row.startLatest),
         f.endEarliest = date(row.endEarliest), f.endLatest = date(row.endLatest),
         f.inForceUntil = date(row.endEarliest)
     MERGE (f)-[:SUBJECT]->(s)
     MERGE (f)-[:OBJECT]->(o)
     MERGE (s)-[r:${rel} {factId: row.id}]->(o)
     SET r.status = f.status, r.role = f.role, r.domains = f.domains, r.inForceUntil = f.inForceUntil
     WITH f, row
     CALL (f, row) {
       OPTIONAL MATCH (f)-[old:IN_DOMAIN]->(d:Domain) WHERE NOT d.id IN row.domains
       DELETE old
     }
     CALL (f, row) {
       UNWIND row.domains AS domainId
       MATCH (d:Domain {id: domainId})
       MERGE (f)-[:IN_DOMAIN]->(d)
     }`,
    toCypherValue({ rows }) as Record<string, unknown>,
  );
}

export async function writeEvidence(tx: ManagedTransaction, rows: EvidenceRow[]): Promise<void> {
  await tx.run(
    `UNWIND $rows AS row
     MATCH (f:Fact {id: row.fact}), (s:Source {id: row.source})
     MERGE (e:Evidence {id: row.id})
     SET e += row.props
     MERGE (f)-[:EVIDENCED_BY]->(e)
     MERGE (e)-[:FROM_SOURCE]->(s)`,
    toCypherValue({ rows }) as Record<string, unknown>,
  );
}

/**
 * A document is the whole statement of its source: evidence from that source that the document
 * no longer gives is removed, and so is a fact left with no evidence at all. `touchedFacts` lists
 * the facts that lost evidence: those still standing need refreshInForce(), since their earliest
 * source may have been the one that dropped them.
 */
export async function pruneSource(
  tx: ManagedTransaction,
  sourceId: string,
  keepEvidence: string[],
): Promise<{ evidence: number; facts: number; touchedFacts: string[] }> {
  const dropped = await tx.run(
    `MATCH (:Source {id: $sourceId})<-[:FROM_SOURCE]-(e:Evidence)
     WHERE NOT e.id IN $keep
     OPTIONAL MATCH (f:Fact)-[:EVIDENCED_BY]->(e)
     WITH e, collect(f.id) AS factIds
     DETACH DELETE e
     RETURN count(e) AS evidence, reduce(acc = [], ids IN collect(factIds) | acc + ids) AS factIds`,
    toCypherValue({ sourceId, keep: keepEvidence }) as Record<string, unknown>,
  );
  const evidence = (dropped.records[0]?.get('evidence') as number | undefined) ?? 0;
  const factIds = (dropped.records[0]?.get('factIds') as string[] | undefined) ?? [];
  if (factIds.length === 0) return { evidence, facts: 0, touchedFacts: [] };
  const orphans = await tx.run(
    `UNWIND $factIds AS id
     MATCH (f:Fact {id: id}) WHERE NOT (f)-[:EVIDENCED_BY]->(:Evidence)
     OPTIONAL MATCH (f)-[:SUBJECT]->(s)-[r]->(o)<-[:OBJECT]-(f) WHERE r.factId = f.id
     DELETE r
     WITH DISTINCT f
     DETACH DELETE f
     RETURN count(f) AS facts`,
    toCypherValue({ factIds }) as Record<string, unknown>,
  );
  return { evidence, facts: (orphans.records[0]?.get('facts') as number | undefined) ?? 0, touchedFacts: [...new Set(factIds)] };
}

/**
 * When a fact is in force: from its start's latest day, or, with no start, from the earliest
 * publication that states it; until its end's earliest day. Kept on the fact and its edge.
 */
export async function refreshInForce(tx: ManagedTransaction, factIds: string[]): Promise<void> {
  await tx.run(
    `UNWIND $ids AS id
     MATCH (f:Fact {id: id})-[:EVIDENCED_BY]->(:Evidence)-[:FROM_SOURCE]->(src:Source)
     WITH f, min(src.publishedLatest) AS firstStated
     SET f.firstStated = firstStated, f.inForceFrom = coalesce(f.startLatest, firstStated)
     WITH f
     MATCH (f)-[:SUBJECT]->(s)-[r]->(o)<-[:OBJECT]-(f) WHERE r.factId = f.id
     SET r.inForceFrom = f.inForceFrom`,
    toCypherValue({ ids: factIds }) as Record<string, unknown>,
  );
}
