/**
 * One Cypher query per root field: each returns the answer's records with, under COMPILED,
 * everything the selection asks for below them, so that nothing below the root goes back to
 * Neo4j. The root resolvers (src/resolvers/) check arguments first, then run these, and shape
 * the rows as they shape the uncompiled path's (the same functions).
 */
import type { FieldNode } from 'graphql';
import { ENTITY_KINDS } from '../../ontology';
import { ACTOR_KINDS, GROUP_KINDS, PATH_TYPES, networkLinksOf, partnerLinksOf, rankedPartnersOf, type LinkRow, type NetworkRow, type PartnerKey, type RankedPartnerRow } from '../analysis';
import type { Db } from '../executor';
import { anyFact, type FactFilter } from '../filters';
import { entityProjection, factProjection, sourceProjection, type EntityRecord, type EvidenceRecord, type FactColumn, type FactRecord, type SourceRecord } from '../records';
import type { EvidenceHitRecord } from '../facts';
import { EVIDENCE_FULLTEXT_INDEX, FULLTEXT_INDEX } from '../schema';
import { entityMap, entityMapApart } from './entity';
import { evidenceMap, factMap } from './fact';
import { COMPILED, QueryBuilder, readSpread, spreadLists, spreadOf, unwindDistinct, type CompiledQuery } from './query';
import { asks, asksOnly, childPosition, fieldsOn, runtimeTypes, selectsNoVariables, type Position } from './selection';
import { sourceMap } from './source';

/** Objects as compiled: a record, with its nested answers under COMPILED. */
export type Compiled<T> = T & { [COMPILED]?: Record<string, unknown> };

function entityOrRecord(q: QueryBuilder, v: string, position: Position | null, also: ReadonlyArray<keyof EntityRecord> = []): string {
  return position ? entityMap(q, v, position, also) : entityProjection(v);
}

/** What ranking a search hit reads (exactMatcher in ../entities.ts). */
const SEARCHED: ReadonlyArray<keyof EntityRecord> = ['name', 'aliases', 'referenceAliases'];

function merged(a: Position | null, b: Position | null): Position | null {
  if (!a || !b) return a ?? b;
  return { ...a, nodes: [...a.nodes, ...b.nodes.filter((node) => !a.nodes.includes(node))] };
}

/** The response keys of the fields named `name` on the (object-typed) position. */
function keysOf(position: Position | null, name: string): string[] {
  if (!position) return [];
  return runtimeTypes(position).flatMap((type) => fieldsOn(position, type).filter((f) => f.name === name).map((f) => f.key));
}

// ---------------------------------------------------------------- entity, country

export function compileEntity(position: Position, id: string): CompiledQuery {
  return reusable(position, '', { id }, (q, own) => `MATCH (n:Entity {id: ${own.id}})\n${rootEntity(q, position)}`);
}

export function compileCountry(position: Position, code: string): CompiledQuery {
  return reusable(position, '', { code }, (q, own) => `MATCH (n:Entity:Country {iso3166: ${own.code}})\nWITH n LIMIT 1\n${rootEntity(q, position)}`);
}

/** Queries built by reusable(), by the root field's node, then by their shape. */
const byRootNode = new WeakMap<FieldNode, Map<string, CompiledQuery>>();
/** Shapes kept per root field node: a bound on what one document's requests can make it keep. */
const SHAPES_PER_NODE = 16;

/**
 * A root query built once per document and `shape`, then reused with each request's `values`.
 * `build` gets each value as a parameter of its own (QueryBuilder.own), which a later request
 * replaces; everything else it reads must be named by `shape`, which keys the query beside the
 * root field's node. Kept only when nothing below the field names a variable
 * (selectsNoVariables): then the selection's part of the query is the same for every request
 * of the document. The nodes are those of the parsed document Apollo keeps, so an entry lives
 * as long as that document. Building a query from its selection took about a fifth of the
 * server's CPU on an entity(id) at medium scale.
 */
