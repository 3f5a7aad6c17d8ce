/**
 * The local Neo4j never outlives the Node process that started it, even one killed with SIGKILL.
 * Runs only where the tests' Neo4j is the local launcher (Java present, no NEO4J_TEST_URI/Docker).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/neo4j/local';

const local = process.env.DCG_TEST_NEO4J_ORIGIN === 'local';
const maybe = local ? it : it.skip;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}

describe('local Neo4j launcher', () => {
  maybe('exits when its parent is killed with SIGKILL', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-orphan-'));
    const port = await freePort();
    const script = `
      require('tsx/cjs');
      const { startLocal } = require(${JSON.stringify(path.resolve(__dirname, '../../src/neo4j/local.ts'))});
      startLocal({ port: ${port}, dataDir: ${JSON.stringify(dataDir)}, heapMb: 256, pageCacheMb: 32, log: () => {} })
        .then(() => console.log('READY'));`;
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      parent.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('READY') && resolve());
      parent.once('exit', (code) => reject(new Error(`launcher parent exited early (${code})`)));
    });
    const children = fs.readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    const jvm = children.find((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dcg.LocalNeo4j'));
    expect(jvm).toBeDefined();
    parent.kill('SIGKILL');
    expect(await until(() => !alive(jvm as number), 30_000)).toBe(true);
    fs.rmSync(dataDir, { recursive: true, force: true });
    // A Neo4j start may take up to the launcher's own ready timeout (180 s) on a busy machine,
    // and the JVM up to 30 s to notice its parent is gone: the test waits as long as they do.
  }, 240_000);
});
