/**
 * Database faults, measured (`npm run faults`): starts a local Neo4j on a free port with a temp
 * data folder, seeds it, serves the API in this process, and runs a bounded read load against
 * 127.0.0.1. Then it stops Neo4j mid-load and checks that the API stays up, /health/live says
 * 200, /health/ready says 503, and every request fails within 5 s with SERVICE_UNAVAILABLE;
 * restarts Neo4j on the same port and data, and checks that errors stop within 30 s without
 * restarting the API. Last, it runs `dcg serve` as a child process under load and sends it
 * SIGTERM: requests already sent are answered, and it exits 0. Prints the figures; exits 1 if a
 * check fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { connectDb, freePort, median, openNeo4j, serveArgs, spawnServer, type Neo4jConnection, type Neo4jHandle } from '../bench/harness';
import { loadSeed } from '../src/app';
import { config, configured } from '../src/config';
import type { Db } from '../src/db/executor';
import type { Logger } from '../src/logger';
import { startServer, type RunningServer } from '../src/server';

const WORKERS = 8;
const PAUSE_MS = 25;
const MAX_REQUESTS = 20_000;
const CLIENT_TIMEOUT_MS = 15_000;
const BASELINE_MS = 5_000;
const OUTAGE_MS = 15_000;
const FAIL_WITHIN_MS = 5_000;
const RECOVER_WITHIN_MS = 30_000;
const STEADY_MS = 5_000;
const SIGTERM_EXIT_WITHIN_MS = 15_000;

/** `npm run faults -- --trace` also prints every request's start, duration and answer. */
const TRACE = process.argv.slice(2).includes('--trace');

const QUERIES = [
  'query Partners { partners(of: "lithuania") { partner { name } links { kind facts { id } } } }',
  'query Search { search(text: "CRRT") { score entity { id name } } }',
  'query Entity { entity(id: "belgium") { name facts { type object { name } } } }',
  'query Timeline { timeline(entity: "belgium") { moment date { text } fact { id } } }',
];

interface Sample {
  started: number;
  ended: number;
  status: number;
  codes: string[];
  /** Answered from the response cache (an `age` header): the graph as last read, no Neo4j needed. */
  cached: boolean;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

let unhandledRejections = 0;
let uncaughtExceptions = 0;
process.on('unhandledRejection', (reason) => {
  unhandledRejections += 1;
  log(`unhandled rejection: ${String(reason)}`);
});
process.on('uncaughtException', (error) => {
  uncaughtExceptions += 1;
  log(`uncaught exception: ${String(error)}`);
});

const checks: Array<{ name: string; ok: boolean; detail: string }> = [];
function check(name: string, ok: boolean, detail = ''): void {
  checks.push({ name, ok, detail });
  log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
}

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) })).status;
  } catch {
    return 0;
  }
}

/** Polls until `test` holds or `withinMs` passes; returns the ms it took, or null. */
async function until(test: () => Promise<boolean>, withinMs: number): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if (await test()) return Date.now() - started;
    await sleep(100);
  }
  return null;
}

class Load {
  readonly samples: Sample[] = [];
  private running = true;
  private workers: Promise<void>[] = [];

  constructor(private readonly url: string) {}

  start(): void {
    this.workers = Array.from({ length: WORKERS }, (_, i) => this.worker(i));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async worker(index: number): Promise<void> {
    let n = index;
    while (this.running && this.samples.length < MAX_REQUESTS) {
      const query = QUERIES[n++ % QUERIES.length] as string;
      const started = Date.now();
      let sample: Sample;
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
          signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
        });
        const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
        sample = { started, ended: Date.now(), status: response.status, codes: (body.errors ?? []).map((e) => e.extensions?.code ?? '(none)'), cached: response.headers.get('age') !== null };
      } catch (error) {
        sample = { started, ended: Date.now(), status: 0, codes: [(error as Error).name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : 'CONNECTION_FAILED'], cached: false };
      }
      this.samples.push(sample);
      await sleep(PAUSE_MS);
    }
  }
}

