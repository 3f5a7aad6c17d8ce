/**
 * The explorer's only way to the data: the public GraphQL API, POST /graphql with
 * content-type application/json. The field selections are spelled out (no fragments) to stay
 * well inside the server's depth and cost limits.
 */

export type Status = 'ACTIVE' | 'ENDED' | 'PLANNED' | 'PROPOSED' | 'ANNOUNCED';
export const STATUSES: Status[] = ['ACTIVE', 'ENDED', 'PLANNED', 'PROPOSED', 'ANNOUNCED'];
export const FACTUAL: Status[] = ['ACTIVE', 'ENDED'];

export interface Filter {
  status: Status[];
  /** YYYY-MM-DD, or null for any date. */
  asOf: string | null;
  /** With asOf: also facts whose being in force that day is not known. */
  includeUnknown: boolean;
  domain: string | null;
}

/** What a filter left out of an entity's facts (the API's FactCounts). */
export interface FactCounts {
  total: number;
  shown: number;
  hidden: number;
  byStatus: Array<{ status: Status; total: number; shown: number }>;
  byInForce: Array<{ inForce: 'YES' | 'NO' | 'UNKNOWN'; total: number; shown: number }>;
  outsideDomain: number;
}

export interface Passage {
  quote: string;
  start: number;
  end: number;
  facts: Fact[];
}

export interface Source {
  id: string;
  title: string;
  url: string;
  publisher: string;
  published: { text: string };
  text: string;
  passages: Passage[];
}

export interface EntityRef {
  id: string;
  kind: string;
  name: string;
}

export interface Entity extends EntityRef {
  subtype: string | null;
  aliases: string[];
  referenceAliases: string[];
  wikidata: string | null;
  belongsTo: EntityRef | null;
}

export interface PartialDate {
  text: string;
  precision: string;
  earliest: string;
  latest: string;
}

export interface Evidence {
  quote: string;
  start: number;
  end: number;
  source: { id: string; title: string; url: string; publisher: string };
}

export interface Fact {
  id: string;
  type: string;
  role: string | null;
  title: string | null;
  status: Status;
  isFactual: boolean;
  domains: string[];
  note: string | null;
  subject: EntityRef;
  object: EntityRef;
  validity: { start: PartialDate | null; end: PartialDate | null; inForceFrom: string | null; inForceUntil: string | null };
  evidence: Evidence[];
}

export interface Hop {
  from: EntityRef;
  to: EntityRef;
  relation: string;
  forward: boolean;
  fact: Fact | null;
}

export interface Path {
  length: number;
  hops: Hop[];
}

const REF = 'id kind name';
const ENTITY = `${REF} subtype aliases referenceAliases wikidata belongsTo { ${REF} }`;
const DATE = 'text precision earliest latest';
const FACT = `id type role title status isFactual domains note subject { ${REF} } object { ${REF} }
  validity { start { ${DATE} } end { ${DATE} } inForceFrom inForceUntil }
  evidence { quote start end source { id title url publisher } }`;
const FILTER_VARS = '$status: [Status!], $asOf: Date, $includeUnknown: Boolean, $domain: Domain';
const FILTER_ARGS = 'status: $status, asOf: $asOf, includeUnknown: $includeUnknown, domain: $domain';
const COUNTS = 'total shown hidden byStatus { status total shown } byInForce { inForce total shown } outsideDomain';

