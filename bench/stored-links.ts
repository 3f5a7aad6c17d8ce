/**
 * Shared links stored against shared links computed per request: what storing them would cost
 * and buy, measured on the graph NEO4J_URI serves (it must already be loaded, e.g. at medium
 * scale: see bench/README.md).
 *
 * It writes one SHARES relationship per ordered pair of actors involved in the same group body
 * (each with the body, both facts and their statuses: what `partners` with its default filter
 * reads), then times `partners` for the countries ranked around the median by facts and the
 * shared half of the network, each computed (PARTNERS, NETWORK_LINKS, as served) and read from
 * the stored links, after checking that both give the same rows. It deletes the links at the
 * end (and at the start, if a run was cut short). Figures are medians of alternating runs.
 *
 *   NEO4J_URI=bolt://127.0.0.1:7687 npx tsx bench/stored-links.ts [--runs 10] [--targets 10]
 */
import { parseArgs } from 'node:util';
import { ACTOR_KINDS, GROUP_KINDS, INVOLVEMENT_TYPES, PARTNERS, networkLinksOf } from '../src/db/analysis';
import { config } from '../src/config';
import { createDriver, Db } from '../src/db/executor';
import { factPredicate } from '../src/db/filters';
import { logger } from '../src/logger';
import { FACTUAL_STATUSES } from '../src/ontology';
import { countriesByFacts } from './targets';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, targets: { type: 'string', default: '10' } } });
const RUNS = Number(values.runs);
const TARGETS = Number(values.targets);

const filter = { status: [...FACTUAL_STATUSES], asOf: null, includeUnknown: false, domain: null, knownOn: null };

/** The actors involved in `z` (as partnerLinksOf reads them), with their involvement. */
const INVOLVED = `CALL (z) {
    MATCH (a:Entity)-[r:${INVOLVEMENT_TYPES}]->(z) RETURN a, r
    UNION ALL
    MATCH (z)-[r:SUPPORTS]->(a:Entity) RETURN a, r
  }`;

const BUILD = `MATCH (z:Entity) WHERE z.kind IN $groupKinds
  ${INVOLVED}
  CALL (z, a, r) {
    CALL (z) { MATCH (b:Entity)-[r2:${INVOLVEMENT_TYPES}]->(z) RETURN b, r2 UNION ALL MATCH (z)-[r2:SUPPORTS]->(b:Entity) RETURN b, r2 }
    WITH z, a, r, b, r2 WHERE a <> b
    CREATE (a)-[:SHARES {through: z.id, kind: 'SHARED_' + toUpper(z.kind), factA: r.factId, factB: r2.factId, statusA: r.status, statusB: r2.status}]->(b)
  } IN TRANSACTIONS OF 20 ROWS`;

const DROP = 'MATCH ()-[l:SHARES]->() CALL (l) { DELETE l } IN TRANSACTIONS OF 10000 ROWS';

/** PARTNERS with the shared links read from SHARES instead of two hops through each body. */
const STORED_PARTNERS = `
  MATCH (x:Entity {id: $of})
  OPTIONAL MATCH (m:Entity)-[:BELONGS_TO]->(x)
  WITH x, [x] + collect(m) AS actors, x.kind = 'Country' AS rollUp
  CALL (x, actors, rollUp) {
    UNWIND actors AS a
    MATCH (a)-[r:COOPERATES_WITH|TRAINS_WITH|SUPPORTS]-(b:Entity)
    WHERE NOT b IN actors AND ${factPredicate('r')}
    RETURN b, 'DIRECT' AS kind, null AS z, [r.factId] AS factIds
    UNION ALL
    UNWIND actors AS a
    MATCH (a)-[l:SHARES]->(b:Entity)
    WHERE NOT b IN actors AND l.statusA IN $status AND l.statusB IN $status
    RETURN b, l.kind AS kind, l.through AS z, [l.factA, l.factB] AS factIds
  }
  OPTIONAL MATCH (b)-[:BELONGS_TO]->(owner:Country)
  WITH x, kind, z, factIds, CASE WHEN rollUp AND owner IS NOT NULL THEN owner ELSE b END AS partner
  WHERE partner <> x AND partner.kind IN $actorKinds
  RETURN partner.id AS partner, kind, z AS through, factIds`;

/** The shared half of NETWORK_LINKS, computed as served. */
const COMPUTED_NETWORK = networkLinksOf(factPredicate, '$kinds', '$groupKinds', '$rollUp').split('UNION ALL\n  MATCH (a:Entity)-[r:')[0] as string;

