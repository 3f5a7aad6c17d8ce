/**
 * The floor: the same answers as the API's, each from ONE hand-written Cypher query through
 * neo4j-driver, behind a minimal node:http endpoint (`POST /<query name>` with the variables as
 * a JSON body, answered `{ data }` in the API's own shape). No GraphQL, no DataLoaders, no
 * validation, no logging: what it costs to get the data out of Neo4j and onto the wire.
 *
 * Where the API's answer needs grouping that Cypher cannot say without APOC (partners' links and
 * evidence by fact, the network's degrees), the query returns flat rows and a few lines of
 * JavaScript shape them; still one round trip per request.
 *
 * Run as a child process by bench/run.ts: `node -r tsx/cjs bench/floor.ts` with NEO4J_URI,
 * NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE and PORT; it prints "ready <url>" when it listens.
 */
import http from 'node:http';
import neo4j, { type Driver } from 'neo4j-driver';
import { CONNECTIONS, NETWORK_LINKS, PARTNERS } from '../src/db/analysis';
import { luceneQuery } from '../src/db/entities';
import { FACTUAL_STATUSES } from '../src/ontology';
import { GROUP_KINDS } from './mix';
import { networkFromRows, type LinkRow } from './network';
import { serveAsChild, type BenchServerOptions, type RunningBenchServer } from './child';

type Vars = Record<string, unknown>;
type Row = Record<string, unknown>;

interface FloorQuery {
  cypher: string;
  params(vars: Vars): Record<string, unknown>;
  shape(rows: Row[], vars: Vars): unknown;
}

const STATUS = [...FACTUAL_STATUSES];
const filter = { status: STATUS, asOf: null, includeUnknown: false, knownOn: null, domain: null };

/** The API's entity(id) with its facts (both directions), their subjects and objects. */
const ENTITY = `
  MATCH (n:Entity {id: $id})
  OPTIONAL MATCH (n)-[:BELONGS_TO]->(o:Entity)
  CALL (n) {
    MATCH (n)<-[:SUBJECT|OBJECT]-(f:Fact) WHERE f.status IN $status
    WITH DISTINCT f
    MATCH (f)-[:SUBJECT]->(s:Entity), (f)-[:OBJECT]->(t:Entity)
    RETURN collect({ id: f.id, type: f.type, status: f.status, role: f.role,
                     subject: { id: s.id, name: s.name }, object: { id: t.id, name: t.name } }) AS facts
  }
  RETURN { id: n.id, kind: toUpper(n.kind), name: n.name, aliases: coalesce(n.aliases, []),
           belongsTo: CASE WHEN o IS NULL THEN null ELSE { id: o.id, name: o.name } END,
           facts: facts } AS entity`;

/** src/db/analysis.ts PARTNERS, then each link's facts' evidence and the partners' names, in the same query. */
const PARTNERS_WITH_EVIDENCE = `
  CALL () { ${PARTNERS} }
  WITH DISTINCT partner, kind, through, factIds
  WITH collect({ partner: partner, kind: kind, through: through, factIds: factIds }) AS links
  CALL (links) {
    UNWIND links AS l UNWIND l.factIds AS fid
    WITH DISTINCT fid
    MATCH (:Fact {id: fid})-[:EVIDENCED_BY]->(e:Evidence)
    RETURN collect({ fact: fid, id: e.id, quote: e.quote }) AS evidence
  }
  CALL (links) {
    UNWIND links AS l
    WITH DISTINCT l.partner AS pid
    MATCH (p:Entity {id: pid})
    RETURN collect({ id: p.id, name: p.name }) AS names
  }
  RETURN links, evidence, names`;

/** A group's participants (direct PARTICIPATES_IN edges into it) and each one's memberships. */
const PARTICIPANTS = `
  MATCH (g:Entity {id: $id})
  CALL (g) {
    MATCH (p:Entity)-[r:PARTICIPATES_IN]->(g) WHERE r.status IN $status
    CALL (p) {
      OPTIONAL MATCH (p)-[m:MEMBER_OF]->(o:Entity) WHERE m.status IN $status
      RETURN collect(CASE WHEN m IS NULL THEN null ELSE { id: m.factId, subject: { id: p.id }, object: { id: o.id, name: o.name } } END) AS memberships
    }
    RETURN collect({ id: r.factId, role: r.role, object: { id: g.id },
                     subject: { id: p.id, name: p.name, facts: memberships } }) AS facts
  }
  RETURN { id: g.id, name: g.name, facts: facts } AS entity`;

/** src/db/entities.ts SEARCH, with the kind as the API spells it. */
const SEARCH = `
  CALL db.index.fulltext.queryNodes('entity_search', $lucene, {limit: $candidates})
  YIELD node AS n, score
  RETURN { score: score, entity: { id: n.id, name: n.name, kind: toUpper(n.kind) } } AS hit
  ORDER BY score DESC, n.id
  LIMIT $limit`;