function reusable<V extends Record<string, unknown>>(position: Position, shape: string, values: V, build: (q: QueryBuilder, own: Record<keyof V, string>) => string): CompiledQuery {
  const node = position.nodes.length === 1 ? position.nodes[0] : undefined;
  const shapes = node !== undefined && selectsNoVariables(node, position.request.fragments) ? (byRootNode.get(node) ?? new Map<string, CompiledQuery>()) : undefined;
  const known = shapes?.get(shape);
  if (known) return { cypher: known.cypher, params: { ...known.params, ...values } };
  const q = new QueryBuilder();
  const own = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, q.own(name, value)])) as Record<keyof V, string>;
  const compiled = { cypher: build(q, own), params: q.params };
  if (node !== undefined && shapes !== undefined) {
    if (shapes.size >= SHAPES_PER_NODE) shapes.delete(shapes.keys().next().value as string);
    shapes.set(shape, compiled);
    byRootNode.set(node, shapes);
  }
  return { cypher: compiled.cypher, params: { ...compiled.params } };
}

/**
 * The entity `n` as the root's answer: its map, and its list-valued fields through
 * spreadLists() under the names `list0`, `list1`, ...; in one map when its selection differs
 * by kind. The head record's `keys` names each list's response key.
 */
function rootEntity(q: QueryBuilder, position: Position): string {
  const apart = entityMapApart(q, 'n', position) ?? { map: entityMap(q, 'n', position), lists: [] };
  const names = apart.lists.map((_, i) => `list${i}`);
  return `WITH ${[`${apart.map} AS entity`, `${q.param(apart.lists.map(([key]) => key))} AS keys`, ...apart.lists.map(([, expr], i) => `${expr} AS ${names[i]}`)].join(',\n  ')}
${spreadLists(q, ['entity', 'keys'], names)}`;
}

/** The entity of compileEntity() or compileCountry(), its lists back under their response keys; null when there is none. */
export async function readEntity(db: Db, compiled: CompiledQuery): Promise<Compiled<EntityRecord> | null> {
  const records = await db.read(compiled.cypher, compiled.params);
  const keys = (records.find((r) => r.list === -1)?.keys ?? []) as string[];
  const { head, lists } = spreadOf(records, keys.map((_, i) => `list${i}`));
  const entity = (head.entity as Compiled<EntityRecord> | undefined) ?? null;
  if (!entity || keys.length === 0) return entity;
  const nested = { ...((entity as unknown as Record<string, unknown>)[COMPILED] as Record<string, unknown> | undefined) };
  keys.forEach((key, i) => (nested[key] = lists[`list${i}`]));
  return { ...entity, [COMPILED]: nested };
}

// ---------------------------------------------------------------- pages

/**
 * node(id): the entity, the fact or the source with that id (an index seek on each label; ids
 * are unique across them), each as a map of what the selection asks of its type.
 */
export function compileNode(position: Position, id: string): CompiledQuery {
  const q = new QueryBuilder();
  const as = (name: string): Position => ({ ...position, type: position.request.schema.getType(name) as Position['type'] });
  const [n, f, s, p] = [q.variable('n'), q.variable('f'), q.variable('s'), q.param(id)];
  const cypher = `RETURN COLLECT { MATCH (${n}:Entity {id: ${p}}) RETURN ${entityMap(q, n, as('Entity'))} }[0] AS entity,
  COLLECT { MATCH (${f}:Fact {id: ${p}}) RETURN ${factMap(q, f, as('Fact'))} }[0] AS fact,
  COLLECT { MATCH (${s}:Source {id: ${p}}) RETURN ${sourceMap(q, s, as('Source'))} }[0] AS source`;
  return { cypher, params: q.params };
}

export async function readNode(
  db: Db,
  compiled: CompiledQuery,
): Promise<{ entity: Compiled<EntityRecord> | null; fact: Compiled<FactRecord> | null; source: Compiled<SourceRecord> | null }> {
  const [row] = await db.read(compiled.cypher, compiled.params);
  return { entity: (row?.entity ?? null) as never, fact: (row?.fact ?? null) as never, source: (row?.source ?? null) as never };
}

export interface CompiledPage<T> {
  /** One more than the page size when there is a next page. */
  rows: Array<Compiled<T>>;
  /** The number in all pages, when totalCount is asked for. */
  total: number | null;
}