/** The same rows from the stored links. */
const STORED_NETWORK = `
  MATCH (a:Entity)-[l:SHARES]->(b:Entity) WHERE l.statusA IN $status AND l.statusB IN $status
  OPTIONAL MATCH (a)-[:BELONGS_TO]->(ao:Country)
  OPTIONAL MATCH (b)-[:BELONGS_TO]->(bo:Country)
  WITH l, CASE WHEN $rollUp AND ao IS NOT NULL THEN ao ELSE a END AS p, CASE WHEN $rollUp AND bo IS NOT NULL THEN bo ELSE b END AS q
  WHERE p.id < q.id AND p.kind IN $kinds AND q.kind IN $kinds
  RETURN p.id AS x, q.id AS y, 'shared' AS via, collect(DISTINCT l.through) AS ids`;

function canonical(rows: Array<Record<string, unknown>>): string {
  return JSON.stringify(rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.isArray(v) && k === 'ids' ? [...v].sort() : v])))).sort());
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function main(): Promise<void> {
  const cfg = config();
  if (!cfg.NEO4J_URI) throw new Error('NEO4J_URI must name the loaded graph to measure (this script writes SHARES links into it, and deletes them at the end).');
  const driver = createDriver({ uri: cfg.NEO4J_URI, user: cfg.NEO4J_USER, password: cfg.NEO4J_PASSWORD, poolSize: 4 });
  const db = new Db(driver, { database: cfg.NEO4J_DATABASE || undefined, queryTimeoutMs: 600_000, logger });
  const session = () => driver.session({ database: cfg.NEO4J_DATABASE || undefined });
  const run = async (cypher: string, params: Record<string, unknown> = {}) => {
    const s = session();
    try {
      await s.run(cypher, params);
    } finally {
      await s.close();
    }
  };
  const count = async (cypher: string) => Number((await db.read(cypher))[0]?.n ?? 0);
  try {
    await run(DROP);
    const relationships = await count('MATCH ()-[r]->() RETURN count(r) AS n');
    const edges = await count(`MATCH ()-[r:${INVOLVEMENT_TYPES}|SUPPORTS]->() RETURN count(r) AS n`);
    let started = performance.now();
    await run(BUILD, { groupKinds: GROUP_KINDS });
    const buildMs = performance.now() - started;
    const links = await count('MATCH ()-[l:SHARES]->() RETURN count(l) AS n');
    console.log(`graph: ${relationships} relationships (${edges} involvement and support edges); stored: ${links} SHARES links (${(links / relationships).toFixed(2)}x the graph's relationships), written in ${(buildMs / 1000).toFixed(1)} s`);

    const countries = await countriesByFacts(db);
    const mid = Math.floor(countries.length / 2);
    const targets = countries.slice(Math.max(0, mid - Math.floor(TARGETS / 2)), mid + Math.ceil(TARGETS / 2));
    const timed = async (cypher: string, params: Record<string, unknown>) => {
      started = performance.now();
      const rows = await db.read(cypher, params);
      return { ms: performance.now() - started, rows };
    };
    const compare = async (name: string, computed: string, stored: string, paramsList: Array<Record<string, unknown>>) => {
      const times = { computed: [] as number[], stored: [] as number[] };
      let rows = 0;
      for (const params of paramsList) {
        const [a, b] = [await timed(computed, params), await timed(stored, params)];
        if (canonical(a.rows) !== canonical(b.rows)) throw new Error(`${name}: the stored links give other rows than the computed ones for ${JSON.stringify(params)}`);
        rows += a.rows.length;
      }
      for (let i = 0; i < RUNS; i++) {
        for (const params of paramsList) {
          times.computed.push((await timed(computed, params)).ms);
          times.stored.push((await timed(stored, params)).ms);
        }
      }
      const [c, s] = [median(times.computed), median(times.stored)];
      console.log(`${name}: computed ${c.toFixed(1)} ms, stored ${s.toFixed(1)} ms (stored / computed ${(s / c).toFixed(2)}), ${Math.round(rows / paramsList.length)} rows each, same rows`);
    };
    await compare(`partners of the ${targets.length} countries around the median`, PARTNERS, STORED_PARTNERS, targets.map((of) => ({ of, actorKinds: ACTOR_KINDS, groupKinds: GROUP_KINDS, ...filter })));
    await compare('the network\'s shared links, countries', COMPUTED_NETWORK, STORED_NETWORK, [{ kinds: ['Country'], groupKinds: GROUP_KINDS, rollUp: true, ...filter }]);
  } finally {
    await run(DROP);
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
