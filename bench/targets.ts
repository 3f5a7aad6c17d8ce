/**
 * Chooses what the mix asks about from the loaded data, by fixed rules, so every scale gets
 * comparable questions and a rerun on the same data asks the same ones.
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
async function countriesByFacts(db: Db): Promise<string[]> {
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
async function chooseSearchText(db: Db): Promise<string> {
  let best = { text: 'NATO', hits: -1 };
  const numbers = [
    ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    ['10', '11', '12', '13', '14', '15', '16', '17', '18', '19'],
    ['100', '101', '102', '103', '104', '105', '106', '107', '108', '109'],
  ];
  for (const group of numbers) {
    for (const word of ['Initiative', 'Unit', 'Organisation']) {
      for (const number of group) {
        const text = `${word} ${number}`;
        const [row] = await db.read(`CALL db.index.fulltext.queryNodes('entity_search', $lucene) YIELD node RETURN count(node) AS hits`, { lucene: luceneQuery(text) });
        const hits = (row?.hits as number) ?? 0;
        if (hits <= SEARCH_POOL && hits > best.hits) best = { text, hits };
      }
    }
    if (best.hits >= SEARCH_FIRST) break;
  }
  return best.text;
}

async function choosePath(db: Db, log: (line: string) => void): Promise<{ from: string; to: string }> {
  const tail = async (kind: string) =>
    ((await db.read(`MATCH (n:Entity) WHERE n.kind = $kind RETURN n.id AS id ORDER BY n.id DESC LIMIT $n`, { kind, n: PATH_CANDIDATES })).map((r) => r.id as string));
  const units = await tail('Unit');
  const initiatives = await tail('Initiative');
  const count = `CALL () { ${(CONNECTIONS[3] as string).replace('LIMIT $limit', '')} } RETURN max(size(rels)) AS length, count(*) AS paths`;
  const started = Date.now();
  let fallback: { from: string; to: string } | null = null;
  for (const from of units) {
    for (const to of initiatives) {
      if (Date.now() - started > PATH_BUDGET_MS) break;
      const [row] = await db.read(count, { from, to, status: STATUS, asOf: null, includeUnknown: false, knownOn: null, domain: null }, 20_000);
      const length = (row?.length as number | null) ?? 0;
      const paths = (row?.paths as number) ?? 0;
      if (length >= 3 && paths >= 2 && paths <= 20) return { from, to };
      if (!fallback && length >= 2 && paths >= 1 && paths <= 20) fallback = { from, to };
    }
  }
  if (fallback) return fallback;
  log('targets: no unit-initiative pair 2 to 4 hops apart with at most 20 shortest paths; using lithuania-belgium');
  return { from: 'lithuania', to: 'belgium' };
}

export async function chooseTargets(db: Db, log: (line: string) => void = () => {}): Promise<Targets> {
  const countries = await countriesByFacts(db);
  if (countries.length === 0) throw new Error('No countries in the graph: load a dataset first.');
  const entity = countries[Math.floor(countries.length * 0.1)] as string;

  const partnersOf = countries[Math.floor(countries.length / 2)] as string;

  const [group] = await db.read(
    `MATCH (g:Entity)<-[r:PARTICIPATES_IN]-() WHERE g.kind IN ['Initiative', 'Organisation'] AND r.status IN $status
     WITH g, count(r) AS n ORDER BY n DESC, g.id LIMIT 1 RETURN g.id AS id`,
    { status: STATUS },
  );
  const searchText = await chooseSearchText(db);
  const path = await choosePath(db, log);
  return { entity, partnersOf, group: (group?.id as string) ?? 'nato', searchText, pathFrom: path.from, pathTo: path.to };
}