/** A page of entities in id order after `after` ('' for the first), as ENTITY_PAGE / ENTITY_PAGE_OF_KIND, and their count when asked. */
export function compileEntityPage(position: Position, kind: string | null, after: string, limit: number): CompiledQuery {
  const q = new QueryBuilder();
  const node = childPosition(position, 'edges');
  const map = entityOrRecord(q, 'n', node && childPosition(node, 'node'));
  if (kind !== null && !(ENTITY_KINDS as readonly string[]).includes(kind)) throw new Error(`Not an entity kind: ${kind}`);
  const total = keysOf(position, 'totalCount').length > 0 ? `\nCALL () { MATCH (c:${kind ?? 'Entity'}) RETURN count(c) AS total }` : '\nWITH page, null AS total';
  const cypher = `MATCH (n:Entity) WHERE ${kind === null ? '' : `n.kind = ${q.param(kind)} AND `}n.id > ${q.param(after)}
WITH n ORDER BY n.id LIMIT ${q.param(limit)}
WITH collect(${map}) AS page${total}
${spreadLists(q, ['total'], PAGE_LISTS)}`;
  return { cypher, params: q.params };
}

/** A page of sources by id, as SOURCE_PAGE (the first page: after null), and their count when asked. */
export function compileSourcePage(position: Position, after: string | null, limit: number): CompiledQuery {
  const q = new QueryBuilder();
  const edges = childPosition(position, 'edges');
  const node = edges && childPosition(edges, 'node');
  const map = node ? sourceMap(q, 's', node) : sourceProjection('s');
  const total = keysOf(position, 'totalCount').length > 0 ? '\nCALL () { MATCH (c:Source) RETURN count(c) AS total }' : '\nWITH page, null AS total';
  const cypher = `MATCH (s:Source) WHERE s.id > ${q.param(after ?? '')}
WITH s ORDER BY s.id LIMIT ${q.param(limit)}
WITH collect(${map}) AS page${total}
${spreadLists(q, ['total'], PAGE_LISTS)}`;
  return { cypher, params: q.params };
}

const PAGE_LISTS = ['page'] as const;

export async function readPage<T>(db: Db, compiled: CompiledQuery): Promise<CompiledPage<T>> {
  const { head, lists } = await readSpread(db, compiled, PAGE_LISTS);
  return { rows: lists.page as Array<Compiled<T>>, total: (head.total as number | null | undefined) ?? null };
}

// ---------------------------------------------------------------- search

export interface SearchQuery {
  /** The Lucene query (luceneQuery()), or null when the text has no words to search. */
  lucene: string | null;
  /** Subtypes the text names (subtypesNamed()). */
  named: string[];
  kinds: string[] | null;
  subtypes: string[] | null;
  first: number;
}

/** SEARCH and SEARCH_BY_SUBTYPE in one query, each hit's entity with what the selection asks of it. */
export function compileSearch(position: Position, search: SearchQuery): CompiledQuery {
  const values = {
    lucene: search.lucene,
    candidates: Math.max(search.first * 10, 100),
    pool: Math.max(search.first * 5, 50),
    named: search.named,
    kinds: search.kinds,
    subtypes: search.subtypes,
    first: search.first,
  };
  return reusable(position, JSON.stringify([search.lucene === null, search.named.length === 0]), values, (q, own) => {
    const entity = childPosition(position, 'entity');
    const filter = (n: string) => `(${own.kinds} IS NULL OR ${n}.kind IN ${own.kinds}) AND (${own.subtypes} IS NULL OR ${n}.subtype IN ${own.subtypes})`;
    const hits =
      search.lucene === null
        ? 'WITH [] AS hits'
        : `CALL () {
  CALL db.index.fulltext.queryNodes('${FULLTEXT_INDEX}', ${own.lucene}, {limit: ${own.candidates}})
  YIELD node AS n, score
  WHERE ${filter('n')}
  WITH n, score ORDER BY score DESC, n.id LIMIT ${own.pool}
  RETURN collect({ entity: ${entityOrRecord(q, 'n', entity, SEARCHED)}, score: score }) AS hits
}`;
    const bySubtype =
      search.named.length === 0
        ? 'WITH hits, [] AS bySubtype'
        : `CALL () {
  MATCH (m:Entity) WHERE m.subtype IN ${own.named} AND ${filter('m')}
  WITH m ORDER BY m.id LIMIT ${own.first}
  RETURN collect(${entityOrRecord(q, 'm', entity, SEARCHED)}) AS bySubtype
}`;
    return `${hits}\n${bySubtype}\n${spreadLists(q, [], SEARCH_LISTS)}`;
  });
}

const SEARCH_LISTS = ['hits', 'bySubtype'] as const;

