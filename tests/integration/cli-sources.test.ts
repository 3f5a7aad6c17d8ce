/**
 * `dcg resolve` and `dcg unload` as an operator runs them: a child process on the test Neo4j,
 * its output and exit code. An unload either lands whole or changes nothing, and unloading a
 * source then loading it again gives back the same graph.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { seedFiles } from '../../src/app';
import type { Db } from '../../src/db/executor';
import { wipeGraph } from '../../src/db/schema';
import { loadFiles } from '../../src/ingest/load';
import { PROJECT_ROOT } from '../../src/paths';
import { graphDigest } from '../helpers/digest';
import { runDcg, spawnDcg, testDb } from '../helpers/graph';

const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures');
const SEED = seedFiles()[0]!;
const SEED_ID = 'lt-mod-2024-03-25-chod-belgium';
const FOLLOW_UP = path.join(FIXTURES, 'synthetic-2024-06-follow-up.yaml');
const FOLLOW_UP_ID = 'synthetic-2024-06-follow-up';
const SECOND = path.join(FIXTURES, 'synthetic-2024-06-second-follow-up.yaml');

let db: Db;
let tmp: string;

beforeAll(async () => {
  db = testDb();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-cli-sources-'));
});

afterAll(async () => {
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The second follow-up with one more entity, `kingdom-of-belgium`: the seed's Belgium under another id. */
function documentWithDuplicate(): string {
  const dir = path.join(tmp, 'duplicate');
  fs.mkdirSync(path.join(dir, 'sources'), { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, 'sources', 'synthetic-2024-06-second-follow-up.txt'), path.join(dir, 'sources', 'synthetic-2024-06-second-follow-up.txt'));
  const doc = YAML.parse(fs.readFileSync(SECOND, 'utf8')) as { entities: Array<Record<string, unknown>> };
  doc.entities.push({ id: 'kingdom-of-belgium', kind: 'Country', name: 'Kingdom of Belgium', aliases: ['Royaume de Belgique'] });
  const file = path.join(dir, 'synthetic-2024-06-second-follow-up.yaml');
  fs.writeFileSync(file, YAML.stringify(doc));
  return file;
}

describe('dcg resolve <document>', () => {
  beforeAll(async () => {
    await wipeGraph(db);
    await loadFiles(db, [SEED]);
  }, 120_000);

  it("lists each defined entity's possible matches in the graph, marking another id with ?", async () => {
    const run = await runDcg(['resolve', documentWithDuplicate()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'belgium:',
      '  = belgium (Country "Belgium"): same id, wikidata Q31, iso3166 BE, name "belgium"',
      'latvia: new',
      'kingdom-of-belgium:',
      '  ? belgium (Country "Belgium"): name "kingdom of belgium"',
      '3 entities, 1 possible duplicate(s) under another id.',
      '',
    ]);
  });

  it('writes nothing', async () => {
    const before = await graphDigest(db, { loadTimes: true });
    expect((await runDcg(['resolve', documentWithDuplicate()])).code).toBe(0);
    expect(await graphDigest(db, { loadTimes: true })).toBe(before);
  });

  it('refuses a document that is not valid, listing its problems, and exits 1', async () => {
    const run = await runDcg(['resolve', path.join(FIXTURES, 'broken.yaml')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^1 problem\(s\); nothing was written:\n.*broken\.yaml/);
  });

  it('says which graph did not answer, and exits 1', async () => {
    const run = await runDcg(['resolve', SECOND], { NEO4J_URI: 'bolt://127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('dcg: No graph answered at bolt://127.0.0.1:1: start one (dcg neo4j) or set NEO4J_URI.\n');
  });
});

describe('dcg unload <source-id>', () => {
  let loaded: string;

  beforeAll(async () => {
    await wipeGraph(db);
    await loadFiles(db, [SEED, SECOND]);
    loaded = await graphDigest(db);
  }, 120_000);

  it('removes the source, reports what went, and a reload gives back the same graph', async () => {
    const withoutFollowUp = await graphDigest(db);
    await loadFiles(db, [FOLLOW_UP]);
    const run = await runDcg(['unload', FOLLOW_UP_ID]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${FOLLOW_UP_ID} \\(source ${FOLLOW_UP_ID}\\) in \\d+ ms`));
    expect(lines).toContain('  removed:  5 claims, 5 evidence, 1 facts, 1 entities no source states any more');
    expect(lines.some((l) => /^graph: \d+ nodes, \d+ relationships$/.test(l))).toBe(true);
    expect(await graphDigest(db)).toBe(withoutFollowUp);
    expect(await db.read('MATCH (s:Source {id: $id}) RETURN s.id AS id', { id: FOLLOW_UP_ID })).toEqual([]);

    const reload = await runDcg(['load', FOLLOW_UP]);
    expect(reload.code).toBe(0);
    const again = await runDcg(['unload', FOLLOW_UP_ID]);
    expect(again.code).toBe(0);
    expect(await graphDigest(db)).toBe(withoutFollowUp);
    expect(withoutFollowUp).toBe(loaded);
  });

  it('unloads the seed and loads it again into the same graph', async () => {
    expect((await runDcg(['unload', SEED_ID])).code).toBe(0);
    expect(await graphDigest(db)).not.toBe(loaded);
    expect((await runDcg(['load', SEED])).code).toBe(0);
    expect(await graphDigest(db)).toBe(loaded);
  });

  it('refuses a source the graph does not have, naming it, exits 1 and writes nothing', async () => {
    const before = await graphDigest(db, { loadTimes: true });
    const run = await runDcg(['unload', 'no-such-source']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('1 problem(s); nothing was written:\nno-such-source: source: id = "no-such-source": is not a source in the graph\n');
    expect(await graphDigest(db, { loadTimes: true })).toBe(before);
  });

  it('changes nothing when its transaction fails part way, after it has removed claims and derived facts again', async () => {
    const before = await graphDigest(db, { loadTimes: true });
    // Another transaction holds the write lock on the seed's Source node; the unload gets as far
    // as removing the source's evidence (whose FROM_SOURCE edges end there) and waits for it.
    const session = db.driver.session();
    const holder = session.beginTransaction();
    try {
      await holder.run('MATCH (s:Source {id: $id}) SET s.lockedByTest = true', { id: SEED_ID });
      const { child, output } = spawnDcg(['unload', SEED_ID]);
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      const blocked = await waitFor(async () => {
        const rows = await db.read(
          `SHOW TRANSACTIONS YIELD transactionId, metaData, status
           WHERE metaData.app = 'dcg' AND status STARTS WITH 'Blocked'
           RETURN transactionId`,
        );
        return rows[0]?.transactionId as string | undefined;
      });
      await db.write('TERMINATE TRANSACTION $id', { id: blocked });
      expect(await exited).toBe(1);
      expect(output()).toMatch(/^dcg: .*terminated/im);
    } finally {
      await holder.rollback();
      await session.close();
    }
    expect(await graphDigest(db, { loadTimes: true })).toBe(before);
  });
});

/** Polls `probe` until it gives a value (a wait on a state, not on a time: the limit only stops a hang). */
async function waitFor<T>(probe: () => Promise<T | undefined>, limitMs = 60_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`the awaited state did not come within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
