/**
 * A load killed with SIGKILL at any point leaves no half-written document, and a rerun ends
 * with exactly the graph a clean load makes. Each document is one write transaction: Neo4j
 * rolls back the one in flight, and MERGE on ids makes the rerun converge.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { Db } from '../../src/db/executor';
import { graphTotals, wipeGraph } from '../../src/db/schema';
import { loadFiles } from '../../src/ingest/load';
import { generate, writeGenerated } from '../../scripts/gen';
import { spawnDcg, testDb } from '../helpers/graph';

let db: Db;
let files: string[];
let dir: string;

/** A whole-graph read of four large documents: allowed more than an API query's timeout. */
const DUMP_TIMEOUT_MS = 150_000;

/** A node's identity: its id, or for a claim (which has none) its fact and source. */
const KEY = (n: string) => `coalesce(${n}.id, ${n}.fact + '|' + ${n}.source)`;

/** Every node's labels and properties and every relationship's type, ends and properties, sorted. */
async function dump(database: Db): Promise<string> {
  const nodes = await database.read(
    `MATCH (n) WITH n ORDER BY n.id, n.fact, n.source RETURN collect([labels(n), properties(n)]) AS nodes`,
    {},
    DUMP_TIMEOUT_MS,
  );
  const rels = await database.read(
    `MATCH (a)-[r]->(b) WITH ${KEY('a')} + ' ' + type(r) + ' ' + ${KEY('b')} AS key, properties(r) AS props
     ORDER BY key, props.factId RETURN collect([key, props]) AS rels`,
    {},
    DUMP_TIMEOUT_MS,
  );
  // A source's loadedAt and loadStamp say when it was loaded, not what the graph holds.
  return JSON.stringify([nodes[0]?.nodes, rels[0]?.rels], (k, v) =>
    k === 'loadedAt' || k === 'loadStamp' ? undefined : typeof v === 'object' && v !== null && 'year' in v && 'month' in v ? String(v) : v,
  );
}

/** Resolves once `count` sources are committed (the kill then lands inside a later document). */
async function sourcesCommitted(count: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await db.read('MATCH (s:Source) RETURN count(s) AS n');
    if ((row?.n as number) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${count} source(s) committed within ${timeoutMs} ms`);
}

type Kill = { afterMs: number } | { afterSources: number } | null;

function runLoad(kill: Kill): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const { child, output } = spawnDcg(['load', ...files]);
    const timer = kill && 'afterMs' in kill ? setTimeout(() => child.kill('SIGKILL'), kill.afterMs) : undefined;
    if (kill && 'afterSources' in kill) void sourcesCommitted(kill.afterSources).then(() => child.kill('SIGKILL'));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output: output() });
    });
  });
}

beforeAll(async () => {
  db = testDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-atomic-'));
  // Four documents of 2,000 facts each: big enough that a kill lands inside one.
  files = writeGenerated(generate('medium', 7), dir);
});

afterAll(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a load killed with SIGKILL', () => {
  it('leaves whole documents only, and a rerun ends with the clean load’s graph', async () => {
    await wipeGraph(db);
    await loadFiles(db, files);
    const clean = await dump(db);
    const cleanTotals = await graphTotals(db);

    // Early (while connecting or inside the first document), and just after the first commit.
    const kills: Kill[] = [{ afterMs: 1500 + Math.floor(Math.random() * 3000) }, { afterSources: 1 }];
    for (const kill of kills) {
      await wipeGraph(db);
      const killed = await runLoad(kill);
      if (kill && 'afterSources' in kill) {
        expect(killed.signal).toBe('SIGKILL');
        const [landed] = await db.read('MATCH (f:Fact) RETURN count(f) AS facts');
        expect(landed?.facts).toBeGreaterThan(0);
        expect(landed?.facts).toBeLessThan(8000); // a partial load really happened
      }
      if (killed.signal === 'SIGKILL') {
        // Whatever landed is whole documents: every fact has its evidence and its direct edge.
        const [row] = await db.read(
          `MATCH (f:Fact) OPTIONAL MATCH (f)-[:EVIDENCED_BY]->(e:Evidence)
           WITH f, count(e) AS evidence
           OPTIONAL MATCH (f)-[:SUBJECT]->(s)-[r]->(o)<-[:OBJECT]-(f) WHERE r.factId = f.id
           WITH f, evidence, count(r) AS edges
           RETURN count(f) AS facts, sum(CASE WHEN evidence = 0 OR edges <> 1 THEN 1 ELSE 0 END) AS broken`,
        );
        expect(row?.broken).toBe(0);
        expect((row?.facts as number) % 2000).toBe(0); // each document holds 2,000 facts: whole ones only
      } else {
        expect(killed.code).toBe(0); // finished before the kill
      }
      const rerun = await runLoad(null);
      if (rerun.code !== 0) throw new Error(rerun.output);
      expect(rerun.code).toBe(0);
      expect(await graphTotals(db)).toEqual(cleanTotals);
      expect(await dump(db)).toBe(clean);
    }
  }, 300_000);
});
