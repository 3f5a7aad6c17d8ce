/**
 * Hand-written queries for the analyst's questions: partners, paths, the network, stats.
 * Each is one round trip; the facts they name are then loaded through the request's DataLoaders.
 *
 * Who counts as linked (the same rule in partners and the network):
 *  - DIRECT: a COOPERATES_WITH, TRAINS_WITH or SUPPORTS fact between the two, either direction;
 *  - SHARED_*: both are involved in the same initiative, organisation or unit, where involved
 *    means MEMBER_OF or PARTICIPATES_IN it, or being supported by it (SUPPORTS, as beneficiary).
 * A body that BELONGS_TO a country (the Belgian Navy) acts for that country when countries are
 * compared. Only Country, Organisation and Unit entities are partners.
 */
import { RELATION_TYPES, type LinkKind } from '../ontology';
import type { Db } from './executor';
import type { FactTallyRow } from './facts';
import { countedViewCypher, factPredicate, filterParams, inForceCypher, type FactFilter } from './filters';

export const DIRECT_TYPES = 'COOPERATES_WITH|TRAINS_WITH|SUPPORTS';
export const INVOLVEMENT_TYPES = 'MEMBER_OF|PARTICIPATES_IN';
export const ACTOR_KINDS: readonly string[] = ['Country', 'Organisation', 'Unit'];
/** What two actors can share: an initiative, organisation or unit (not, say, a country that supports both). */
export const GROUP_KINDS: readonly string[] = ['Initiative', 'Organisation', 'Unit'];

export interface LinkRow {
  partner: string;
  kind: LinkKind;
  through: string | null;
  factIds: string[];
}

/**
 * The links of the entity bound to `x`, as rows of `partner` (the node), `kind`, `z` (the
 * shared entity, null for a direct link) and `factIds`. Starts from the entity (an index seek)
 * and walks at most two hops from it and the bodies that belong to it, so its cost does not grow
 * with the graph. `predicate` is the fact filter on a relationship variable; `actorKinds` and
 * `groupKinds` the parameters holding ACTOR_KINDS and GROUP_KINDS.
 */
export function partnerLinksOf(x: string, predicate: (v: string) => string, actorKinds: string, groupKinds: string): string {
  return `OPTIONAL MATCH (m:Entity)-[:BELONGS_TO]->(${x})
  WITH ${x}, [${x}] + collect(m) AS actors, ${x}.kind = 'Country' AS rollUp
  CALL (${x}, actors, rollUp) {
    UNWIND actors AS a
    MATCH (a)-[r:${DIRECT_TYPES}]-(b:Entity)
    WHERE NOT b IN actors AND ${predicate('r')}
    RETURN b, 'DIRECT' AS kind, null AS z, [r.factId] AS factIds
    UNION ALL
    UNWIND actors AS a
    CALL (a) {
      MATCH (a)-[r1:${INVOLVEMENT_TYPES}]->(z:Entity) RETURN z, r1
      UNION ALL
      MATCH (a)<-[r1:SUPPORTS]-(z:Entity) RETURN z, r1
    }
    WITH actors, z, r1 WHERE z.kind IN ${groupKinds} AND ${predicate('r1')}
    CALL (z) {
      MATCH (b:Entity)-[r2:${INVOLVEMENT_TYPES}]->(z) RETURN b, r2
      UNION ALL
      MATCH (z)-[r2:SUPPORTS]->(b:Entity) RETURN b, r2
    }
    WITH actors, z, r1, b, r2 WHERE NOT b IN actors AND ${predicate('r2')}
    RETURN b, 'SHARED_' + toUpper(z.kind) AS kind, z, [r1.factId, r2.factId] AS factIds
  }
  OPTIONAL MATCH (b)-[:BELONGS_TO]->(owner:Country)
  WITH ${x}, kind, z, factIds, CASE WHEN rollUp AND owner IS NOT NULL THEN owner ELSE b END AS partner
  WHERE partner <> ${x} AND partner.kind IN ${actorKinds}`;
}

/**
 * After partnerLinksOf(): its partners ranked as `partners` ranks them (most distinct links,
 * then id), each with all its links in kind, shared entity and fact order, as `ranked`: a list
 * of { partner (the node), links }. `after` names a parameter holding the last partner of the
 * previous page as { n: its number of links, id }, or null for the first page.
 */
export function rankedPartnersOf(after: string): string {
  return `WITH DISTINCT partner, kind, z, factIds
  WITH partner, kind, z, factIds ORDER BY kind, z.id, factIds
  WITH partner, collect({ kind: kind, through: z.id, factIds: factIds }) AS links
  WITH partner, links ORDER BY size(links) DESC, partner.id
  WITH collect({ partner: partner, links: links }) AS ranked
  WITH size(ranked) AS total, [p IN ranked WHERE ${after} IS NULL OR size(p.links) < ${after}.n OR (size(p.links) = ${after}.n AND p.partner.id > ${after}.id)] AS rest`;
}