export async function readSearch(db: Db, compiled: CompiledQuery): Promise<{ hits: Array<{ entity: Compiled<EntityRecord>; score: number }>; bySubtype: Array<Compiled<EntityRecord>> }> {
  const { lists } = await readSpread(db, compiled, SEARCH_LISTS);
  return { hits: lists.hits as never, bySubtype: lists.bySubtype as never };
}

/** SEARCH_EVIDENCE, each passage with its source and facts as the selection asks. */
export function compileSearchEvidence(position: Position, lucene: string, first: number): CompiledQuery {
  const q = new QueryBuilder();
  const source = childPosition(position, 'source');
  const facts = childPosition(position, 'facts');
  const cypher = `CALL db.index.fulltext.queryNodes('${EVIDENCE_FULLTEXT_INDEX}', ${q.param(lucene)}, {limit: ${q.param(Math.min(first * 20, 2000))}})
YIELD node AS e, score
MATCH (f:Fact)-[:EVIDENCED_BY]->(e)-[:FROM_SOURCE]->(s:Source)
WITH s, e.start AS start, e.end AS end, e.quote AS quote, max(score) AS score,
     collect(e { .id, .quote, .start, .end, fact: f.id, source: s.id }) AS evidence
WITH s, start, end, quote, score, evidence ORDER BY score DESC, s.id, start LIMIT ${q.param(first)}
RETURN s.id AS source, start, end, quote, score, evidence,
  ${source ? sourceMap(q, 's', source) : 'null'} AS sourceRecord,
  ${facts ? `COLLECT { ${unwindDistinct('[item IN evidence | item.fact]', 'id')} WITH id ORDER BY id MATCH (x:Fact {id: id}) RETURN ${factMap(q, 'x', facts)} }` : 'null'} AS facts`;
  return { cypher, params: q.params };
}

export interface CompiledEvidenceHit extends EvidenceHitRecord {
  sourceRecord: Compiled<SourceRecord> | null;
  facts: Array<Compiled<FactRecord>> | null;
}

export async function readSearchEvidence(db: Db, compiled: CompiledQuery): Promise<CompiledEvidenceHit[]> {
  return (await db.read(compiled.cypher, compiled.params)) as unknown as CompiledEvidenceHit[];
}

/** The response keys graphql-js reads `name` under, on the objects at the position. */
export function responseKeys(position: Position, name: string): string[] {
  return keysOf(position, name);
}

// ---------------------------------------------------------------- timeline

/** DATED_FACTS_OF_ENTITY (or DATED_FACTS), with whether the entity exists, each fact as the selection asks. */
export function compileTimeline(position: Position, entity: string | null, status: readonly string[]): CompiledQuery {
  const q = new QueryBuilder();
  const fact = childPosition(position, 'fact');
  // timelineEntries() reads each fact's dates.
  const map = fact ? factMap(q, 'f', fact, undefined, ['start', 'end']) : factProjection('f');
  const dated = `f.status IN ${q.param(status)} AND (f.startValue IS NOT NULL OR f.endValue IS NOT NULL)`;
  const cypher =
    entity === null
      ? `WITH true AS found, COLLECT { MATCH (f:Fact) WHERE ${dated} RETURN ${map} } AS facts`
      : `OPTIONAL MATCH (x:Entity {id: ${q.param(entity)}})
WITH x IS NOT NULL AS found, COLLECT { MATCH (x)<-[:SUBJECT|OBJECT]-(f:Fact) WITH DISTINCT f WHERE ${dated} RETURN ${map} } AS facts`;
  return { cypher: `${cypher}\n${spreadLists(q, ['found'], TIMELINE_LISTS)}`, params: q.params };
}

const TIMELINE_LISTS = ['facts'] as const;

export async function readTimeline(db: Db, compiled: CompiledQuery): Promise<{ found: boolean; facts: Array<Compiled<FactRecord>> }> {
  const { head, lists } = await readSpread(db, compiled, TIMELINE_LISTS);
  return { found: head.found === true, facts: lists.facts as never };
}

// ---------------------------------------------------------------- connections

/**
 * CONNECTIONS at `hops`, with whether both ends exist, each path's entities and facts as the
 * selection asks for a hop's ends and fact. With from = to there is no path to look for.
 */
