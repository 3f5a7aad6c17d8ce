/**
 * The query mix: six questions, each written three ways (our GraphQL, the peer's GraphQL, the
 * floor's Cypher by name, see bench/floor.ts), and the normalisers that project each answer to
 * one comparable shape: lists sorted, kinds upper-cased, scores to 6 significant digits, the
 * peer's list-valued relationships (`subject: [Entity!]!`) read as the one entity they hold.
 * The floor answers in the API's own shape, so the API's normaliser reads it.
 *
 * Where the peer's answer is shaped differently, its normaliser says how it is brought to the
 * API's meaning; bench/README.md repeats it.
 */
import { luceneQuery } from '../src/db/entities';
import { FACTUAL_STATUSES } from '../src/ontology';
import { networkFromRows, type LinkRow } from './network';

/** The entities and texts the mix asks about, chosen from the loaded data by bench/targets.ts. */
export interface Targets {
  /** entity(id): a country ranked at the 10th percentile by number of facts. */
  entity: string;
  /** partners(of): the median country by facts. */
  partnersOf: string;
  /** The initiative or organisation with the most PARTICIPATES_IN facts pointing at it. */
  group: string;
  /** Search text with the most hits, at most the API's candidate pool (100 for first: 20). */
  searchText: string;
  /** Two entities 3 or 4 hops apart with 2 to 20 shortest paths, so LIMIT 25 cuts nothing. */
  pathFrom: string;
  pathTo: string;
}

export const SEARCH_FIRST = 20;
const STATUS = [...FACTUAL_STATUSES];

/** Answers are JSON of three different shapes; the normalisers read them loosely. */
type Json = any;
type Vars = Record<string, unknown>;

