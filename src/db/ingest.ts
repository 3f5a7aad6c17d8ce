/**
 * Cypher for loading and unloading sources, one batched UNWIND statement per kind of change.
 *
 * The loader reads what is stored (readStoredState, inside the document's transaction), plans
 * the difference without a database (src/ingest/plan.ts), then sends only that: new nodes and
 * their relationships with CREATE (no MERGE, so no expanding of hub nodes to look for a
 * relationship that cannot exist yet), changed nodes with MATCH + SET, nothing for unchanged
 * ones. Direct edges are found by their factId through one relationship index per type, claims
 * by their fact or source (src/db/schema.ts). Labels and relationship types are interpolated
 * only from the ontology's allowlists.
 */
import type { Claim } from '../claims';
import { DOMAINS, ENTITY_KINDS, isEntityKind, isRelationType, type Domain, type EntityKind, type RelationType, type Status } from '../ontology';
import type { Db, WriteTransaction } from './executor';
import { storedDate, type EntityRecord } from './records';
import { LOAD_STAMP_RANGE } from './version';

/** The write transaction a load runs in (applyChanges, src/ingest/load.ts): every statement through the executor. */
export type { WriteTransaction };

// ---------------------------------------------------------------------------------------------
// The rows: what is stored, as the loader reads it, and what it writes (src/ingest/plan.ts makes them)


/** One source's definition of an entity, as kept on the entity (`definitions`). */
export interface EntityDefinition extends Omit<EntityRecord, 'id'> {
  source: string;
  published: string;
}

export interface StoredEntity {
  id: string;
  kind: string;
  contentHash: string;
  definitions: EntityDefinition[];
  /** How many facts have it as subject or object. */
  facts: number;
}

export interface StoredClaim extends Claim {
  contentHash: string;
}

export interface StoredFact {
  id: string;
  type: string;
  subject: string;
  object: string;
  role: string | null;
  contentHash: string;
  claims: StoredClaim[];
}

export interface StoredState {
  source: { id: string; contentHash: string } | null;
  /** The entities the document defines or refers to, and those the source defined before. */
  entities: Map<string, StoredEntity>;
  /** The facts the document states, and those the source stated before. */
  facts: Map<string, StoredFact>;
  /** Content hashes of the source's evidence, by id. */
  evidence: Map<string, string>;
}


export interface SourceRow {
  id: string;
  props: Record<string, unknown>;
  publishedEarliest: string;
  publishedLatest: string;
}

export interface EntityRow {
  id: string;
  kind: string;
  belongsTo: string | null;
  props: Record<string, unknown>;
}

/** A fact's derived view as stored on the Fact node and its direct edge. */
export interface FactRow {
  id: string;
  type: string;
  subject: string;
  object: string;
  domains: string[];
  props: Record<string, unknown>;
  /** Days, YYYY-MM-DD, converted to dates by the Cypher. */
  dates: Record<'startEarliest' | 'startLatest' | 'endEarliest' | 'endLatest' | 'firstStated' | 'inForceFrom' | 'inForceUntil', string | null>;
  /** What was known when: one entry per step (src/claims.ts knownSteps). */
  known: { from: string[]; status: string[]; inForceFrom: string[]; inForceUntil: string[]; startEarliest: string[]; endLatest: string[]; domains: string[] };
}

export interface ClaimRow {
  fact: string;
  source: string;
  props: Record<string, unknown>;
}

export interface EvidenceRow {
  id: string;
  fact: string;
  source: string;
  props: Record<string, unknown>;
}

export interface NewFactRow extends FactRow {
  claim: ClaimRow;
  evidence: Array<{ id: string; props: Record<string, unknown> }>;
}

const CLAIM_PROPS = [
  'source', 'publisher', 'published', 'status', 'title', 'domains', 'note',
  'startText', 'startValue', 'startPrecision', 'startEarliest', 'startLatest',
  'endText', 'endValue', 'endPrecision', 'endEarliest', 'endLatest', 'contentHash',
] as const;
export const CLAIM_PROPERTIES: readonly string[] = CLAIM_PROPS;

