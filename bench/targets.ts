/**
 * Chooses what the mix asks about from the loaded data, by fixed rules, so every scale gets
 * comparable questions and a rerun on the same data asks the same ones.
 *
 * chooseTargetSets(db, n) gives n sets for the varied mode (`--vary n`): the first is the fixed
 * set, the others come from the same rules' neighbourhoods (the countries ranked next to the
 * 10th percentile and the median, the next-busiest groups, the next search texts that fit the
 * candidate pool, the next unit-initiative pairs that pass the path rule), so a varied run asks
 * questions of the same cost class, each a different one.
 */
import { CONNECTIONS } from '../src/db/analysis';
import { luceneQuery } from '../src/db/entities';
import type { Db } from '../src/db/executor';
import { FACTUAL_STATUSES } from '../src/ontology';
import { SEARCH_FIRST, type Targets } from './mix';

const STATUS = [...FACTUAL_STATUSES];
/** The API's search asks Lucene for max(first × 5, 50) candidates before ordering by (score, id). */
const SEARCH_POOL = Math.max(SEARCH_FIRST * 5, 50);
const PATH_CANDIDATES = 10;
const PATH_BUDGET_MS = 90_000;

/** Countries, most facts first (ties by id). */
export async function countriesByFacts(db: Db): Promise<string[]> {
  const [row] = await db.read(
    `MATCH (c:Country)
     OPTIONAL MATCH (c)<-[:SUBJECT|OBJECT]-(f:Fact) WHERE f.status IN $status
     WITH c, count(f) AS n ORDER BY n DESC, c.id
     RETURN collect(c.id) AS ids`,
    { status: STATUS },
  );
  return (row?.ids as string[]) ?? [];
}

/**
 * "Initiative 1", "Unit 12", "Organisation 105"…: the text with the most hits that still fit the
 * API's candidate pool, trying one-digit numbers first, then two and three digits (a larger
 * scale has more entities per prefix). Falls back to "NATO" (the seed) if nothing fits.
 */
async function searchTexts(db: Db, n: number): Promise<string[]> {
  const found: Array<{ text: string; hits: number }> = [];
  const numbers = [
    ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    ['10', '11', '12', '13', '14', '15', '16', '17', '18', '19'],
    ['100', '101', '102', '103', '104', '105', '106', '107', '108', '109'],
  ];
  // Most hits first; ties keep the order tried (fewer digits first).
  const ranked = () => [...found].sort((a, b) => b.hits - a.hits).map((f) => f.text);
  // The fixed text: the best once a group of numbers has given one that fills a page. A longer
  // scan for more texts may find one with more hits, which must not displace it.
  let fixed: string | undefined;
  for (const group of numbers) {
    for (const word of ['Initiative', 'Unit', 'Organisation']) {
      for (const number of group) {
        const text = `${word} ${number}`;
        const [row] = await db.read(`CALL db.index.fulltext.queryNodes('entity_search', $lucene) YIELD node RETURN count(node) AS hits`, { lucene: luceneQuery(text) });
        const hits = (row?.hits as number) ?? 0;
        if (hits > 0 && hits <= SEARCH_POOL) found.push({ text, hits });
      }
    }
    if (fixed === undefined && found.some((f) => f.hits >= SEARCH_FIRST)) fixed = ranked()[0];
    if (found.filter((f) => f.hits >= SEARCH_FIRST).length >= n) break;
  }
  fixed ??= ranked()[0] ?? 'NATO';
  return [fixed, ...ranked().filter((t) => t !== fixed)].slice(0, n);
}

type Pair = { from: string; to: string };

/**
 * Unit-initiative pairs 3 to 4 hops apart with 2 to 20 shortest paths (else 2 hops and 1 to 20),
 * trying the last units and initiatives by id; n of them, or as many as the time budget finds.
 */