export function compileConnections(position: Position, from: string, to: string, hops: number, filter: FactFilter, limit = 25): CompiledQuery {
  if (!Number.isInteger(hops) || hops < 1 || hops > 6) throw new Error(`maxHops out of range: ${hops}`);
  return reusable(position, JSON.stringify([from === to, hops, filter]), { from, to, limit }, (q, own) => {
    const hop = childPosition(position, 'hops');
    const ends = hop && merged(childPosition(hop, 'from'), childPosition(hop, 'to'));
    const fact = hop && childPosition(hop, 'fact');
    // A hop's fact, when more than its id is asked: its id alone is the direct edge's factId (and
    // the fact exists while the edge does), which readConnections() makes the fact of.
    const factOfHop = fact && !asksOnly(fact, ['id']) ? `,\n      fact: COLLECT { MATCH (x:Fact {id: r.factId}) RETURN ${factMap(q, 'x', fact)} }[0]` : '';
    const paths =
      from === to
        ? 'WITH a, b, [] AS paths'
        : `CALL (a, b) {
  MATCH p = allShortestPaths((a)-[:${PATH_TYPES}*1..${hops}]-(b))
  WHERE all(r IN relationships(p) WHERE type(r) = 'BELONGS_TO' OR ${q.predicate('r', filter)})
  WITH p LIMIT ${own.limit}
  RETURN collect({
    nodes: [n IN nodes(p) | ${ends ? entityMap(q, 'n', ends) : '{ id: n.id }'}],
    rels: [r IN relationships(p) | { type: type(r), factId: r.factId, from: startNode(r).id, to: endNode(r).id${factOfHop} }] }) AS paths
}`;
    return `OPTIONAL MATCH (a:Entity {id: ${own.from}})
OPTIONAL MATCH (b:Entity {id: ${own.to}})
${paths}
WITH a IS NOT NULL AS fromFound, b IS NOT NULL AS toFound, paths
${spreadLists(q, ['fromFound', 'toFound'], CONNECTIONS_LISTS)}`;
  });
}

const CONNECTIONS_LISTS = ['paths'] as const;

export interface CompiledPath {
  nodes: Array<Compiled<EntityRecord>>;
  rels: Array<{ type: string; factId: string | null; from: string; to: string; fact: Compiled<FactRecord> | null }>;
}

export async function readConnections(db: Db, compiled: CompiledQuery): Promise<{ fromFound: boolean; toFound: boolean; paths: CompiledPath[] }> {
  const { head, lists } = await readSpread(db, compiled, CONNECTIONS_LISTS);
  const paths = lists.paths as CompiledPath[];
  // A hop whose fact the query did not read (no `fact` key, so undefined): its id is all that is asked of it, or nothing is.
  for (const path of paths) for (const rel of path.rels) if (rel.fact === undefined) rel.fact = rel.factId === null ? null : ({ id: rel.factId } as Compiled<FactRecord>);
  return { fromFound: head.fromFound === true, toFound: head.toFound === true, paths };
}

// ---------------------------------------------------------------- partners

/** What a selection of partnerships (at `position`, or nothing) asks of their ends, facts and evidence. */
interface PartnershipSelection {
  /** The partners and the links' shared entities, merged. */
  ends: Position | null;
  /** A link's facts. */
  facts: Position | null;
  /** A partnership's evidence. */
  evidence: Position | null;
  /** What the partnership's own fields read of its facts. */
  reads: FactColumn[];
}

function partnershipSelection(position: Position | null): PartnershipSelection {
  if (!position) return { ends: null, facts: null, evidence: null, reads: [] };
  const links = childPosition(position, 'links');
  const reads: Record<string, readonly FactColumn[]> = { domains: ['domains'], statuses: ['status'], since: ['start', 'inForceFrom'], inForceFrom: ['start', 'inForceFrom'] };
  return {
    ends: merged(childPosition(position, 'partner'), links && childPosition(links, 'through')),
    facts: links && childPosition(links, 'facts'),
    evidence: childPosition(position, 'evidence'),
    reads: [...new Set(Object.entries(reads).flatMap(([name, columns]) => (asks(position, name) ? columns : [])))],
  };
}

/**
 * The entity `of` as `x`, and a subquery over its links (partnerLinksOf, with the filter as
 * compiled predicates) that `rest` continues; no links are looked for when `x` is missing or of
 * a kind that has no partners.
 */