function byCode(samples: Sample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of samples) {
    const key = s.codes.length === 0 ? 'ok' : [...new Set(s.codes)].join('+');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const failed = (s: Sample) => s.codes.length > 0 || s.status !== 200;

async function main(): Promise<void> {
  // Quieter than the product's default: the figures are the output; LOG_LEVEL still decides when set.
  const logger = pino({ level: configured('LOG_LEVEL') ? config().LOG_LEVEL : 'warn' }, pino.destination(2)) as unknown as Logger;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-faults-'));
  let neo4j: Neo4jHandle | undefined;
  let server: RunningServer | undefined;
  let db: Db | undefined;
  try {
    // Always a local Neo4j, even with NEO4J_URI: it is stopped and restarted mid-run.
    neo4j = await openNeo4j({ dataDir, log, allowExternal: false, heapMb: 512, pageCacheMb: 64 });
    const target = neo4j.connection;
    db = connectDb(target, { poolSize: 50, queryTimeoutMs: 10_000, logger });
    await loadSeed(db);
    server = await startServer({ db, logger, production: true, host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${server.port}`;
    log(`API at ${base}/graphql, Neo4j at ${target.uri}; ${WORKERS} clients, ${PAUSE_MS} ms between requests each`);

    // Warm up: the first run of each query on a cold JVM is planned and compiled, which can take seconds.
    for (let round = 0; round < 3; round++) {
      for (const query of QUERIES) {
        await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      }
    }

    const load = new Load(`${base}/graphql`);
    load.start();

    // 1. Baseline.
    await sleep(BASELINE_MS);
    const baseline = load.samples.slice();
    check('baseline: every request answers without error', baseline.length > 0 && baseline.every((s) => !failed(s)), `${baseline.length} requests, ${JSON.stringify(byCode(baseline))}`);

    // 2. Stop Neo4j mid-load.
    const stopStarted = Date.now();
    log('stopping Neo4j …');
    await neo4j.stop();
    const stopped = Date.now();
    log(`Neo4j stopped in ${seconds(stopped - stopStarted)}`);
    const readyDown = await until(async () => (await status(`${base}/health/ready`)) === 503, 10_000);
    const detectReady = readyDown === null ? null : Date.now() - stopStarted;
    check('/health/ready says 503 while Neo4j is down', readyDown !== null, detectReady === null ? 'never' : `after ${seconds(detectReady)} from the stop`);
    check('/health/live says 200 while Neo4j is down', (await status(`${base}/health/live`)) === 200);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stopped)));
    const outageEnd = Date.now();
    const duringStop = load.samples.filter((s) => s.ended >= stopStarted && s.started < stopped);
    const outage = load.samples.filter((s) => s.started >= stopped && s.ended <= outageEnd);
    const slowest = Math.max(0, ...outage.map((s) => s.ended - s.started));
    const firstUnavailable = load.samples.find((s) => s.ended >= stopStarted && s.codes.includes('SERVICE_UNAVAILABLE'));
    const detect = firstUnavailable ? firstUnavailable.ended - stopStarted : null;
    // Until the API's poll of the graph version fails (src/cache.ts), a repeated question may
    // still be answered from the response cache; anything else must fail, and say why.
    const outageCached = outage.filter((s) => s.cached && s.codes.length === 0);
    check(
      'during the outage every request fails with SERVICE_UNAVAILABLE, unless answered from the response cache',
      outage.some((s) => s.codes.includes('SERVICE_UNAVAILABLE')) &&
        outage.every((s) => (s.cached && s.codes.length === 0) || (s.status === 200 && s.codes.length > 0 && s.codes.every((c) => c === 'SERVICE_UNAVAILABLE'))),
      `${outage.length} requests, ${JSON.stringify(byCode(outage))}, ${outageCached.length} from the cache, the last ${outageCached.length ? seconds(Math.max(...outageCached.map((s) => s.ended)) - stopped) : '-'} after the stop`,
    );
    check(`during the outage every request fails within ${FAIL_WITHIN_MS / 1000} s`, outage.length > 0 && slowest < FAIL_WITHIN_MS, `slowest ${seconds(slowest)}`);
    check('requests in flight while Neo4j stopped end with an answer or SERVICE_UNAVAILABLE', duringStop.every((s) => s.status === 200 && s.codes.every((c) => c === 'SERVICE_UNAVAILABLE')), `${duringStop.length} requests, ${JSON.stringify(byCode(duringStop))}`);

    // 3. Restart Neo4j on the same port and data; the API is not restarted.
    log('restarting Neo4j on the same port and data …');
    const restartStarted = Date.now();
    await neo4j.restart();
    const restarted = Date.now();
    log(`Neo4j back in ${seconds(restarted - restartStarted)}`);
    // Recovered: no request has failed for STEADY_MS, and some have succeeded since the last failure.
    const lastFailureEnd = () => load.samples.filter((s) => s.ended >= restarted && failed(s)).reduce((t, s) => Math.max(t, s.ended), restarted);
    const recovered = await until(async () => {
      const since = lastFailureEnd();
      return Date.now() - since >= STEADY_MS && load.samples.some((s) => s.started > since && !failed(s));
    }, RECOVER_WITHIN_MS + STEADY_MS);
    const recoverMs = lastFailureEnd() - restarted;
    const firstOk = load.samples.filter((s) => s.ended >= restarted && !failed(s)).reduce((t, s) => Math.min(t, s.ended), Infinity);
    const longest = (list: Sample[]) => Math.max(0, ...list.map((s) => s.ended - s.started));
    const afterRestart = load.samples.filter((s) => s.ended >= restarted);
    const slowAfter = afterRestart.filter((s) => s.ended - s.started > FAIL_WITHIN_MS).length;
    check(`errors stop within ${RECOVER_WITHIN_MS / 1000} s of Neo4j being back, API not restarted`, recovered !== null && recoverMs <= RECOVER_WITHIN_MS, `last error ${seconds(recoverMs)} after Neo4j was back; ${afterRestart.length} requests ended since, ${JSON.stringify(byCode(afterRestart))}, ${slowAfter} took over ${FAIL_WITHIN_MS / 1000} s`);
    check('/health/ready says 200 again', (await until(async () => (await status(`${base}/health/ready`)) === 200, 10_000)) !== null);

    await load.stop();
    const afterRestartSlowest = longest(afterRestart);

    // 4. SIGTERM under load: `dcg serve` in a child process, against the same Neo4j.
    const sigterm = await sigtermUnderLoad(target);

    check('the API process stayed up: no unhandled rejection or uncaught exception', unhandledRejections === 0 && uncaughtExceptions === 0, `${unhandledRejections} rejections, ${uncaughtExceptions} exceptions`);

    const all = load.samples;
    log('');
    log('figures');
    log(`  requests: ${all.length} (${JSON.stringify(byCode(all))})`);
    log(`  Neo4j stop took ${seconds(stopped - stopStarted)}; restart to Bolt ready ${seconds(restarted - restartStarted)}`);
    log(`  time to detect: first SERVICE_UNAVAILABLE ${detect === null ? 'never' : seconds(detect)} after the stop began; /health/ready 503 after ${detectReady === null ? 'never' : seconds(detectReady)}`);
    log(`  failing requests during the outage: slowest ${seconds(slowest)}, median ${outage.length ? seconds(median(outage.map((s) => s.ended - s.started))) : '-'}`);
    log(`  time to recover: last error ${seconds(recoverMs)} after Neo4j was back (Bolt ready); first success ${Number.isFinite(firstOk) ? seconds(firstOk - restarted) : 'never'} after it; requests caught in the restart waited up to ${seconds(afterRestartSlowest)}, then succeeded`);
    log(`  SIGTERM under load: exit code ${sigterm.code} after ${seconds(sigterm.exitMs)}; ${sigterm.before.length} requests sent before it (${JSON.stringify(byCode(sigterm.before))}), ${sigterm.after} after it were refused`);
    if (TRACE) {
      for (const s of all) log(`  ${((s.started - stopStarted) / 1000).toFixed(2)} +${((s.ended - s.started) / 1000).toFixed(2)} ${s.status} ${s.codes.join(',')}`);
      log(`  stop ${seconds(0)}..${seconds(stopped - stopStarted)}; restart ${seconds(restartStarted - stopStarted)}..${seconds(restarted - stopStarted)}`);
    }
  } finally {
    await server?.close().catch(() => {});
    await db?.close().catch(() => {});
    await neo4j?.stop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const bad = checks.filter((c) => !c.ok);
  log(bad.length === 0 ? `\nall ${checks.length} checks passed` : `\n${bad.length} of ${checks.length} checks failed`);
  process.exit(bad.length === 0 ? 0 : 1);
}

/** Runs `dcg serve` against `target`, loads it, sends SIGTERM, and checks the drain. */
async function sigtermUnderLoad(target: Neo4jConnection): Promise<{ code: number | null; exitMs: number; before: Sample[]; after: number }> {
  const child = await spawnServer({ name: 'dcg serve', args: serveArgs(), port: await freePort(), neo4j: target, env: { LOG_LEVEL: 'warn' }, ready: 'health', readyWithinMs: 60_000 });
  const base = child.base;
  try {
    const load = new Load(`${base}/graphql`);
    load.start();
    await sleep(3_000);
    const signalled = Date.now();
    child.kill('SIGTERM');
    const code = await Promise.race([child.exited, sleep(SIGTERM_EXIT_WITHIN_MS).then(() => 'timeout' as const)]);
    const exitMs = Date.now() - signalled;
    await load.stop();
    const before = load.samples.filter((s) => s.started < signalled);
    const after = load.samples.filter((s) => s.started >= signalled).length;
    check(`SIGTERM under load: dcg serve exits 0 within ${SIGTERM_EXIT_WITHIN_MS / 1000} s`, code === 0, code === 'timeout' ? 'still running' : `exit code ${code} after ${seconds(exitMs)}`);
    check('SIGTERM under load: every request sent before it is answered', before.length > 0 && before.every((s) => !failed(s)), `${before.length} requests, ${JSON.stringify(byCode(before))}`);
    return { code: code === 'timeout' || typeof code === 'string' ? null : code, exitMs, before, after };
  } finally {
    if (child.isRunning()) child.kill('SIGKILL');
  }
}

main().catch((error: unknown) => {
  log(`faults: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