const int = (value: unknown) => neo4j.int(Number(value));

export const FLOOR_QUERIES: Record<string, FloorQuery> = {
  EntityById: {
    cypher: ENTITY,
    params: (vars) => ({ id: vars.id, status: STATUS }),
    shape: (rows) => ({ entity: rows[0]?.entity ?? null }),
  },
  Partners: {
    cypher: PARTNERS_WITH_EVIDENCE,
    params: (vars) => ({ of: vars.of, actorKinds: ['Country', 'Organisation', 'Unit'], groupKinds: GROUP_KINDS, ...filter }),
    shape: (rows) => {
      const row = rows[0] ?? { links: [], evidence: [], names: [] };
      const evidence = new Map<string, Array<{ id: string; quote: string }>>();
      for (const e of row.evidence as Array<{ fact: string; id: string; quote: string }>) {
        const list = evidence.get(e.fact) ?? [];
        list.push({ id: e.id, quote: e.quote });
        evidence.set(e.fact, list);
      }
      const names = new Map((row.names as Array<{ id: string; name: string }>).map((n) => [n.id, n.name]));
      const byPartner = new Map<string, Array<{ kind: string; through: { id: string } | null; facts: Array<{ id: string; evidence: Array<{ id: string; quote: string }> }> }>>();
      for (const link of row.links as Array<{ partner: string; kind: string; through: string | null; factIds: string[] }>) {
        const links = byPartner.get(link.partner) ?? [];
        links.push({
          kind: link.kind,
          through: link.through === null ? null : { id: link.through },
          facts: link.factIds.map((id) => ({ id, evidence: evidence.get(id) ?? [] })),
        });
        byPartner.set(link.partner, links);
      }
      return {
        partners: [...byPartner].map(([id, links]) => ({ partner: { id, name: names.get(id) ?? null }, links })),
      };
    },
  },
  Participants: {
    cypher: PARTICIPANTS,
    params: (vars) => ({ id: vars.id, status: STATUS }),
    shape: (rows) => ({ entity: rows[0]?.entity ?? null }),
  },
  Search: {
    cypher: SEARCH,
    params: (vars) => {
      const first = Number(vars.first ?? 10);
      return { lucene: luceneQuery(String(vars.text)), limit: int(first), candidates: int(Math.max(first * 5, 50)) };
    },
    shape: (rows) => ({ search: rows.map((r) => r.hit) }),
  },
  Paths: {
    cypher: CONNECTIONS[3] as string,
    params: (vars) => ({ from: vars.from, to: vars.to, limit: int(25), ...filter }),
    shape: (rows) => ({
      connections: (rows as Array<{ nodes: string[]; rels: Array<{ type: string; factId: string | null; from: string; to: string }> }>).map((row) => ({
        length: row.rels.length,
        hops: row.rels.map((rel, i) => ({
          from: { id: row.nodes[i] },
          to: { id: row.nodes[i + 1] },
          relation: rel.type,
          forward: rel.from === row.nodes[i],
          fact: rel.factId ? { id: rel.factId } : null,
        })),
      })),
    }),
  },
  Network: {
    cypher: NETWORK_LINKS,
    params: () => ({ kinds: ['Country'], groupKinds: GROUP_KINDS, rollUp: true, ...filter }),
    shape: (rows) => ({ cooperationNetwork: networkFromRows(rows as unknown as LinkRow[]) }),
  },
};

export type FloorOptions = BenchServerOptions;
export type RunningFloor = RunningBenchServer;

function send(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export async function startFloor(options: FloorOptions): Promise<RunningFloor> {
  const driver: Driver = neo4j.driver(options.uri, neo4j.auth.basic(options.user, options.password), {
    disableLosslessIntegers: true,
    maxConnectionPoolSize: 50,
  });
  const server = http.createServer((request, response) => {
    const name = (request.url ?? '/').slice(1).split('?')[0] ?? '';
    const query = FLOOR_QUERIES[name];
    if (request.method !== 'POST' || !query) return send(response, 404, { error: `POST /${Object.keys(FLOOR_QUERIES).join('|')}` });
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          const vars = (text ? JSON.parse(text) : {}) as Vars;
          const result = await driver.executeQuery(query.cypher, query.params(vars), {
            database: options.database,
            routing: neo4j.routing.READ,
          });
          send(response, 200, { data: query.shape(result.records.map((r) => r.toObject()), vars) });
        } catch (error) {
          send(response, 500, { errors: [{ message: (error as Error).message }] });
        }
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await driver.close();
    },
  };
}

if (require.main === module) serveAsChild('floor', 4002, startFloor);
