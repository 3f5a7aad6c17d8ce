/**
 * The three servers as child processes (so each one's memory is its own), their resident memory
 * read from /proc/<pid>/status, and a clean stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/paths';
import type { ServerName } from './check';

const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 15_000;

export interface Neo4jConnection {
  uri: string;
  user: string;
  password: string;
  database: string | undefined;
}

export interface ChildServer {
  name: ServerName;
  pid: number;
  /** Where it answers: /graphql for ours, / for the peer, /<query> under it for the floor. */
  url: string;
  /** Base URL, for ours' /metrics. */
  base: string;
  logFile: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// If the harness dies, its servers do not outlive it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function command(name: ServerName): string[] {
  if (name === 'ours') return [path.join(PROJECT_ROOT, 'bin', 'dcg.js'), 'serve'];
  return ['-r', 'tsx/cjs', path.join(PROJECT_ROOT, 'bench', `${name}.ts`)];
}

export async function startChild(name: ServerName, port: number, neo4j: Neo4jConnection, logDir: string, extraEnv: Record<string, string> = {}): Promise<ChildServer> {
  const logFile = path.join(logDir, `${name}.log`);
  // The child writes its log (our API: one pino line per request on stderr) straight to the file:
  // relaying it through this process would cost the harness CPU and could block the server.
  const logFd = fs.openSync(logFile, 'a');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEO4J_URI: neo4j.uri,
    NEO4J_USER: neo4j.user,
    NEO4J_PASSWORD: neo4j.password,
    NEO4J_DATABASE: neo4j.database ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    ...extraEnv,
  };
  const child = spawn(process.execPath, command(name), { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', logFd] });
  fs.closeSync(logFd);
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));

  const ready = new Promise<void>((resolve, reject) => {
    let seen = '';
    let done = false;
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`)), READY_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      fs.appendFileSync(logFile, chunk);
      if (done) return;
      seen += chunk.toString('utf8');
      if (/^ready |GraphQL API ready at /m.test(seen)) {
        done = true;
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`));
    });
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  const base = `http://127.0.0.1:${port}`;
  const url = name === 'ours' ? `${base}/graphql` : `${base}/`;
  return { name, pid: child.pid as number, url, base, logFile, stop };
}

/** Resident memory of a process in MB (VmRSS), or null if it is gone. */
export function rssMb(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the largest. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number | null } {
  let max: number | null = rssMb(pid);
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now !== null && (max === null || now > max)) max = now;
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      const now = rssMb(pid);
      if (now !== null && (max === null || now > max)) max = now;
      return max;
    },
  };
}

/** CPU time a process has used, in clock ticks (utime + stime of /proc/<pid>/stat), or null. */
function cpuTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

const TICKS_PER_SECOND = 100;

/**
 * Waits until the given processes together use under `maxCores` of a core over two windows in
 * a row, at most `maxMs`: requests the load generator gave up on (at the end of a warm-up or a
 * timed run) may still be running in the server or in Neo4j, and must not weigh on the next run.
 * Returns the ms waited, or null when it gave up.
 */
export async function waitIdle(pids: number[], maxMs = 60_000, maxCores = 0.1, windowMs = 500): Promise<number | null> {
  const started = Date.now();
  let quiet = 0;
  while (Date.now() - started < maxMs) {
    const before = pids.map(cpuTicks);
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = pids.map(cpuTicks);
    const used = after.reduce((sum: number, t, i) => sum + (t !== null && before[i] !== null ? t - (before[i] as number) : 0), 0);
    const cores = used / TICKS_PER_SECOND / (windowMs / 1000);
    quiet = cores < maxCores ? quiet + 1 : 0;
    if (quiet >= 2) return Date.now() - started;
  }
  return null;
}

/** The local Neo4j's JVM (started by src/neo4j/local.ts with this data folder), if there is one. */
export function findNeo4jPid(dataDir: string): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes('dcg.LocalNeo4j') && cmdline.includes(dataDir)) return Number(entry);
    } catch {
      // gone, or not ours to read
    }
  }
  return null;
}