export class ApiError extends Error {}

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('The server did not answer. Is it still running?');
  }
  let body: { data?: T; errors?: Array<{ message: string }> };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The server answered ${response.status} without a GraphQL result.`);
  }
  if (body.errors && body.errors.length > 0) throw new ApiError(body.errors.map((e) => e.message).join(' '));
  if (!body.data) throw new ApiError(`The server answered ${response.status} with no data.`);
  return body.data;
}

function filterVars(filter: Filter): Record<string, unknown> {
  return { status: filter.status, asOf: filter.asOf, includeUnknown: filter.includeUnknown, domain: filter.domain };
}

export async function search(text: string): Promise<Array<{ entity: Entity; score: number }>> {
  const data = await graphql<{ search: Array<{ entity: Entity; score: number }> }>(
    `query Search($text: String!) { search(text: $text, first: 20) { score entity { ${ENTITY} } } }`,
    { text },
  );
  return data.search;
}

export async function neighbourhood(id: string, filter: Filter): Promise<{ entity: Entity; facts: Fact[]; counts: FactCounts } | null> {
  const data = await graphql<{ entity: (Entity & { facts: Fact[]; factCounts: FactCounts }) | null }>(
    `query Neighbourhood($id: ID!, ${FILTER_VARS}) { entity(id: $id) { ${ENTITY} facts(${FILTER_ARGS}) { ${FACT} } factCounts(${FILTER_ARGS}) { ${COUNTS} } } }`,
    { id, ...filterVars(filter) },
  );
  if (!data.entity) return null;
  const { facts, factCounts, ...entity } = data.entity;
  return { entity, facts, counts: factCounts };
}

/** How many entities the graph holds (from the count store). */
export async function entityCount(): Promise<number> {
  const data = await graphql<{ entities: { totalCount: number } }>('{ entities(first: 1) { totalCount } }');
  return data.entities.totalCount;
}

/** A source with its text and every passage that states facts. */
export async function source(id: string): Promise<Source | null> {
  const data = await graphql<{ node: (Source & { __typename: string }) | null }>(
    `query Source($id: ID!) { node(id: $id) { __typename ... on Source { id title url publisher published { text } text
      passages { quote start end facts { ${FACT} } } } } }`,
    { id },
  );
  return data.node && data.node.__typename === 'Source' ? data.node : null;
}

/** Every entity with its facts, page by page, until `maxEntities` (then `truncated`). */
export async function wholeGraph(filter: Filter, maxEntities: number): Promise<{ entities: Entity[]; facts: Fact[]; total: number; truncated: boolean }> {
  const entities: Entity[] = [];
  const facts = new Map<string, Fact>();
  let after: string | null = null;
  let total = 0;
  for (;;) {
    const data: { entities: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: Entity & { facts: Fact[] } }> } } =
      await graphql(
        `query Whole($first: Int!, $after: String, ${FILTER_VARS}) {
          entities(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
            edges { node { ${ENTITY} facts(${FILTER_ARGS}) { ${FACT} } } } } }`,
        { first: 50, after, ...filterVars(filter) },
      );
    total = data.entities.totalCount;
    for (const { node } of data.entities.edges) {
      const { facts: own, ...entity } = node;
      entities.push(entity);
      for (const fact of own) facts.set(fact.id, fact);
    }
    if (!data.entities.pageInfo.hasNextPage) return { entities, facts: [...facts.values()], total, truncated: false };
    if (entities.length >= maxEntities) return { entities, facts: [...facts.values()], total, truncated: true };
    after = data.entities.pageInfo.endCursor;
  }
}

export async function connections(from: string, to: string, status: Status[]): Promise<Path[]> {
  const data = await graphql<{ connections: Path[] }>(
    `query Connections($from: ID!, $to: ID!, $status: [Status!]) {
      connections(from: $from, to: $to, status: $status) { length hops { from { ${REF} } to { ${REF} } relation forward fact { ${FACT} } } } }`,
    { from, to, status },
  );
  return data.connections;
}

/** Names and ids of every entity (for the path finder's suggestions). */
export async function entityNames(): Promise<Entity[]> {
  const all: Entity[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const data: { entities: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: Entity }> } } = await graphql(
      `query Names($first: Int!, $after: String) { entities(first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${ENTITY} } } } }`,
      { first: 100, after },
    );
    all.push(...data.entities.edges.map((e) => e.node));
    if (!data.entities.pageInfo.hasNextPage) break;
    after = data.entities.pageInfo.endCursor;
  }
  return all;
}

/** Domains that facts use, for the domain filter. */
export async function domainsInUse(): Promise<string[]> {
  const data = await graphql<{ stats: { factCountsByDomain: Array<{ domain: string; count: number }> } }>('{ stats { factCountsByDomain { domain count } } }');
  return data.stats.factCountsByDomain.filter((c) => c.count > 0).map((c) => c.domain);
}