/** A stored Claim node's properties as the claim they store (the inverse of claimProps(), src/ingest/plan.ts). */
export function claimOf(props: Record<string, unknown>): StoredClaim {
  return {
    source: props.source as string,
    publisher: props.publisher as string,
    published: props.published as string,
    status: props.status as Status,
    title: (props.title as string | null) ?? null,
    domains: (props.domains as Domain[] | null) ?? [],
    note: (props.note as string | null) ?? null,
    start: storedDate(props, 'start'),
    end: storedDate(props, 'end'),
    contentHash: props.contentHash as string,
  };
}


/** What the graph says about an entity, for crossCheck() (src/ingest/validate.ts): its kind and owner by defining source. */
export interface KnownEntity {
  id: string;
  definitions: Array<{ source: string; kind: string; belongsTo: string | null }>;
}

/** A stored entity's names and reference ids, for resolveEntities() (src/ingest/resolve.ts). */
export interface StoredName {
  id: string;
  kind: string;
  name: string;
  aliases: string[];
  wikidata: string | null;
  iso3166: string | null;
}

function label(kind: string): EntityKind {
  if (!isEntityKind(kind)) throw new Error(`Not an entity kind of the ontology: ${kind}`);
  return kind;
}

function relType(type: string): RelationType {
  if (!isRelationType(type)) throw new Error(`Not a relationship type of the ontology: ${type}`);
  return type;
}

export const STORED_SOURCE = `
  OPTIONAL MATCH (s:Source {id: $sourceId})
  OPTIONAL MATCH (c:Claim {source: $sourceId})
  RETURN s.contentHash AS contentHash, coalesce(s.defines, []) AS defines, s IS NOT NULL AS exists, collect(c.fact) AS facts`;

export const STORED_ENTITIES = `
  UNWIND $ids AS id
  MATCH (n:Entity {id: id})
  RETURN n.id AS id, n.kind AS kind, n.contentHash AS contentHash, coalesce(n.definitions, []) AS definitions,
         COUNT { (n)<-[:SUBJECT|OBJECT]-() } AS facts`;

export const STORED_FACTS = `
  UNWIND $ids AS id
  MATCH (f:Fact {id: id})
  OPTIONAL MATCH (f)-[:CLAIMED_IN]->(c:Claim)
  RETURN f.id AS id, f.type AS type, f.subject AS subject, f.object AS object, f.role AS role, f.contentHash AS contentHash,
         collect(properties(c)) AS claims`;

export const STORED_EVIDENCE = `
  MATCH (:Source {id: $sourceId})<-[:FROM_SOURCE]-(e:Evidence)
  RETURN collect([e.id, e.contentHash]) AS pairs`;

/**
 * What the graph holds that a load (or unload) of `sourceId` may change: the source, the
 * entities named (and those the source defined before), the facts stated (and those the source
 * stated before) with all their claims, and the source's evidence. Read in the write
 * transaction, before anything is written.
 */
export async function readStoredState(tx: WriteTransaction, sourceId: string, entityIds: string[], factIds: string[]): Promise<StoredState> {
  const [sourceRow] = await tx.run(STORED_SOURCE, { sourceId });
  const defines = (sourceRow?.defines as string[] | undefined) ?? [];
  const claimed = (sourceRow?.facts as string[] | undefined) ?? [];
  const entityRows = await tx.run(STORED_ENTITIES, { ids: [...new Set([...entityIds, ...defines])] });
  const factRows = await tx.run(STORED_FACTS, { ids: [...new Set([...factIds, ...claimed])] });
  const [evidenceRow] = await tx.run(STORED_EVIDENCE, { sourceId });
  const entities = new Map<string, StoredEntity>();
  for (const r of entityRows) {
    entities.set(r.id as string, {
      id: r.id as string,
      kind: r.kind as string,
      contentHash: r.contentHash as string,
      definitions: (r.definitions as string[]).map((d) => JSON.parse(d) as EntityDefinition),
      facts: Number(r.facts),
    });
  }
  const facts = new Map<string, StoredFact>();
  for (const r of factRows) {
    facts.set(r.id as string, {
      id: r.id as string,
      type: r.type as string,
      subject: r.subject as string,
      object: r.object as string,
      role: (r.role as string | null) ?? null,
      contentHash: r.contentHash as string,
      claims: (r.claims as Array<Record<string, unknown>>).map(claimOf),
    });
  }
  return {
    source: sourceRow?.exists ? { id: sourceId, contentHash: sourceRow.contentHash as string } : null,
    entities,
    facts,
    evidence: new Map((evidenceRow?.pairs as Array<[string, string]> | undefined) ?? []),
  };
}