async function choosePaths(db: Db, n: number, log: (line: string) => void): Promise<Pair[]> {
  const candidates = Math.max(PATH_CANDIDATES, Math.ceil(Math.sqrt(n)) * 3);
  const tail = async (kind: string) =>
    ((await db.read(`MATCH (n:Entity) WHERE n.kind = $kind RETURN n.id AS id ORDER BY n.id DESC LIMIT $n`, { kind, n: candidates })).map((r) => r.id as string));
  const units = await tail('Unit');
  const initiatives = await tail('Initiative');
  const count = `CALL () { ${(CONNECTIONS[3] as string).replace('LIMIT $limit', '')} } RETURN max(size(rels)) AS length, count(*) AS paths`;
  const started = Date.now();
  const good: Pair[] = [];
  const fallback: Pair[] = [];
  search: for (const from of units) {
    for (const to of initiatives) {
      if (good.length >= n || Date.now() - started > PATH_BUDGET_MS) break search;
      const [row] = await db.read(count, { from, to, status: STATUS, asOf: null, includeUnknown: false, knownOn: null, domain: null }, 20_000);
      const length = (row?.length as number | null) ?? 0;
      const paths = (row?.paths as number) ?? 0;
      if (length >= 3 && paths >= 2 && paths <= 20) good.push({ from, to });
      else if (length >= 2 && paths >= 1 && paths <= 20) fallback.push({ from, to });
    }
  }
  const pairs = [...good, ...fallback].slice(0, n);
  if (pairs.length > 0) return pairs;
  log('targets: no unit-initiative pair 2 to 4 hops apart with at most 20 shortest paths; using lithuania-belgium');
  return [{ from: 'lithuania', to: 'belgium' }];
}

/** n items of a ranked list around position `at`: at itself first, then alternately after and before it. */
function around<T>(list: T[], at: number, n: number): T[] {
  const out: T[] = [];
  for (let step = 0; out.length < Math.min(n, list.length); step += 1) {
    const i = step % 2 === 0 ? at + step / 2 : at - (step + 1) / 2;
    if (i >= 0 && i < list.length) out.push(list[i] as T);
    if (step > 2 * list.length) break;
  }
  return out;
}

export async function chooseTargets(db: Db, log: (line: string) => void = () => {}): Promise<Targets> {
  return (await chooseTargetSets(db, 1, log))[0] as Targets;
}

/**
 * n target sets (n ≥ 1); the first is chooseTargets'. A rule with fewer candidates than n (a
 * small graph, the path budget) repeats its candidates in order.
 */
export async function chooseTargetSets(db: Db, n: number, log: (line: string) => void = () => {}): Promise<Targets[]> {
  const countries = await countriesByFacts(db);
  if (countries.length === 0) throw new Error('No countries in the graph: load a dataset first.');
  const entities = around(countries, Math.floor(countries.length * 0.1), n);
  const partnersOf = around(countries, Math.floor(countries.length / 2), n);
  const groupRows = await db.read(
    `MATCH (g:Entity)<-[r:PARTICIPATES_IN]-() WHERE g.kind IN ['Initiative', 'Organisation'] AND r.status IN $status
     WITH g, count(r) AS n ORDER BY n DESC, g.id LIMIT $limit RETURN g.id AS id`,
    { status: STATUS, limit: n },
  );
  const groups = groupRows.length > 0 ? groupRows.map((r) => r.id as string) : ['nato'];
  const texts = await searchTexts(db, n);
  const paths = await choosePaths(db, n, log);
  const pick = <T>(list: T[], i: number): T => list[i % list.length] as T;
  const sets: Targets[] = [];
  for (let i = 0; i < n; i += 1) {
    const path = pick(paths, i);
    sets.push({ entity: pick(entities, i), partnersOf: pick(partnersOf, i), group: pick(groups, i), searchText: pick(texts, i), pathFrom: path.from, pathTo: path.to });
  }
  if (n > 1) {
    log(
      `targets: ${n} sets from ${entities.length} entities, ${partnersOf.length} partner countries, ${groups.length} groups, ${texts.length} search texts, ${paths.length} path pairs`,
    );
  }
  return sets;
}