/** A page of partners: PARTNERS ranked (rankedPartnersOf), the `$limit` after `$after`, and the number in all pages. */
export const PARTNER_PAGE = `
  MATCH (x:Entity {id: $of})
  ${partnerLinksOf('x', factPredicate, '$actorKinds', '$groupKinds')}
  ${rankedPartnersOf('$after')}
  RETURN total, [p IN rest[0..$limit] | { partner: p.partner.id, links: p.links }] AS page`;

export interface RankedPartnerRow {
  partner: string;
  links: Array<Omit<LinkRow, 'partner'>>;
}

/** The last partner of a page, as the next page starts after it. */
export interface PartnerKey {
  n: number;
  id: string;
}

export async function partnerPage(db: Db, of: string, filter: FactFilter, after: PartnerKey | null, limit: number): Promise<{ total: number; page: RankedPartnerRow[] }> {
  const [row] = await db.read(PARTNER_PAGE, { of, after, limit, actorKinds: ACTOR_KINDS, groupKinds: GROUP_KINDS, ...filterParams(filter) });
  return { total: (row?.total as number | undefined) ?? 0, page: (row?.page as RankedPartnerRow[] | undefined) ?? [] };
}

/** Partners of one entity: partnerLinksOf() with the filter's parameters ($status, ...). */
export const PARTNERS = `
  MATCH (x:Entity {id: $of})
  ${partnerLinksOf('x', factPredicate, '$actorKinds', '$groupKinds')}
  RETURN partner.id AS partner, kind, z.id AS through, factIds`;

export async function partnerLinks(db: Db, of: string, filter: FactFilter): Promise<LinkRow[]> {
  const rows = await db.read(PARTNERS, { of, actorKinds: ACTOR_KINDS, groupKinds: GROUP_KINDS, ...filterParams(filter) });
  return rows as unknown as LinkRow[];
}

/**
 * Every link between pairs of actors of the given kinds, as rows of `x`, `y` (ids, x < y), `via`
 * ('shared' or 'direct') and `ids` (the shared entities' ids, or the direct facts' ids): a scan
 * of the involvement and direct facts, O(facts). `predicate` is the fact filter on a
 * relationship variable; `kinds`, `groupKinds` and `rollUp` the parameters holding the node
 * kinds, GROUP_KINDS and whether bodies count for their country.
 */
export function networkLinksOf(predicate: (v: string) => string, kinds: string, groupKinds: string, rollUp: string): string {
  return `CALL () {
    MATCH (a:Entity)-[r:${INVOLVEMENT_TYPES}]->(z:Entity) WHERE ${predicate('r')}
    RETURN a, z, r.factId AS factId
    UNION ALL
    MATCH (z:Entity)-[r:SUPPORTS]->(a:Entity) WHERE ${predicate('r')}
    RETURN a, z, r.factId AS factId
  }
  OPTIONAL MATCH (a)-[:BELONGS_TO]->(owner:Country)
  WITH z, CASE WHEN ${rollUp} AND owner IS NOT NULL THEN owner ELSE a END AS actor
  WHERE actor.kind IN ${kinds} AND actor <> z AND z.kind IN ${groupKinds}
  WITH z, collect(DISTINCT actor.id) AS actors
  WHERE size(actors) > 1
  UNWIND actors AS x
  UNWIND actors AS y
  WITH z, x, y WHERE x < y
  RETURN x, y, 'shared' AS via, collect(DISTINCT z.id) AS ids
  UNION ALL
  MATCH (a:Entity)-[r:${DIRECT_TYPES}]->(b:Entity) WHERE ${predicate('r')}
  OPTIONAL MATCH (a)-[:BELONGS_TO]->(ao:Country)
  OPTIONAL MATCH (b)-[:BELONGS_TO]->(bo:Country)
  WITH r, CASE WHEN ${rollUp} AND ao IS NOT NULL THEN ao ELSE a END AS p,
          CASE WHEN ${rollUp} AND bo IS NOT NULL THEN bo ELSE b END AS q
  WHERE p <> q AND p.kind IN ${kinds} AND q.kind IN ${kinds}
  WITH CASE WHEN p.id < q.id THEN p.id ELSE q.id END AS x, CASE WHEN p.id < q.id THEN q.id ELSE p.id END AS y, r
  RETURN x, y, 'direct' AS via, collect(DISTINCT r.factId) AS ids`;
}