export async function writeSource(tx: WriteTransaction, row: SourceRow): Promise<void> {
  await tx.run(
    `MERGE (s:Source {id: $row.id})
     SET s += $row.props,
         s.publishedEarliest = date($row.publishedEarliest),
         s.publishedLatest = date($row.publishedLatest),
         s.loadedAt = datetime.transaction(),
         s.loadStamp = toInteger(floor(rand() * $stampRange))`,
    { row, stampRange: LOAD_STAMP_RANGE },
  );
  await tx.run('UNWIND $domains AS d MERGE (:Domain {id: d})', { domains: DOMAINS });
}

/** The source node of an unloaded source (its claims and evidence are gone by then). */
export async function removeSource(tx: WriteTransaction, sourceId: string): Promise<void> {
  await tx.run('MATCH (s:Source {id: $sourceId}) DETACH DELETE s', { sourceId });
}

/**
 * The stored properties of each node, as src/ingest/plan.ts builds them. New nodes are created
 * with these written out in the CREATE: a `SET n += row.props` would make Neo4j buffer every
 * row of the batch (an Eager step, since such a SET may touch any property read).
 */
export const ENTITY_PROPERTIES = [
  'kind', 'subtype', 'name', 'aliases', 'referenceAliases', 'searchText', 'iso3166', 'wikidata', 'belongsTo', 'definitions', 'definedBy', 'contentHash',
] as const;
export const FACT_PROPERTIES = [
  'type', 'subject', 'object', 'status', 'role', 'title', 'domains', 'note',
  'startText', 'startValue', 'startPrecision', 'endText', 'endValue', 'endPrecision', 'sources', 'conflicts', 'contentHash',
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

/** The dated and "known when" properties of a fact row `row`, for a CREATE's map or a SET. */
const FACT_DATES = `startEarliest: date(row.dates.startEarliest), startLatest: date(row.dates.startLatest),
  endEarliest: date(row.dates.endEarliest), endLatest: date(row.dates.endLatest),
  firstStated: date(row.dates.firstStated), inForceFrom: date(row.dates.inForceFrom), inForceUntil: date(row.dates.inForceUntil),
  knownFrom: [d IN row.known.from | date(d)], knownStatus: row.known.status,
  knownInForceFrom: [d IN row.known.inForceFrom | date(d)], knownInForceUntil: [d IN row.known.inForceUntil | date(d)],
  knownStartEarliest: [d IN row.known.startEarliest | date(d)], knownEndLatest: [d IN row.known.endLatest | date(d)],
  knownDomains: row.known.domains`;

/** What the direct edge copies from its fact. */
const EDGE_PROPERTIES = `status: row.props.status, role: row.props.role, domains: row.props.domains,
  inForceFrom: date(row.dates.inForceFrom), inForceUntil: date(row.dates.inForceUntil),
  startEarliest: date(row.dates.startEarliest), endLatest: date(row.dates.endLatest),
  knownFrom: [d IN row.known.from | date(d)], knownStatus: row.known.status,
  knownInForceFrom: [d IN row.known.inForceFrom | date(d)], knownInForceUntil: [d IN row.known.inForceUntil | date(d)],
  knownStartEarliest: [d IN row.known.startEarliest | date(d)], knownEndLatest: [d IN row.known.endLatest | date(d)],
  knownDomains: row.known.domains`;

/** Entities not stored yet, all of one kind. */
export async function createEntities(tx: WriteTransaction, kind: string, rows: EntityRow[]): Promise<void> {
  checkProperties(ENTITY_PROPERTIES, rows.map((r) => r.props));
  await tx.run(
    `UNWIND $rows AS row
     CREATE (:Entity:${label(kind)} {id: row.id, ${propertyMap(ENTITY_PROPERTIES, 'row.props')}})`,
    { rows },
  );
}

/** Stored entities whose derived properties changed, all of one kind now. */
export async function updateEntities(tx: WriteTransaction, kind: string, rows: EntityRow[]): Promise<void> {
  const kindLabel = label(kind);
  const otherLabels = ENTITY_KINDS.filter((k) => k !== kindLabel).join(':');
  await tx.run(
    `UNWIND $rows AS row
     MATCH (e:Entity {id: row.id})
     SET e += row.props
     REMOVE e:${otherLabels}
     SET e:${kindLabel}`,
    { rows },
  );
}

/** Entities whose view is unchanged but whose definitions are not (another source repeats one). */
export async function redefineEntities(tx: WriteTransaction, rows: EntityRow[]): Promise<void> {
  await tx.run(
    'UNWIND $rows AS row MATCH (e:Entity {id: row.id}) SET e.definitions = row.props.definitions, e.definedBy = row.props.definedBy',
    { rows },
  );
}

/** Entities that lost their last definition but that other sources' facts still name. */
export async function undefineEntities(tx: WriteTransaction, ids: string[]): Promise<void> {
  await tx.run('UNWIND $ids AS id MATCH (e:Entity {id: id}) SET e.definitions = [], e.definedBy = [], e.contentHash = null', { ids });
}

/** Entities no source defines and no fact names any more. */
export async function removeEntities(tx: WriteTransaction, ids: string[]): Promise<void> {
  await tx.run('UNWIND $ids AS id MATCH (e:Entity {id: id}) DETACH DELETE e', { ids });
}

/**
 * BELONGS_TO edges: for new entities (`replace` false) it is created; for changed ones the old
 * edge is deleted first. Runs after every entity of the document is written.
 */
export async function writeBelongsTo(tx: WriteTransaction, rows: EntityRow[], replace: boolean): Promise<void> {
  if (!replace) {
    await tx.run(
      `UNWIND $rows AS row
       MATCH (e:Entity {id: row.id}), (c:Entity {id: row.belongsTo})
       CREATE (e)-[:BELONGS_TO]->(c)`,
      { rows: rows.filter((r) => r.belongsTo !== null) },
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
    { rows },
  );
}

/**
 * Facts not stored yet, all of one type, with their SUBJECT, OBJECT, direct edge, IN_DOMAIN
 * links, their one claim (this source's) and its evidence.
 */
export async function createFacts(tx: WriteTransaction, type: string, sourceId: string, rows: NewFactRow[]): Promise<void> {
  checkProperties(FACT_PROPERTIES, rows.map((r) => r.props));
  checkProperties(CLAIM_PROPERTIES, rows.map((r) => r.claim.props));
  checkProperties(EVIDENCE_PROPERTIES, rows.flatMap((r) => r.evidence.map((e) => e.props)));
  await tx.run(
    `MATCH (src:Source {id: $sourceId})
     UNWIND $rows AS row
     MATCH (s:Entity {id: row.subject}), (o:Entity {id: row.object})
     CREATE (f:Fact {id: row.id, ${propertyMap(FACT_PROPERTIES, 'row.props')}, ${FACT_DATES}})
     CREATE (f)-[:SUBJECT]->(s), (f)-[:OBJECT]->(o),
            (s)-[:${relType(type)} {factId: row.id, ${EDGE_PROPERTIES}}]->(o),
            (f)-[:CLAIMED_IN]->(:Claim {fact: row.id, ${propertyMap(CLAIM_PROPERTIES, 'row.claim.props')}})
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
    { sourceId, rows },
  );
}

/**
 * Stored facts whose derived view changed, all of one type (type, subject, object and role make
 * the id, so they cannot change): the Fact, its direct edge and its IN_DOMAIN links.
 */
export async function updateFacts(tx: WriteTransaction, type: string, rows: FactRow[]): Promise<void> {
  await tx.run(
    `UNWIND $rows AS row
     MATCH (f:Fact {id: row.id})
     SET f += row.props, f += {${FACT_DATES}}
     WITH f, row
     CALL (f, row) {
       MATCH ()-[r:${relType(type)} {factId: f.id}]->()
       SET r += {${EDGE_PROPERTIES}}
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
    { rows },
  );
}

/** New claims of facts already stored. */
export async function createClaims(tx: WriteTransaction, rows: ClaimRow[]): Promise<void> {
  checkProperties(CLAIM_PROPERTIES, rows.map((r) => r.props));
  await tx.run(
    `UNWIND $rows AS row
     MATCH (f:Fact {id: row.fact})
     CREATE (f)-[:CLAIMED_IN]->(:Claim {fact: row.fact, ${propertyMap(CLAIM_PROPERTIES, 'row.props')}})`,
    { rows },
  );
}

export async function updateClaims(tx: WriteTransaction, rows: ClaimRow[]): Promise<void> {
  await tx.run(
    `UNWIND $rows AS row
     MATCH (:Fact {id: row.fact})-[:CLAIMED_IN]->(c:Claim {source: row.source})
     SET c += row.props`,
    { rows },
  );
}

export async function removeClaims(tx: WriteTransaction, rows: Array<{ fact: string; source: string }>): Promise<void> {
  await tx.run(
    `UNWIND $rows AS row
     MATCH (:Fact {id: row.fact})-[:CLAIMED_IN]->(c:Claim {source: row.source})
     DETACH DELETE c`,
    { rows },
  );
}

/** New evidence for facts that were already stored. */
export async function createEvidence(tx: WriteTransaction, sourceId: string, rows: EvidenceRow[]): Promise<void> {
  checkProperties(EVIDENCE_PROPERTIES, rows.map((r) => r.props));
  await tx.run(
    `MATCH (src:Source {id: $sourceId})
     UNWIND $rows AS row
     MATCH (f:Fact {id: row.fact})
     CREATE (f)-[:EVIDENCED_BY]->(:Evidence {id: row.id, ${propertyMap(EVIDENCE_PROPERTIES, 'row.props')}})-[:FROM_SOURCE]->(src)`,
    { sourceId, rows },
  );
}

/** Stored evidence whose properties changed (same fact, source and offsets). */
export async function updateEvidence(tx: WriteTransaction, rows: EvidenceRow[]): Promise<void> {
  await tx.run('UNWIND $rows AS row MATCH (e:Evidence {id: row.id}) SET e += row.props', { rows });
}

/** The source's evidence its document no longer gives. */
export async function removeEvidence(tx: WriteTransaction, ids: string[]): Promise<void> {
  await tx.run('UNWIND $ids AS id MATCH (e:Evidence {id: id}) DETACH DELETE e', { ids });
}

/** Facts of one type that no source states any more: the Fact, its direct edge, its claims. */
export async function removeFacts(tx: WriteTransaction, type: string, ids: string[]): Promise<void> {
  await tx.run(
    `UNWIND $ids AS id
     MATCH (f:Fact {id: id})
     CALL (f) {
       MATCH ()-[r:${relType(type)} {factId: f.id}]->()
       DELETE r
     }
     CALL (f) {
       OPTIONAL MATCH (f)-[:CLAIMED_IN|EVIDENCED_BY]->(x)
       DETACH DELETE x
     }
     DETACH DELETE f`,
    { ids },
  );
}

export const KNOWN_ENTITIES = `
  UNWIND $ids AS id
  MATCH (n:Entity {id: id})
  RETURN n.id AS id, n.kind AS kind, coalesce(n.definitions, []) AS definitions`;

/** The stored entities among `ids`, with each source's kind and owner, for crossCheck() (src/ingest/validate.ts). */
export async function knownEntities(db: Db, ids: string[]): Promise<Map<string, KnownEntity>> {
  const rows = await db.read(KNOWN_ENTITIES, { ids });
  return new Map(
    rows.map((row) => {
      const definitions = (row.definitions as string[]).map((d) => JSON.parse(d) as EntityDefinition);
      return [row.id as string, { id: row.id as string, definitions: definitions.map((d) => ({ source: d.source, kind: d.kind, belongsTo: d.belongsTo })) }];
    }),
  );
}

export const ENTITY_NAMES = `
  MATCH (n:Entity)
  RETURN n.id AS id, n.kind AS kind, n.name AS name, coalesce(n.aliases, []) + coalesce(n.referenceAliases, []) AS aliases,
         n.wikidata AS wikidata, n.iso3166 AS iso3166`;

/** Every stored entity's names and reference ids, for resolveEntities() (src/ingest/resolve.ts): a scan, for the CLI. */
export async function entityNames(db: Db): Promise<StoredName[]> {
  return (await db.read(ENTITY_NAMES, {}, 120_000)) as unknown as StoredName[];
}
