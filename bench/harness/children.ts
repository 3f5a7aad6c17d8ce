/**
 * A server as a child process, so that its memory and CPU are its own: `dcg serve` or a bench
 * server, pointed at a Neo4j, on 127.0.0.1 and a port of the caller's, in production mode. It
 * is waited for until ready, and stopped with SIGTERM (SIGKILL if it does not exit in time).
 * Children still running when this process exits are killed, so none outlives a failed run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import type { Neo4jConnection } from './neo4j';

const STOP_WITHIN_MS = 15_000;
const HEALTH_EVERY_MS = 250;

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

let built = false;

/** Builds dist/ as `npm start` does before it serves (`npm run build`), once per process. */
function buildServer(): void {
  if (built) return;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build', '--silent'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 300_000 });
  if (build.status !== 0) throw new Error(`npm run build failed (${build.status ?? build.signal}):\n${build.stdout}${build.stderr}`);
  built = true;
}

/** The Node flags `npm start` gives bin/serve.js, read from package.json's start script. */
export function startFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const flags = /\bnode((?: --\S+)*) bin\/serve\.js\b/.exec(pkg.scripts.start);
  if (!flags) throw new Error(`package.json's start script does not run bin/serve.js: ${pkg.scripts.start}`);
  return (flags[1] ?? '').trim().split(' ').filter(Boolean);
}

/**
 * Node's arguments for the server as `npm start` serves it (bin/serve.js: `dcg serve` from the
 * compiled dist/, built first, with the start script's Node flags), after `nodeFlags` of the
 * caller's (e.g. `--trace-gc`).
 */
export function serveArgs(...nodeFlags: string[]): string[] {
  buildServer();
  return [...startFlags(), ...nodeFlags, path.join(PROJECT_ROOT, 'bin', 'serve.js')];
}

export interface SpawnServerOptions {
  /** For messages: 'dcg serve', 'peer', … */
  name: string;
  /** Node's arguments: its flags, then the script and the script's arguments. */
  args: string[];
  port: number;
  neo4j: Neo4jConnection;
  /** Added to (and overriding) this process's environment and the connection's variables. */
  env?: Record<string, string>;
  /**
   * Where the child's output goes: appended to this file (the child writes it directly, as relaying
   * it through this process would cost the harness CPU and could block the server); without
   * one, its stdout is dropped and its stderr is this process's.
   */
  logFile?: string;
  /**
   * How it shows it is ready: a line on its stdout matching this pattern (that stdout is then
   * relayed to logFile), or 'health': GET /health/ready answers 200.
   */
  ready: RegExp | 'health';
  readyWithinMs: number;
}

export interface ServerChild {
  name: string;
  pid: number;
  /** http://127.0.0.1:<port> */
  base: string;
  logFile: string | undefined;
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<number | string | null>;
  isRunning(): boolean;
  /** Sends a signal without waiting. */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `withinMs`; resolves with the exit code or signal, or 'killed after N s'. */
  stop(withinMs?: number): Promise<number | string | null>;
}

export async function spawnServer(options: SpawnServerOptions): Promise<ServerChild> {
  const { name, port, neo4j, logFile } = options;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEO4J_URI: neo4j.uri,
    NEO4J_USER: neo4j.user,
    NEO4J_PASSWORD: neo4j.password,
    NEO4J_DATABASE: neo4j.database ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    ...options.env,
  };
  const fd = logFile === undefined ? undefined : fs.openSync(logFile, 'a');
  const stdout = options.ready instanceof RegExp ? 'pipe' : (fd ?? 'ignore');
  const child = spawn(process.execPath, options.args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', stdout, fd ?? 'inherit'] });
  if (fd !== undefined) fs.closeSync(fd);
  running.add(child);
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal);
    }),
  );
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  const stop = async (withinMs = STOP_WITHIN_MS): Promise<number | string | null> => {
    if (!isRunning()) return exited;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), withinMs)));
    const result = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (result !== 'late') return result;
    child.kill('SIGKILL');
    await exited;
    return `killed after ${withinMs / 1000} s`;
  };
  const base = `http://127.0.0.1:${port}`;
  const where = logFile ? `; see ${logFile}` : '';
  try {
    await (options.ready instanceof RegExp ? readyLine(child, options.ready, logFile) : readyHealth(base, isRunning));
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, pid: child.pid as number, base, logFile, exited, isRunning, kill: (signal) => child.kill(signal), stop };

  function readyLine(proc: ChildProcess, pattern: RegExp, file: string | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let seen = '';
      let done = false;
      const timer = setTimeout(() => reject(new Error(`${name} did not start within ${options.readyWithinMs / 1000} s${where}`)), options.readyWithinMs);
      proc.stdout?.on('data', (chunk: Buffer) => {
        if (file) fs.appendFileSync(file, chunk);
        if (done) return;
        seen += chunk.toString('utf8');
        if (pattern.test(seen)) {
          done = true;
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        const tail = file && fs.existsSync(file) ? `:\n${fs.readFileSync(file, 'utf8').slice(-2000)}` : '';
        reject(new Error(`${name} exited (code ${code}, signal ${signal}) before it was ready${where}${tail}`));
      });
    });
  }

  async function readyHealth(url: string, alive: () => boolean): Promise<void> {
    const deadline = Date.now() + options.readyWithinMs;
    while (Date.now() < deadline) {
      if (!alive()) {
        const tail = logFile && fs.existsSync(logFile) ? `:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}` : '';
        throw new Error(`${name} exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready${where}${tail}`);
      }
      try {
        const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, HEALTH_EVERY_MS));
    }
    throw new Error(`${name} was not ready within ${options.readyWithinMs / 1000} s${where}`);
  }
}
