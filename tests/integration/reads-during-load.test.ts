/**
 * Reads during loads: while `dcg load` (a child process) writes a follow-up and two synthetic
 * documents, the API serving over HTTP is read without pause by several clients. Every answer
 * must be the graph as it was between two documents' transactions (each document lands whole),
 * never a mixture, and no request may fail.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { wipeGraph } from '../../src/db/schema';
import { loadSeed } from '../../src/app';
import { loadFiles } from '../../src/ingest/load';
import { PROJECT_ROOT } from '../../src/paths';
import { generate, writeGenerated } from '../../scripts/gen';
import { spawnDcg, startSeededServer, type SeededServer } from '../helpers/graph';

const FOLLOW_UP = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'synthetic-2024-06-follow-up.yaml');
// What a reader sees of the documents loaded: counts over the whole graph and one entity's facts.
const QUERY = `{
  stats { sources evidence factsByStatus { key count } }
  entity(id: "belgium") { facts(status: [ACTIVE, PLANNED]) { id status validity { inForceFrom } } }
}`;

let seeded: SeededServer;
let tmp: string;
let files: string[];

beforeAll(async () => {
  seeded = await startSeededServer();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-reads-during-load-'));
  files = [FOLLOW_UP, ...writeGenerated(generate('tiny', 7), tmp)];
}, 180_000);

afterAll(async () => {
  await seeded.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function ask(): Promise<{ status: number; body: string }> {
  const response = await fetch(`${seeded.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY }),
  });
  return { status: response.status, body: await response.text() };
}

function runLoad(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const { child, output } = spawnDcg(['load', ...files]);
    child.on('exit', (code) => resolve({ code, output: output() }));
  });
}

describe('reads while dcg load runs', () => {
  it('see only whole documents, and none fails', async () => {
    const answers: Array<{ status: number; body: string }> = [];
    let loading = true;
    const readers = Array.from({ length: 4 }, async () => {
      while (loading) answers.push(await ask());
    });
    const load = await runLoad();
    loading = false;
    await Promise.all(readers);
    expect(load.output).not.toMatch(/problem|dcg:/);
    expect(load.code).toBe(0);

    // The graph after each document's transaction, in the order the load commits them.
    const states = new Set<string>();
    await wipeGraph(seeded.db);
    await loadSeed(seeded.db);
    // Past the response cache's poll of the graph version, so that each answer is of the new graph.
    const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));
    await settle();
    states.add((await ask()).body);
    for (const file of files) {
      await loadFiles(seeded.db, [file]);
      await settle();
      states.add((await ask()).body);
    }
    expect(states.size).toBe(files.length + 1);

    expect(answers.length).toBeGreaterThan(files.length);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const unexpected = answers.filter((a) => !states.has(a.body));
    expect(unexpected).toEqual([]);
  }, 300_000);
});