export interface MixQuery {
  /** Operation name: our /metrics label, the floor's route, the report's row. */
  name: string;
  title: string;
  ours: { query: string; variables(t: Targets): Vars };
  peer: {
    query: string;
    variables(t: Targets): Vars;
    /** 'generated': the library's own API; '@cypher': our Cypher inside a @cypher field. */
    how: 'generated' | '@cypher';
    /** How its answer differs in shape from ours, and what the normaliser does about it. */
    shape: string;
  };
  /** Normalises our answer's `data` (and the floor's, which has the same shape). */
  normaliseOurs(data: Json, t: Targets): Json;
  normalisePeer(data: Json, t: Targets): Json;
  /** How many items a normalised answer holds, so an empty answer cannot pass as agreement. */
  size(normalised: Json): number;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortBy = <T>(items: T[], key: (item: T) => string): T[] => [...items].sort((a, b) => byString(key(a), key(b)));
const upper = (s: unknown) => String(s).toUpperCase();
const one = <T>(list: T[] | null | undefined): T | null => (list && list.length > 0 ? (list[0] as T) : null);
const score = (n: number) => Number(n.toPrecision(6));

// ---------------------------------------------------------------- entity by id

interface FactOut {
  id: string;
  type: string;
  status: string;
  role: string | null;
  subject: string;
  object: string;
}

function normaliseEntity(e: Json, facts: FactOut[]): Json {
  if (!e) return null;
  return {
    id: e.id,
    kind: upper(e.kind),
    name: e.name,
    aliases: [...(e.aliases ?? [])].sort(),
    belongsTo: e.belongsTo ?? null,
    facts: sortBy(facts, (f) => f.id),
  };
}

const entityById: MixQuery = {
  name: 'EntityById',
  title: 'entity by id, with its facts',
  ours: {
    query: `query EntityById($id: ID!) {
  entity(id: $id) {
    id kind name aliases belongsTo { id name }
    facts { id type status role subject { id name } object { id name } }
  }
}`,
    variables: (t) => ({ id: t.entity }),
  },
  peer: {
    how: 'generated',
    shape:
      'No union of "subject or object": facts come as two lists (subjectOf, objectOf), merged by fact id; relationships are lists, so subject, object and belongsTo are read as their one element; kind is the stored "Country", upper-cased.',
    query: `query EntityById($id: ID!, $status: [String!]) {
  entities(where: { id: { eq: $id } }) {
    id kind name aliases belongsTo { id name }
    subjectOf(where: { status: { in: $status } }) { ...F }
    objectOf(where: { status: { in: $status } }) { ...F }
  }
}
fragment F on Fact { id type status role subject { id name } object { id name } }`,
    variables: (t) => ({ id: t.entity, status: STATUS }),
  },
  normaliseOurs: (data) => {
    const e = data?.entity;
    if (!e) return null;
    const facts = (e.facts as Json[]).map((f) => ({
      id: f.id,
      type: f.type,
      status: f.status,
      role: f.role ?? null,
      subject: `${f.subject.id} ${f.subject.name}`,
      object: `${f.object.id} ${f.object.name}`,
    }));
    return normaliseEntity({ ...e, belongsTo: e.belongsTo ? `${e.belongsTo.id} ${e.belongsTo.name}` : null }, facts);
  },
  normalisePeer: (data) => {
    const e = one<Json>(data?.entities);
    if (!e) return null;
    const facts = new Map<string, FactOut>();
    for (const f of [...e.subjectOf, ...e.objectOf] as Json[]) {
      const s = one<Json>(f.subject);
      const o = one<Json>(f.object);
      facts.set(f.id, { id: f.id, type: f.type, status: f.status, role: f.role ?? null, subject: `${s?.id} ${s?.name}`, object: `${o?.id} ${o?.name}` });
    }
    const owner = one<Json>(e.belongsTo);
    return normaliseEntity({ ...e, belongsTo: owner ? `${owner.id} ${owner.name}` : null }, [...facts.values()]);
  },
  size: (n) => (n ? (n.facts as unknown[]).length : 0),
};

// ---------------------------------------------------------------- partners with evidence

interface PartnerOut {
  partner: string;
  links: string[];
  evidence: string[];
}

const linkKey = (kind: string, through: string | null, factIds: string[]) => `${kind} ${through ?? '-'} ${[...factIds].sort().join(',')}`;

const DIRECT = ['COOPERATES_WITH', 'TRAINS_WITH', 'SUPPORTS'];
const INVOLVEMENT = ['MEMBER_OF', 'PARTICIPATES_IN'];
const ACTOR_KINDS = new Set(['COUNTRY', 'ORGANISATION', 'UNIT']);
/** What two actors can share (src/db/analysis.ts GROUP_KINDS): the $groupKinds of PARTNERS and NETWORK_LINKS. */
export const GROUP_KINDS = ['Initiative', 'Organisation', 'Unit'];

/**
 * The peer has no "partners": it returns the raw neighbourhood through the Fact nodes, and this
 * applies the API's documented rule to it (src/db/analysis.ts): the entity and the bodies that
 * belong to it are the actors; DIRECT links are COOPERATES_WITH/TRAINS_WITH/SUPPORTS facts either
 * way; SHARED links go through an entity z that an actor is MEMBER_OF / PARTICIPATES_IN or is
 * SUPPORTed by (z an initiative, organisation or unit), to every other entity involved with z
 * the same ways; a partner that belongs to a
 * country counts as that country when the entity is a country; only countries, organisations and
 * units are partners; each (kind, through, facts) link once.
 */
function partnersFromPeer(x: Json): PartnerOut[] {
  if (!x) return [];
  const actors = [x, ...(x.members as Json[])];
  const actorIds = new Set(actors.map((a) => a.id as string));
  const rollUp = upper(x.kind) === 'COUNTRY';
  const partners = new Map<string, { name: string; links: Set<string>; evidence: Set<string> }>();
  const evidenceOf = (f: Json) => (f.evidence as Json[]).map((e) => `${f.id} ${e.id} ${e.quote}`);
  const add = (b: Json, kind: string, through: string | null, facts: Json[]) => {
    if (!b || actorIds.has(b.id)) return;
    const owner = one<Json>(b.belongsTo);
    const partner = rollUp && owner && upper(owner.kind) === 'COUNTRY' ? owner : b;
    if (partner.id === x.id || !ACTOR_KINDS.has(upper(partner.kind))) return;
    const entry = partners.get(partner.id) ?? { name: partner.name, links: new Set<string>(), evidence: new Set<string>() };
    entry.links.add(linkKey(kind, through, facts.map((f) => f.id)));
    for (const f of facts) for (const e of evidenceOf(f)) entry.evidence.add(e);
    partners.set(partner.id, entry);
  };
  for (const a of actors) {
    for (const f of a.directOut as Json[]) add(one(f.object), 'DIRECT', null, [f]);
    for (const f of a.directIn as Json[]) add(one(f.subject), 'DIRECT', null, [f]);
    const hubs: Array<[Json, Json]> = [
      ...(a.involvedIn as Json[]).map((f): [Json, Json] => [f, one(f.object)]),
      ...(a.supportedBy as Json[]).map((f): [Json, Json] => [f, one(f.subject)]),
    ];
    for (const [f1, z] of hubs) {
      if (!z || !GROUP_KINDS.includes(z.kind)) continue;
      const kind = `SHARED_${upper(z.kind)}`;
      for (const f2 of z.involved as Json[]) add(one(f2.subject), kind, z.id, [f1, f2]);
      for (const f2 of z.supports as Json[]) add(one(f2.object), kind, z.id, [f1, f2]);
    }
  }
  return [...partners].map(([id, p]) => ({ partner: `${id} ${p.name}`, links: [...p.links].sort(), evidence: [...p.evidence].sort() }));
}

const PEER_B = 'id kind name belongsTo { id kind name }';
const PEER_FACT = 'id evidence { id quote }';

const partners: MixQuery = {
  name: 'Partners',
  title: "a country's partners, with evidence",
  ours: {
    query: `query Partners($of: ID!) {
  partners(of: $of) {
    partner { id name }
    links { kind through { id } facts { id evidence { id quote } } }
  }
}`,
    variables: (t) => ({ of: t.partnersOf }),
  },
  peer: {
    how: 'generated',
    shape:
      'No partners field and no grouping: the query returns the neighbourhood (the country and its bodies, their direct and involvement facts with evidence, each shared entity\'s involvement facts and the entity at the other end, with its owner); the normaliser applies the API\'s partner rule to it client-side (kind, through, fact ids per link; evidence per fact; roll-up to the owning country). The answer is the raw neighbourhood, so it is larger than ours.',
    query: `query Partners($of: ID!, $status: [String!], $direct: [String!], $involvement: [String!], $groupKinds: [String!]) {
  entities(where: { id: { eq: $of } }) {
    id kind ...Actor
    members { id kind ...Actor }
  }
}
fragment Actor on Entity {
  directOut: subjectOf(where: { type: { in: $direct }, status: { in: $status } }) { ${PEER_FACT} object { ${PEER_B} } }
  directIn: objectOf(where: { type: { in: $direct }, status: { in: $status } }) { ${PEER_FACT} subject { ${PEER_B} } }
  involvedIn: subjectOf(where: { type: { in: $involvement }, status: { in: $status }, object: { some: { kind: { in: $groupKinds } } } }) { ${PEER_FACT} object { ...Hub } }
  supportedBy: objectOf(where: { type: { eq: "SUPPORTS" }, status: { in: $status }, subject: { some: { kind: { in: $groupKinds } } } }) { ${PEER_FACT} subject { ...Hub } }
}
fragment Hub on Entity {
  id kind
  involved: objectOf(where: { type: { in: $involvement }, status: { in: $status } }) { ${PEER_FACT} subject { ${PEER_B} } }
  supports: subjectOf(where: { type: { eq: "SUPPORTS" }, status: { in: $status } }) { ${PEER_FACT} object { ${PEER_B} } }
}`,
    variables: (t) => ({ of: t.partnersOf, status: STATUS, direct: DIRECT, involvement: INVOLVEMENT, groupKinds: GROUP_KINDS }),
  },
  normaliseOurs: (data) => {
    const list = data?.partners as Json[] | undefined;
    if (!list) return null;
    return sortBy(
      list.map((p) => {
        const evidence = new Set<string>();
        for (const link of p.links as Json[]) for (const f of link.facts as Json[]) for (const e of f.evidence as Json[]) evidence.add(`${f.id} ${e.id} ${e.quote}`);
        return {
          partner: `${p.partner.id} ${p.partner.name}`,
          links: (p.links as Json[]).map((l) => linkKey(l.kind, l.through?.id ?? null, (l.facts as Json[]).map((f) => f.id))).sort(),
          evidence: [...evidence].sort(),
        };
      }),
      (p) => p.partner,
    );
  },
  normalisePeer: (data) => (data?.entities ? sortBy(partnersFromPeer(one(data.entities)), (p) => p.partner) : null),
  size: (n) => (n ? (n as unknown[]).length : 0),
};

// ---------------------------------------------------------------- group -> participants -> memberships

interface ParticipationOut {
  id: string;
  role: string | null;
  participant: string;
  memberships: string[];
}

const participants: MixQuery = {
  name: 'Participants',
  title: 'group → participants → their memberships (3 levels)',
  ours: {
    query: `query Participants($id: ID!) {
  entity(id: $id) {
    id name
    facts(types: [PARTICIPATES_IN]) {
      id role object { id }
      subject { id name facts(types: [MEMBER_OF]) { id subject { id } object { id name } } }
    }
  }
}`,
    variables: (t) => ({ id: t.group }),
  },
  peer: {
    how: 'generated',
    shape:
      'Follows the direct PARTICIPATES_IN and MEMBER_OF relationships with their FactEdge properties (factId, role, status) through the connection API (edges { properties node }); ours returns Fact objects. Ours lists a fact of either direction; the normaliser keeps, on both sides, participations into the group and memberships of the participant (the only direction the data has).',
    query: `query Participants($id: ID!, $status: [String!]) {
  entities(where: { id: { eq: $id } }) {
    id name
    participantsConnection(where: { edge: { status: { in: $status } } }) {
      edges {
        properties { factId role }
        node {
          id name
          memberOfConnection(where: { edge: { status: { in: $status } } }) { edges { properties { factId } node { id name } } }
        }
      }
    }
  }
}`,
    variables: (t) => ({ id: t.group, status: STATUS }),
  },
  normaliseOurs: (data) => {
    const e = data?.entity;
    if (!e) return null;
    const rows: ParticipationOut[] = (e.facts as Json[])
      .filter((f) => f.object.id === e.id)
      .map((f) => ({
        id: f.id,
        role: f.role ?? null,
        participant: `${f.subject.id} ${f.subject.name}`,
        memberships: (f.subject.facts as Json[]).filter((m) => m.subject.id === f.subject.id).map((m) => `${m.id} ${m.object.id} ${m.object.name}`).sort(),
      }));
    return { id: e.id, name: e.name, participations: sortBy(rows, (r) => r.id) };
  },
  normalisePeer: (data) => {
    const e = one<Json>(data?.entities);
    if (!e) return null;
    const rows: ParticipationOut[] = (e.participantsConnection.edges as Json[]).map((edge) => ({
      id: edge.properties.factId,
      role: edge.properties.role ?? null,
      participant: `${edge.node.id} ${edge.node.name}`,
      memberships: (edge.node.memberOfConnection.edges as Json[]).map((m) => `${m.properties.factId} ${m.node.id} ${m.node.name}`).sort(),
    }));
    return { id: e.id, name: e.name, participations: sortBy(rows, (r) => r.id) };
  },
  size: (n) => (n ? (n.participations as ParticipationOut[]).reduce((sum, p) => sum + 1 + p.memberships.length, 0) : 0),
};

// ---------------------------------------------------------------- search

const search: MixQuery = {
  name: 'Search',
  title: 'full-text search',
  ours: {
    query: `query Search($text: String!, $first: Int) {
  search(text: $text, first: $first) { score entity { id name kind } }
}`,
    variables: (t) => ({ text: t.searchText, first: SEARCH_FIRST }),
  },
  peer: {
    how: 'generated',
    shape:
      "@fulltext's phrase is raw Lucene: the harness sends it the query our API builds from the text (src/db/entities.ts luceneQuery: words escaped, each whole^3 or as a prefix), since the peer would otherwise take the user's text as Lucene syntax. Sorted by score, then id (as ours); a Relay connection (edges { score node }) rather than a list.",
    query: `query Search($phrase: String!, $first: Int) {
  searchEntities(phrase: $phrase, sort: [{ score: DESC }, { node: { id: ASC } }], first: $first) { edges { score node { id name kind } } }
}`,
    variables: (t) => ({ phrase: luceneQuery(t.searchText), first: SEARCH_FIRST }),
  },
  normaliseOurs: (data) => (data?.search ? (data.search as Json[]).map((h) => ({ id: h.entity.id, name: h.entity.name, kind: upper(h.entity.kind), score: score(h.score) })) : null),
  normalisePeer: (data) =>
    data?.searchEntities ? (data.searchEntities.edges as Json[]).map((h) => ({ id: h.node.id, name: h.node.name, kind: upper(h.node.kind), score: score(h.score) })) : null,
  size: (n) => (n ? (n as unknown[]).length : 0),
};

// ---------------------------------------------------------------- paths

const hopText = (from: string, relation: string, forward: boolean, factId: string | null, to: string) =>
  `${from} ${forward ? '-' : '<'}[${relation} ${factId ?? '-'}]${forward ? '>' : '-'} ${to}`;

const paths: MixQuery = {
  name: 'Paths',
  title: 'shortest paths between two entities (4 hops)',
  ours: {
    query: `query Paths($from: ID!, $to: ID!) {
  connections(from: $from, to: $to, maxHops: 4) {
    length hops { from { id } to { id } relation forward fact { id } }
  }
}`,
    variables: (t) => ({ from: t.pathFrom, to: t.pathTo }),
  },
  peer: {
    how: '@cypher',
    shape:
      'Not expressible in the generated API (no shortest-path or variable-length traversal). Measured through a @cypher field running our CONNECTIONS query at 4 hops, which returns node ids and relationship rows; the normaliser turns them into hops as ours does.',
    query: `query Paths($from: ID!, $to: ID!) {
  shortestPaths(from: $from, to: $to) { nodes rels { type factId from to } }
}`,
    variables: (t) => ({ from: t.pathFrom, to: t.pathTo }),
  },
  normaliseOurs: (data) =>
    data?.connections
      ? (data.connections as Json[]).map((p) => (p.hops as Json[]).map((h) => hopText(h.from.id, h.relation, h.forward, h.fact?.id ?? null, h.to.id)).join(' ')).sort()
      : null,
  normalisePeer: (data) =>
    data?.shortestPaths
      ? (data.shortestPaths as Json[])
          .map((p) => (p.rels as Json[]).map((r, i) => hopText(p.nodes[i], r.type, r.from === p.nodes[i], r.factId ?? null, p.nodes[i + 1])).join(' '))
          .sort()
      : null,
  size: (n) => (n ? (n as unknown[]).length : 0),
};

// ---------------------------------------------------------------- cooperation network

function normaliseNetwork(network: Json): Json {
  if (!network) return null;
  return {
    nodes: sortBy(
      (network.nodes as Json[]).map((n) => ({ id: n.entity.id, degree: n.degree, weightedDegree: n.weightedDegree, sharedPartners: n.sharedPartners, directPartners: n.directPartners })),
      (n) => n.id,
    ),
    edges: sortBy(
      (network.edges as Json[]).map((e) => ({
        pair: `${e.source} ${e.target}`,
        weight: e.weight,
        shared: (e.shared as Json[]).map((s) => s.id).sort(),
        direct: (e.direct as Json[]).map((d) => d.id).sort(),
      })),
      (e) => e.pair,
    ),
  };
}

const network: MixQuery = {
  name: 'Network',
  title: 'the cooperation network (countries)',
  ours: {
    query: `query Network {
  cooperationNetwork {
    nodes { entity { id } degree weightedDegree sharedPartners directPartners }
    edges { source target weight shared { id } direct { id } }
  }
}`,
    variables: () => ({}),
  },
  peer: {
    how: '@cypher',
    shape:
      'Not expressible in the generated API (no aggregation across pairs of nodes). Measured through a @cypher field running our NETWORK_LINKS query, which returns ungrouped (x, y, via, ids) rows; the normaliser groups them into nodes with degrees and weighted edges (bench/network.ts), work ours does on the server.',
    query: `query Network {
  cooperationLinks { x y via ids }
}`,
    variables: () => ({}),
  },
  normaliseOurs: (data) => normaliseNetwork(data?.cooperationNetwork),
  normalisePeer: (data) => (data?.cooperationLinks ? normaliseNetwork(networkFromRows(data.cooperationLinks as LinkRow[])) : null),
  size: (n) => (n ? (n.edges as unknown[]).length : 0),
};

export const MIX: readonly MixQuery[] = [entityById, partners, participants, search, paths, network];