function partnersSubquery(q: QueryBuilder, of: string, filter: FactFilter, rest: string): string {
  const actorKinds = q.param(ACTOR_KINDS);
  return `OPTIONAL MATCH (x:Entity {id: ${q.param(of)}})
CALL (x) {
  WITH x WHERE x.kind IN ${actorKinds}
  ${partnerLinksOf('x', (v) => q.predicate(v, filter), actorKinds, q.param(GROUP_KINDS))}
  ${rest}
}`;
}

/**
 * The `facts` and `evidence` entries of a partners answer: the facts whose ids the list `ids`
 * holds, with what a link's facts ask and the partnership reads, and their evidence as the
 * partnership asks, in fact order.
 */
function linkFacts(q: QueryBuilder, ids: string, selection: PartnershipSelection, filter: FactFilter): string {
  const [f, e, s] = [q.variable('f'), q.variable('ev'), q.variable('s')];
  const factList = `COLLECT { UNWIND ${ids} AS id MATCH (${f}:Fact {id: id}) RETURN ${factMap(q, f, selection.facts, { knownOn: filter.knownOn, via: null }, selection.reads)} } AS facts`;
  const evidenceList = selection.evidence
    ? `COLLECT { UNWIND ${ids} AS id MATCH (:Fact {id: id})-[:EVIDENCED_BY]->(${e}:Evidence)-[:FROM_SOURCE]->(${s}:Source) WITH id, ${e}, ${s} ORDER BY id, ${s}.publishedLatest, ${e}.start
    RETURN ${evidenceMap(q, e, 'id', s, selection.evidence)} }`
    : '[]';
  return `${factList},
  ${evidenceList} AS evidence`;
}

/** What both partners answers hold besides their links: the kind of `of`, and the entities, facts and evidence they name. */
export interface CompiledPartnerParts {
  /** The kind of the entity `of` names, or null when it names none. */
  kind: string | null;
  entities: Array<Compiled<EntityRecord>>;
  facts: Array<Compiled<FactRecord>>;
  evidence: Array<Compiled<EvidenceRecord>>;
}

function partnerParts(row: Record<string, unknown> | undefined): CompiledPartnerParts {
  return {
    kind: (row?.kind as string | null | undefined) ?? null,
    entities: (row?.entities ?? []) as never,
    facts: (row?.facts ?? []) as never,
    evidence: (row?.evidence ?? []) as never,
  };
}

/**
 * PARTNERS for `of`, with the entity's kind (null when there is none), the distinct link rows,
 * and, as the selection asks: the partners and shared entities, the links' facts (with what a
 * partnership reads of them: status, domains, start and in-force day) and their evidence. The
 * rows are grouped into partnerships by the resolver (groupPartnerships), as on the uncompiled path.
 */
export function compilePartners(position: Position, of: string, filter: FactFilter): CompiledQuery {
  const q = new QueryBuilder();
  const selection = partnershipSelection(position);
  const links = `WITH DISTINCT partner, kind, z, factIds
  RETURN collect({ partner: partner.id, kind: kind, through: z.id, factIds: factIds }) AS rows, collect(DISTINCT partner) + collect(DISTINCT z) AS ends`;
  const cypher = `${partnersSubquery(q, of, filter, links)}
WITH x, rows, ends, COLLECT { UNWIND rows AS row UNWIND row.factIds AS id RETURN DISTINCT id } AS ids
WITH x.kind AS kind, rows,
  ${selection.ends ? `COLLECT { ${unwindDistinct('ends', 'n')} RETURN ${entityMap(q, 'n', selection.ends)} }` : '[]'} AS entities,
  ${linkFacts(q, 'ids', selection, filter)}
${spreadLists(q, ['kind'], PARTNERS_LISTS)}`;
  return { cypher, params: q.params };
}

const PARTNERS_LISTS = ['rows', 'entities', 'facts', 'evidence'] as const;

export interface CompiledPartners extends CompiledPartnerParts {
  rows: LinkRow[];
}

export async function readPartners(db: Db, compiled: CompiledQuery): Promise<CompiledPartners> {
  const { head, lists } = await readSpread(db, compiled, PARTNERS_LISTS);
  return { ...partnerParts({ ...head, ...lists }), rows: lists.rows as LinkRow[] };
}

