/**
 * A local Neo4j Community, embedded in a small JVM launcher (neo4j-launcher/) built from Maven
 * Central jars. The first start builds it (visible Maven progress); later starts reuse it.
 * The JVM exits when this process closes its standard input, so it never outlives us.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { config } from '../config';
import { boltProbe } from '../db/executor';
import { LAUNCHER_DIR } from '../paths';
import type { Neo4jTarget } from './index';

const TARGET = path.join(LAUNCHER_DIR, 'target');
const BUILT_STAMP = path.join(TARGET, 'dcg-built.txt');
const READY_TIMEOUT_MS = 180_000;
const NEO4J_VERSION = '5.26';
const STOP_TIMEOUT_MS = 30_000;

export interface LocalOptions {
  port: number;
  dataDir: string;
  heapMb: number;
  pageCacheMb: number;
  log: (line: string) => void;
}

function javaCommand(): string {
  const home = config().JAVA_HOME;
  return home ? path.join(home, 'bin', 'java') : 'java';
}

export function javaAvailable(): boolean {
  const result = spawnSync(javaCommand(), ['-version'], { stdio: 'ignore' });
  return result.status === 0;
}

/** What the launcher is built from; a change to either rebuilds it. */
function launcherFingerprint(): string {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(path.join(LAUNCHER_DIR, 'pom.xml')));
  hash.update(fs.readFileSync(path.join(LAUNCHER_DIR, 'src/main/java/dcg/LocalNeo4j.java')));
  return hash.digest('hex');
}

function mavenCommand(): string {
  const probe = spawnSync('mvn', ['-v'], { stdio: 'ignore' });
  if (probe.status === 0) return 'mvn';
  return path.join(LAUNCHER_DIR, process.platform === 'win32' ? 'mvnw.cmd' : 'mvnw');
}

/**
 * Builds the launcher and fetches its jars, once. Progress is one line per 25 artifacts (a
 * counter on a terminal); Maven's full output is shown only if the build fails.
 */
export async function ensureLauncherBuilt(log: (line: string) => void): Promise<void> {
  const fingerprint = launcherFingerprint();
  if (fs.existsSync(BUILT_STAMP) && fs.readFileSync(BUILT_STAMP, 'utf8') === fingerprint) return;
  const maven = mavenCommand();
  log(`neo4j: building the local Neo4j Community ${NEO4J_VERSION} launcher with ${maven} (jars come from Maven Central on first use)`);
  const started = Date.now();
  const output: string[] = [];
  let fetched = 0;
  const tty = process.stderr.isTTY;
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(maven, ['-B', 'package', '-DskipTests'], { cwd: LAUNCHER_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    child.once('error', reject);
    const onLine = (line: string) => {
      output.push(line);
      if (output.length > 200) output.shift();
      if (!line.includes('Downloaded from')) return;
      fetched += 1;
      if (tty) process.stderr.write(`\r  fetched ${fetched} files`);
      else if (fetched % 25 === 0) log(`  fetched ${fetched} files`);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.once('close', resolve);
  });
  if (tty) process.stderr.write('\n');
  if (code !== 0) {
    process.stderr.write(`${output.slice(-60).join('\n')}\n`);
    throw new Error(
      `Building the local Neo4j launcher failed (${maven} -B package in ${LAUNCHER_DIR}, exit ${code}). ` +
        'It needs Maven Central; see the output above.',
    );
  }
  fs.writeFileSync(BUILT_STAMP, fingerprint);
  log(`neo4j: launcher built in ${((Date.now() - started) / 1000).toFixed(1)} s (${fetched} files fetched)`);
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nobody listens on now, for tests. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitForBolt(uri: string, child: ChildProcess, logFile: string): Promise<void> {
  const probe = boltProbe(uri, 'neo4j', '');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`The local Neo4j exited before it was ready (code ${child.exitCode}). Log ${logFile}:\n${tail(logFile)}`);
      }
      try {
        await probe.check();
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`The local Neo4j did not answer on ${uri} within ${READY_TIMEOUT_MS / 1000} s: ${String(error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await probe.close();
  }
}

export async function startLocal(options: LocalOptions): Promise<Neo4jTarget> {
  const { port, dataDir, heapMb, pageCacheMb, log } = options;
  await ensureLauncherBuilt(log);
  if (!(await portIsFree(port))) {
    throw new Error(
      `Port ${port} on 127.0.0.1 is in use, so a local Neo4j cannot listen there. ` +
        'Stop what uses it, set NEO4J_LOCAL_PORT to another port, or set NEO4J_URI to use that server.',
    );
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(dataDir, 'launcher.log');
  const logFd = fs.openSync(logFile, 'a');
  const txTimeoutSeconds = Math.ceil((config().NEO4J_QUERY_TIMEOUT_MS * 6) / 1000);
  const classpath = [path.join(TARGET, 'classes'), path.join(TARGET, 'lib', '*')].join(path.delimiter);
  const started = Date.now();
  const child = spawn(
    javaCommand(),
    [
      `-Xmx${heapMb}m`,
      '-XX:+UseG1GC',
      '-XX:+ExitOnOutOfMemoryError',
      '-cp',
      classpath,
      'dcg.LocalNeo4j',
      dataDir,
      String(port),
      String(pageCacheMb),
      String(txTimeoutSeconds),
    ],
    { stdio: ['pipe', logFd, logFd] },
  );
  fs.closeSync(logFd);
  // Closing stdin is how the JVM learns we are gone; an EPIPE after it exits is expected.
  child.stdin?.on('error', () => {});
  const uri = `bolt://127.0.0.1:${port}`;
  try {
    await waitForBolt(uri, child, logFile);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  log(`neo4j: local Neo4j Community ready at ${uri} in ${((Date.now() - started) / 1000).toFixed(1)} s (data ${dataDir})`);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.stdin?.end();
    });
    return stopping;
  };
  return { uri, user: 'neo4j', password: '', database: undefined, origin: 'local', stop };
}
