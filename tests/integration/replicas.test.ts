/**
 * Two API replicas on one Neo4j, on two ports: `dcg serve` from the sources (bin/dcg.js, tsx)
 * and as `npm start` serves it (bin/serve.js, from dist/ built here with tsc). Each keeps its own response
 * cache keyed on the graph's version, which it polls every GRAPH_VERSION_POLL_MS, so a
 * `dcg load` is answered by both once each has polled; and since the replicas share nothing but
 * Neo4j, killing one while clients read from both costs the other nothing.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/neo4j/local';
import { PROJECT_ROOT } from '../../src/paths';
import { resetToSeed, spawnDcg, testDb } from '../helpers/graph';

const FOLLOW_UP = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'synthetic-2024-06-follow-up.yaml');
const POLL_MS = 250;
/** A bound on waiting for a replica to start or to see a load: only a hang reaches it. */
const PATIENCE_MS = 120_000;
const QUERY = '{ stats { sources } entity(id: "belgium") { facts(status: [ACTIVE, PLANNED]) { id status } } }';

interface Replica {
  child: ChildProcess;
  base: string;
  output: () => string;
}

/** npm start's build of dist/, without its codegen step (npm test has generated the types already). */
function buildDist(): void {
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed:\n${tsc.stdout}${tsc.stderr}`);
}

async function startReplica(script: 'dcg.js' | 'serve.js'): Promise<Replica> {
  const port = await freePort();
  const { child, output } = spawnDcg(script === 'dcg.js' ? ['serve'] : [], { PORT: String(port), HOST: '127.0.0.1', GRAPH_VERSION_POLL_MS: String(POLL_MS) }, script);
  const started = Date.now();
  while (!output().includes('GraphQL API ready')) {
    if (child.exitCode !== null || Date.now() - started > PATIENCE_MS) throw new Error(`dcg serve on port ${port} did not start:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, base: `http://127.0.0.1:${port}`, output };
}

async function ask(replica: Replica): Promise<{ sources: number; facts: Array<{ id: string; status: string }> }> {
  const response = await fetch(`${replica.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as { data?: { stats: { sources: number }; entity: { facts: Array<{ id: string; status: string }> } }; errors?: unknown[] };
  if (response.status !== 200 || body.errors || !body.data) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
  return { sources: body.data.stats.sources, facts: body.data.entity.facts };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

let replicas: Replica[] = [];

beforeAll(async () => {
  const db = testDb();
  await resetToSeed(db);
  await db.close();
  buildDist();
  replicas = [await startReplica('dcg.js'), await startReplica('serve.js')];
}, 300_000);

afterAll(async () => {
  for (const r of replicas) {
    if (r.child.exitCode === null && r.child.signalCode === null) {
      r.child.kill('SIGTERM');
      await exited(r.child);
    }
  }
});

describe('two replicas on one Neo4j', () => {
  it('both answer a dcg load once they have polled the graph version', async () => {
    // Twice each, so that both answer from their caches before the load.
    for (const r of replicas) {
      await ask(r);
      expect((await ask(r)).sources).toBe(1);
    }
    const before = (await ask(replicas[0] as Replica)).facts;

    const load = spawnDcg(['load', FOLLOW_UP]);
    const { code } = await exited(load.child);
    expect({ code, output: load.output() }).toMatchObject({ code: 0 });

    for (const r of replicas) {
      const started = Date.now();
      let answer = await ask(r);
      while (answer.sources !== 2 && Date.now() - started < PATIENCE_MS) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS / 5));
        answer = await ask(r);
      }
      expect(answer.sources).toBe(2);
      // The follow-up's news, not only its count: Belgium's facts changed.
      expect(answer.facts).not.toEqual(before);
    }
    // And the two agree.
    expect(await ask(replicas[1] as Replica)).toEqual(await ask(replicas[0] as Replica));
  });

  it('killing one under load costs the other nothing', async () => {
    const [victim, survivor] = replicas as [Replica, Replica];
    const survivorFailures: string[] = [];
    let survivorAnswers = 0;
    let killed = false;
    let answersAfterKill = 0;
    const readSurvivor = async () => {
      while (!killed || answersAfterKill < 100) {
        try {
          await ask(survivor);
          survivorAnswers += 1;
          if (killed) answersAfterKill += 1;
        } catch (error) {
          survivorFailures.push((error as Error).message);
          if (survivorFailures.length > 20) return;
        }
      }
    };
    // The victim is read too, so that it dies with requests in flight; its failures are expected.
    const readVictim = async () => {
      while (!killed) await ask(victim).catch(() => {});
    };
    const readers = [...Array.from({ length: 3 }, readSurvivor), ...Array.from({ length: 2 }, readVictim)];
    while (survivorAnswers < 50 && survivorFailures.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    victim.child.kill('SIGKILL');
    killed = true;
    expect((await exited(victim.child)).signal).toBe('SIGKILL');
    await Promise.all(readers);
    expect(survivorFailures).toEqual([]);
    expect(answersAfterKill).toBeGreaterThanOrEqual(100);
  });
});