/** The network's links: networkLinksOf() with the filter's parameters ($status, ...). */
export const NETWORK_LINKS = `
  ${networkLinksOf(factPredicate, '$kinds', '$groupKinds', '$rollUp')}`;

export interface NetworkRow {
  x: string;
  y: string;
  via: 'shared' | 'direct';
  ids: string[];
}

export async function networkLinks(db: Db, kinds: string[], filter: FactFilter): Promise<NetworkRow[]> {
  const rows = await db.read(NETWORK_LINKS, { kinds, groupKinds: GROUP_KINDS, rollUp: kinds.includes('Country'), ...filterParams(filter) });
  return rows as unknown as NetworkRow[];
}

/**
 * The facts a network is built from (involvement, support and direct relations), in groups by
 * status, in-force state and whether the filter keeps them (with $knownOn, as known on that
 * day: countedViewCypher): Network.factCounts. A scan of those
 * relationship types, O(facts), like the network itself.
 */
export const NETWORK_FACT_TALLY = `
  MATCH ()-[r:${INVOLVEMENT_TYPES}|${DIRECT_TYPES}]->()
  WITH r, ${countedViewCypher('r')} AS v
  WHERE v IS NOT NULL
  WITH v.status AS status, ${factPredicate('r')} AS shown,
       CASE WHEN $asOf IS NULL THEN null ELSE ${inForceCypher('v', 'date($asOf)')} END AS inForce,
       ($domain IS NULL OR $domain IN v.domains) AS inDomain
  RETURN status, inForce, shown, inDomain, count(*) AS n`;

export async function networkFactTally(db: Db, filter: FactFilter): Promise<FactTallyRow[]> {
  return (await db.read(NETWORK_FACT_TALLY, filterParams(filter))) as unknown as FactTallyRow[];
}

/** Relationship types a path may follow: every fact type, and the structural BELONGS_TO. */
export const PATH_TYPES = [...RELATION_TYPES, 'BELONGS_TO'].join('|');

/**
 * Shortest paths, one query text per hop limit (1..6): the bound of a variable-length pattern
 * cannot be a parameter, so the texts are fixed here rather than built from input.
 */
export const CONNECTIONS: readonly string[] = [1, 2, 3, 4, 5, 6].map(
  (hops) => `
  MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
  MATCH p = allShortestPaths((a)-[:${PATH_TYPES}*1..${hops}]-(b))
  WHERE all(r IN relationships(p) WHERE type(r) = 'BELONGS_TO' OR ${factPredicate('r')})
  RETURN [n IN nodes(p) | n.id] AS nodes,
         [r IN relationships(p) | { type: type(r), factId: r.factId, from: startNode(r).id, to: endNode(r).id }] AS rels
  LIMIT $limit`,
);

export interface PathRow {
  nodes: string[];
  rels: Array<{ type: string; factId: string | null; from: string; to: string }>;
}

export async function shortestPaths(db: Db, from: string, to: string, maxHops: number, filter: FactFilter, limit = 25): Promise<PathRow[]> {
  const query = CONNECTIONS[maxHops - 1];
  if (!query) throw new Error(`maxHops out of range: ${maxHops}`);
  const rows = await db.read(query, { from, to, limit, ...filterParams(filter) });
  return rows as unknown as PathRow[];
}

export const STATS = `
  CALL () { MATCH (n:Entity) WITH n.kind AS key, count(*) AS count ORDER BY key RETURN collect({key: key, count: count}) AS entitiesByKind }
  CALL () { MATCH (f:Fact) WITH f.type AS key, count(*) AS count ORDER BY key RETURN collect({key: key, count: count}) AS factsByType }
  CALL () { MATCH (f:Fact) WITH f.status AS key, count(*) AS count ORDER BY key RETURN collect({key: key, count: count}) AS factsByStatus }
  CALL () { MATCH (f:Fact) UNWIND f.domains AS key WITH key, count(*) AS count ORDER BY key RETURN collect({key: key, count: count}) AS factsByDomain }
  CALL () { MATCH (s:Source) RETURN count(s) AS sources }
  CALL () { MATCH (e:Evidence) RETURN count(e) AS evidence }
  RETURN entitiesByKind, factsByType, factsByStatus, factsByDomain, sources, evidence`;

export interface StatsRow {
  entitiesByKind: Array<{ key: string; count: number }>;
  factsByType: Array<{ key: string; count: number }>;
  factsByStatus: Array<{ key: string; count: number }>;
  factsByDomain: Array<{ key: string; count: number }>;
  sources: number;
  evidence: number;
}

export async function stats(db: Db): Promise<StatsRow> {
  const [row] = await db.read(STATS);
  return row as unknown as StatsRow;
}