/**
 * PARTNER_PAGE for `of` (`position`: the partnerships asked for as the page's nodes, or null
 * when none are), with the entity's kind, the number of partners in all pages, and, as the
 * selection asks: the page's partners, the shared entities of the links shown (the first
 * `linksFirst` of each), the facts of all their links (a partnership's domains, statuses and
 * since cover them all) and those facts' evidence.
 */
export function compilePartnerPage(position: Position | null, of: string, filter: FactFilter, after: PartnerKey | null, limit: number, linksFirst: number): CompiledQuery {
  const q = new QueryBuilder();
  const selection = partnershipSelection(position);
  const page = `${rankedPartnersOf(q.param(after))}
  RETURN total, [p IN rest[0..${q.param(limit)}] | { partner: p.partner.id, links: p.links }] AS page`;
  const n = q.variable('n');
  const cypher = `${partnersSubquery(q, of, filter, page)}
WITH x, total, page, COLLECT { UNWIND page AS p UNWIND p.links AS l UNWIND l.factIds AS id RETURN DISTINCT id } AS ids
WITH x.kind AS kind, coalesce(total, 0) AS total, page,
  ${
    selection.ends
      ? `COLLECT { ${unwindDistinct(`[p IN page | p.partner] + COLLECT { UNWIND page AS p UNWIND p.links[0..${q.param(linksFirst)}] AS l RETURN l.through AS id }`, 'id')}
    WITH id WHERE id IS NOT NULL MATCH (${n}:Entity {id: id}) RETURN ${entityMap(q, n, selection.ends)} }`
      : '[]'
  } AS entities,
  ${linkFacts(q, 'ids', selection, filter)}
${spreadLists(q, ['kind', 'total'], PARTNER_PAGE_LISTS)}`;
  return { cypher, params: q.params };
}

const PARTNER_PAGE_LISTS = ['page', 'entities', 'facts', 'evidence'] as const;

export interface CompiledPartnerPage extends CompiledPartnerParts {
  total: number;
  page: RankedPartnerRow[];
}

export async function readPartnerPage(db: Db, compiled: CompiledQuery): Promise<CompiledPartnerPage> {
  const { head, lists } = await readSpread(db, compiled, PARTNER_PAGE_LISTS);
  return { ...partnerParts({ ...head, ...lists }), total: (head.total as number | undefined) ?? 0, page: lists.page as RankedPartnerRow[] };
}

/** What partnerCounts reads of a fact: what passes() and tallyOf() test. */
const COUNTED: readonly FactColumn[] = ['status', 'domains', 'start', 'end', 'inForceFrom', 'inForceUntil'];

/**
 * Every possible link of `of` (PARTNERS with no filter: any status, date or domain) as rows of
 * `partner` and `factIds`, with the entity's kind (null when there is none) and the links'
 * facts as partnerCounts tests them (with their claims for knownOn): the resolver applies the
 * filter to them, as uncompiled.
 */
export function compilePartnerCounts(of: string, knownOn: string | null): CompiledQuery {
  const q = new QueryBuilder();
  const links = `WITH DISTINCT partner, factIds
  RETURN collect({ partner: partner.id, factIds: factIds }) AS rows`;
  const f = q.variable('f');
  const cypher = `${partnersSubquery(q, of, anyFact(), links)}
WITH x, rows, COLLECT { UNWIND rows AS row UNWIND row.factIds AS id RETURN DISTINCT id } AS ids
WITH x.kind AS kind, rows,
  COLLECT { UNWIND ids AS id MATCH (${f}:Fact {id: id}) RETURN ${factMap(q, f, null, { knownOn, via: null }, COUNTED)} } AS facts
${spreadLists(q, ['kind'], PARTNER_COUNTS_LISTS)}`;
  return { cypher, params: q.params };
}

export interface CompiledPartnerCounts extends Pick<CompiledPartnerParts, 'kind' | 'facts'> {
  rows: Array<Pick<LinkRow, 'partner' | 'factIds'>>;
}

const PARTNER_COUNTS_LISTS = ['rows', 'facts'] as const;

export async function readPartnerCounts(db: Db, compiled: CompiledQuery): Promise<CompiledPartnerCounts> {
  const { head, lists } = await readSpread(db, compiled, PARTNER_COUNTS_LISTS);
  const { kind, facts } = partnerParts({ ...head, ...lists });
  return { kind, facts, rows: lists.rows as never };
}

// ---------------------------------------------------------------- cooperationNetwork

/**
 * networkLinksOf() for the node kinds `kinds`, with the filter as compiled predicates, its rows
 * as `rows`, and as the selection asks: the entities of the nodes and of the edges' shared
 * entities (all of them when either is asked), and the edges' direct facts (not when only their
 * ids are asked: the rows hold those). The resolver builds the network from the rows
 * (buildNetwork), as uncompiled.
 */
export function compileNetwork(position: Position, kinds: readonly string[], filter: FactFilter): CompiledQuery {
  const q = new QueryBuilder();
  const nodes = childPosition(position, 'nodes');
  const edges = childPosition(position, 'edges');
  const ends = merged(nodes && childPosition(nodes, 'entity'), edges && childPosition(edges, 'shared'));
  const direct = edges && childPosition(edges, 'direct');
  const facts = direct && !asksOnly(direct, ['id']) ? direct : null;
  const links = networkLinksOf((v) => q.predicate(v, filter), q.param(kinds), q.param(GROUP_KINDS), q.param(kinds.includes('Country')));
  if (!ends && !facts) {
    return { cypher: `CALL () {
  ${links}
}
RETURN x, y, via, ids, null AS entities, null AS facts`, params: q.params };
  }
  const [n, f, named, i, k] = [q.variable('n'), q.variable('f'), q.variable('named'), q.variable('i'), q.variable('k')];
  // The ids the answer names are gathered row by row, in the same aggregation as the rows (each
  // link row kept once, at i = 0): a DISTINCT over the ids of a list of every row would have
  // Neo4j compare that whole list on each id. The rows are then sent one per record, the
  // entities and facts with the first: the driver decodes a record larger than a Bolt chunk
  // string by string across all of its chunks, which made one record of every row cost more
  // than all the rows of the uncompiled query.
  const entityIds = ends ? `[x, y] + CASE WHEN via = 'shared' THEN ids ELSE [] END` : '[]';
  const factIds = facts ? `CASE WHEN via = 'direct' THEN ids ELSE [] END` : '[]';
  const cypher = `CALL () {
  ${links}
}
WITH x, y, via, ids, ${entityIds} + ${factIds} AS ${named}, size(${entityIds}) AS entityCount
UNWIND range(0, CASE WHEN size(${named}) = 0 THEN 0 ELSE size(${named}) - 1 END) AS ${i}
WITH collect(CASE WHEN ${i} = 0 THEN [x, y, via, ids] END) AS rows,
  collect(DISTINCT CASE WHEN ${i} < entityCount THEN ${named}[${i}] END) AS entityIds,
  collect(DISTINCT CASE WHEN ${i} >= entityCount THEN ${named}[${i}] END) AS factIds
WITH rows,
  ${ends ? `COLLECT { UNWIND entityIds AS id MATCH (${n}:Entity {id: id}) RETURN ${entityMap(q, n, ends)} }` : 'null'} AS entities,
  ${facts ? `COLLECT { UNWIND factIds AS id MATCH (${f}:Fact {id: id}) RETURN ${factMap(q, f, facts, { knownOn: filter.knownOn, via: null })} }` : 'null'} AS facts
UNWIND range(0, size(rows) - 1) AS ${k}
RETURN rows[${k}][0] AS x, rows[${k}][1] AS y, rows[${k}][2] AS via, rows[${k}][3] AS ids,
  CASE WHEN ${k} = 0 THEN entities END AS entities, CASE WHEN ${k} = 0 THEN facts END AS facts`;
  return { cypher, params: q.params };
}

export interface CompiledNetwork {
  rows: NetworkRow[];
  /** The entities the network names, or null when none of their fields are asked. */
  entities: Array<Compiled<EntityRecord>> | null;
  /** The direct facts, or null when only their ids are asked (the rows hold them). */
  facts: Array<Compiled<FactRecord>> | null;
}

/** The network's rows, one per record, with its entities and facts on the first (none when there are no links). */
export async function readNetwork(db: Db, compiled: CompiledQuery): Promise<CompiledNetwork> {
  const records = await db.read(compiled.cypher, compiled.params);
  const rows = records.map(({ x, y, via, ids }) => ({ x, y, via, ids }) as NetworkRow);
  return { rows, entities: (records[0]?.entities ?? null) as never, facts: (records[0]?.facts ?? null) as never };
}
