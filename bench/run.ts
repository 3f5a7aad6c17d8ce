/**
 * `npm run bench`: one Neo4j, one dataset, three servers, one query mix.
 *
 *   npm run bench                                   medium scale, 15 s per query per server
 *   npm run bench -- --scale tiny --duration 5
 *   npm run bench -- --check-only                   answers compared, nothing timed
 *   npm run bench -- --growth [--scales tiny,medium,large]   ours and the floor at each scale
 *   npm run bench -- --vary 200                     each request's target drawn from 200 sets
 *   npm run bench -- --columns                      cached fixed, cached varied, uncached, in one run
 *
 * Neo4j: NEO4J_URI if set (loaded into, never wiped unless --reset), else a local Neo4j
 * Community on a free port with a temporary data folder, stopped at the end. The dataset is
 * scripts/gen.ts at the scale plus the seed, loaded with loadFiles. The servers (our API as
 * `dcg serve`, the peer bench/peer.ts, the floor bench/floor.ts) run as child processes, one
 * timed at a time, each answering every query once before any timing: answers that disagree
 * after normalising fail the run (exit 1) with a diff. Results go to bench/results/ and into
 * bench/BENCHMARKS.md. Every request goes to 127.0.0.1; every load is bounded in time (the
 * duration, extended for a slow query to at most 4 × the duration or 600 s, see measure.ts).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import { seedFiles } from '../src/app';
import type { Db } from '../src/db/executor';
import { sourceIds } from '../src/db/facts';
import { graphTotals, wipeGraph } from '../src/db/schema';
import { serverVersion } from '../src/db/server';
import { loadFiles } from '../src/ingest/load';
import type { Logger } from '../src/logger';
import { PROJECT_ROOT } from '../src/paths';
import { checkAnswers, formatChecks, variedRequestFor, type Endpoints, type QueryCheck, type ServerName } from './check';
import { connectDb, freePort, openNeo4j as startNeo4j, rssMb, type Neo4jConnection } from './harness';
import { measure, roundTripTotals, warmUp, type RunOptions } from './measure';
import { MIX, type MixQuery, type Targets } from './mix';
import { startChild, type ChildServer } from './procs';
import { columnsMarkdown, failedText, growthMarkdown, machine, resultFile, runMarkdown, sectionOf, summarise, uptime, writeJson, writeSection, type GrowthReport, type QueryResult, type RunReport } from './report';
import { chooseTargets, chooseTargetSets } from './targets';

const SCALES = ['tiny', 'medium', 'large'] as const;
type Scale = (typeof SCALES)[number];

const say = (line: string) => process.stdout.write(`${line}\n`);

interface Options {
  render?: string;
  scale: Scale;
  scales: Scale[];
  growth: boolean;
  checkOnly: boolean;
  run: RunOptions;
  only: MixQuery[];
  reset: boolean;
  report: boolean;
  targets: Partial<Targets>;
  logLevel: string;
  /** Our API's response cache (on as shipped; --no-cache turns it off). */
  cache: boolean;
  /** Target sets to draw each request's target from (1: the fixed targets). */
  vary: number;
  /** Three passes in one run: cached fixed, cached varied, uncached (BENCHMARKS.md's columns). */
  columns: boolean;
}

/** One timed pass over the mix: our cache on or off, fixed or varied targets. */
interface Pass {
  cache: boolean;
  vary: number;
}

const DEFAULT_VARY = 200;
/** Varied target sets whose answers are compared across servers, besides the fixed set. */
const VARIED_CHECKS = 5;

function parseOptions(argv: string[]): Options {
  const o = new Command('bench')
    .description('benchmark our API against @neo4j/graphql and hand-written Cypher on one dataset')
    .option('--scale <scale>', `dataset: ${SCALES.join(', ')}`, 'medium')
    .option('--duration <seconds>', 'timed seconds per query per server', '15')
    .option('--warmup <seconds>', 'untimed seconds before each timed run', '3')
    .option('--connections <n>', 'concurrent connections', '16')
    .option('--only <queries>', `comma-separated subset of ${MIX.map((q) => q.name).join(', ')}`)
    .option('--growth', 'cost growth: ours and the floor at each of --scales')
    .option('--scales <scales>', 'scales for --growth', 'tiny,medium')
    .option('--check-only', 'compare the answers, time nothing')
    .option('--reset', 'with NEO4J_URI: allow emptying that database before loading')
    .option('--no-report', 'do not write bench/results/ or bench/BENCHMARKS.md')
    .option('--targets <json>', 'override chosen targets, e.g. {"partnersOf":"country-003"}')
    .option('--no-cache', "run our API with its response cache off (RESPONSE_CACHE_MB=0): every request does its Cypher")
    .option('--log-level <level>', "our API's LOG_LEVEL during the run", 'info')
    .option('--render <file>', 'rewrite bench/BENCHMARKS.md from a results JSON (after a change to the report), and stop')
    .option('--vary [n]', `draw each request's target from n target sets chosen by the same rules (default ${DEFAULT_VARY})`)
    .option('--columns', `three passes in one run: cached fixed targets, cached varied targets (--vary, default ${DEFAULT_VARY}), uncached`)
    .parse(argv)
    .opts<{ scale: string; duration: string; warmup: string; connections: string; only?: string; growth?: boolean; scales: string; checkOnly?: boolean; reset?: boolean; report: boolean; targets?: string; logLevel: string; render?: string; cache: boolean; vary?: string | boolean; columns?: boolean }>();
  const scale = (s: string): Scale => {
    if (!(SCALES as readonly string[]).includes(s)) throw new Error(`--scale(s) must be among ${SCALES.join(', ')}; got ${JSON.stringify(s)}`);
    return s as Scale;
  };
  const positive = (name: string, value: string, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}; got ${JSON.stringify(value)}`);
    return n;
  };
  const names = o.only ? o.only.split(',').map((s) => s.trim()) : MIX.map((q) => q.name);
  const unknown = names.filter((n) => !MIX.some((q) => q.name === n));
  if (unknown.length > 0) throw new Error(`--only: unknown queries ${unknown.join(', ')}; known: ${MIX.map((q) => q.name).join(', ')}`);
  return {
    render: o.render,
    scale: scale(o.scale),
    scales: o.scales.split(',').map((s) => scale(s.trim())),
    growth: Boolean(o.growth),
    checkOnly: Boolean(o.checkOnly),
    run: { durationS: positive('duration', o.duration, 1, 600), warmupS: positive('warmup', o.warmup, 0, 120), connections: positive('connections', o.connections, 1, 256) },
    only: MIX.filter((q) => names.includes(q.name)),
    reset: Boolean(o.reset),
    report: o.report,
    targets: o.targets ? (JSON.parse(o.targets) as Partial<Targets>) : {},
    logLevel: o.logLevel,
    cache: o.cache,
    vary: o.vary === undefined ? 1 : o.vary === true ? DEFAULT_VARY : positive('vary', String(o.vary), 1, 10_000),
    columns: Boolean(o.columns),
  };
}

interface Neo4jHandle {
  connection: Neo4jConnection;
  /** The local Neo4j's JVM, watched until idle between runs; null for NEO4J_URI. */
  pid: number | null;
  external: boolean;
  db: Db;
  version: string;
  stop(): Promise<void>;
}

async function openNeo4j(workDir: string, logger: Logger): Promise<Neo4jHandle> {
  const neo4j = await startNeo4j({ dataDir: path.join(workDir, 'neo4j'), log: say });
  const { connection, external, pid } = neo4j;
  if (external) say(`neo4j: using NEO4J_URI ${connection.uri}`);
  const db = connectDb(connection, { poolSize: 10, queryTimeoutMs: 120_000, logger });
  const version = await serverVersion(db);
  return {
    connection,
    pid,
    external,
    db,
    version,
    stop: async () => {
      await db.close();
      await neo4j.stop();
    },
  };
}

/** Generates the scale's documents with scripts/gen.ts, empties the graph when allowed, loads seed + documents. */
async function prepareDataset(neo4j: Neo4jHandle, scale: Scale, workDir: string, reset: boolean): Promise<Record<string, unknown>> {
  const { db } = neo4j;
  const sources = await sourceIds(db);
  const seedSources = sources.filter((id) => !id.startsWith('synthetic-'));
  const foreign = sources.filter((id) => id.startsWith('synthetic-') && !id.startsWith(`synthetic-${scale}-`));
  if (sources.length > 0 && (!neo4j.external || reset)) {
    say(`dataset: emptying the graph (${sources.length} sources)`);
    await wipeGraph(db);
  } else if (foreign.length > 0) {
    throw new Error(`NEO4J_URI holds another dataset (${foreign.slice(0, 3).join(', ')}…); pass --reset to empty it first.`);
  } else if (seedSources.length > 1) {
    say(`dataset: NEO4J_URI holds other sources (${seedSources.join(', ')}); they stay and are part of the graph measured`);
  }
  const out = path.join(workDir, `data-${scale}`);
  let started = Date.now();
  const gen = spawnSync(process.execPath, ['-r', 'tsx/cjs', path.join(PROJECT_ROOT, 'scripts', 'gen.ts'), '--scale', scale, '--out', out], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 600_000 });
  if (gen.status !== 0) throw new Error(`scripts/gen.ts --scale ${scale} failed (exit ${gen.status}):\n${gen.stderr}${gen.stdout}`);
  const genSeconds = (Date.now() - started) / 1000;
  say(`dataset: ${gen.stdout.trim()}`);
  const files = fs.readdirSync(out).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(out, f));
  started = Date.now();
  let last = 0;
  await loadFiles(db, [...seedFiles(), ...files], (message) => {
    if (Date.now() - last > 10_000) {
      last = Date.now();
      say(`  loading: ${message}`);
    }
  });
  const loadSeconds = (Date.now() - started) / 1000;
  const totals = await graphTotals(db);
  say(`dataset: loaded seed + ${files.length} documents in ${loadSeconds.toFixed(1)} s: ${totals.nodes} nodes, ${totals.relationships} relationships`);
  return {
    scale,
    entities: totals.byLabel.Entity ?? 0,
    facts: totals.byLabel.Fact ?? 0,
    evidence: totals.byLabel.Evidence ?? 0,
    nodes: totals.nodes,
    relationships: totals.relationships,
    generateSeconds: Number(genSeconds.toFixed(1)),
    loadSeconds: Number(loadSeconds.toFixed(1)),
  };
}

async function startServers(names: ServerName[], neo4j: Neo4jHandle, logDir: string, logLevel: string, cache: boolean): Promise<Partial<Record<ServerName, ChildServer>>> {
  const servers: Partial<Record<ServerName, ChildServer>> = {};
  for (const name of names) {
    const started = Date.now();
    servers[name] = await startChild(name, await freePort(), neo4j.connection, logDir, name === 'ours' ? { LOG_LEVEL: logLevel, ...(cache ? {} : { RESPONSE_CACHE_MB: '0' }) } : {});
    say(`server: ${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${servers[name]?.url} (pid ${servers[name]?.pid})`);
  }
  return servers;
}

async function stopServers(servers: Partial<Record<ServerName, ChildServer>>): Promise<void> {
  for (const server of Object.values(servers)) await server?.stop();
}

function endpointsOf(servers: Partial<Record<ServerName, ChildServer>>): Endpoints {
  if (!servers.ours) throw new Error('our server is not running');
  return { ours: servers.ours.url, peer: servers.peer?.url, floor: servers.floor?.url };
}

async function check(servers: Partial<Record<ServerName, ChildServer>>, targets: Targets, queries: MixQuery[]): Promise<QueryCheck[]> {
  const started = Date.now();
  const checks = await checkAnswers(endpointsOf(servers), targets, queries);
  say(`answer check (${((Date.now() - started) / 1000).toFixed(1)} s):`);
  say(formatChecks(checks));
  return checks;
}

/** The varied sets' answers, a few evenly spread sets besides the fixed one: true when all agree. */
async function checkVaried(servers: Partial<Record<ServerName, ChildServer>>, sets: Targets[], queries: MixQuery[]): Promise<boolean> {
  const picked = [...new Set(Array.from({ length: Math.min(VARIED_CHECKS, sets.length - 1) }, (_, i) => 1 + Math.floor(((i + 1) * (sets.length - 1)) / (VARIED_CHECKS + 1))))];
  for (const i of picked) {
    const checks = await checkAnswers(endpointsOf(servers), sets[i] as Targets, queries);
    if (checks.some((c) => !c.ok)) {
      say(`answer check of varied target set ${i} (${JSON.stringify(sets[i])}):`);
      say(formatChecks(checks));
      return false;
    }
  }
  say(`answer check: varied target sets ${picked.join(', ')} agree too`);
  return true;
}

/** Times every query on every server, query by query so that drift over the run hits all servers alike. */
async function timeQueries(servers: Partial<Record<ServerName, ChildServer>>, sets: Targets[], options: Options, neo4jPid: number | null): Promise<QueryResult[]> {
  const endpoints = endpointsOf(servers);
  const idle = neo4jPid === null ? [] : [neo4jPid];
  const results: QueryResult[] = [];
  for (const q of options.only) {
    const result: QueryResult = { name: q.name, title: q.title, peerHow: q.peer.how, measures: {}, oursRoundTrips: null };
    // Every server warmed before any is timed: the first one timed would otherwise meet Neo4j
    // still compiling (JIT) the query plans' code paths that the later ones find ready.
    for (const name of ['ours', 'peer', 'floor'] as const) {
      const server = servers[name];
      if (server) await warmUp(variedRequestFor(name, q, sets, endpoints), options.run, [server.pid, ...idle]);
    }
    for (const name of ['ours', 'peer', 'floor'] as const) {
      const server = servers[name];
      if (!server) continue;
      const request = variedRequestFor(name, q, sets, endpoints);
      // Our counters are read between the warm-up and the timed run, and after it.
      const counters: { before?: { sum: number; count: number } } = {};
      const readBefore = async () => {
        counters.before = await roundTripTotals(`${server.base}/metrics`, q.name);
      };
      const m = await measure(request, server.pid, options.run, [server.pid, ...idle], name === 'ours' ? readBefore : undefined);
      if (counters.before) {
        const { before } = counters;
        const after = await roundTripTotals(`${server.base}/metrics`, q.name);
        result.oursRoundTrips = after.count > before.count ? Number(((after.sum - before.sum) / (after.count - before.count)).toFixed(2)) : null;
      }
      result.measures[name] = m;
      const failed = failedText(m);
      say(
        `${q.name.padEnd(12)} ${name.padEnd(5)} ${String(m.rps).padStart(8)} req/s  p50 ${m.latencyMs.p50} ms  p95 ${m.latencyMs.p95} ms  p99 ${m.latencyMs.p99} ms` +
          `  failed ${failed}  n ${m.requests} in ${m.seconds} s  RSS ${m.maxRssMb ?? '?'} MB${name === 'ours' ? `  round trips ${result.oursRoundTrips ?? '?'}` : ''}  load ${m.loadAverage}  settle ${m.settleS ?? 'gave up'} s`,
      );
    }
    results.push(result);
  }
  return results;
}

async function runOnce(options: Options, neo4j: Neo4jHandle, workDir: string): Promise<number> {
  const date = new Date().toISOString().slice(0, 10);
  const info = machine(neo4j.version);
  const dataset = await prepareDataset(neo4j, options.scale, workDir, options.reset);
  const passes: Pass[] = options.columns
    ? [{ cache: true, vary: 1 }, { cache: true, vary: options.vary > 1 ? options.vary : DEFAULT_VARY }, { cache: false, vary: 1 }]
    : [{ cache: options.cache, vary: options.vary }];
  const chosen = Date.now();
  const most = Math.max(...passes.map((p) => p.vary));
  const sets = await chooseTargetSets(neo4j.db, most, say);
  sets[0] = { ...(sets[0] as Targets), ...options.targets };
  const targets = sets[0] as Targets;
  say(`targets (${((Date.now() - chosen) / 1000).toFixed(1)} s): ${JSON.stringify(targets)}`);
  const reports: RunReport[] = [];
  for (const pass of passes) {
    if (passes.length > 1) say(`\n== pass: ${passTitle(pass)}`);
    const servers = await startServers(['ours', 'peer', 'floor'], neo4j, workDir, options.logLevel, pass.cache);
    try {
      const idleRssMb = Object.fromEntries(Object.values(servers).map((s) => [s.name, rssMb(s.pid)]));
      const checks = await check(servers, targets, options.only);
      if (checks.some((c) => !c.ok) || (pass.vary > 1 && !(await checkVaried(servers, sets.slice(0, pass.vary), options.only)))) {
        say('FAIL: the servers disagree (or one failed); nothing was timed.');
        return 1;
      }
      if (options.checkOnly) continue;
      const results = await timeQueries(servers, sets.slice(0, pass.vary), options, neo4j.pid);
      info.uptimeAtEnd = uptime();
      const report: RunReport = {
        kind: 'run',
        date,
        scale: options.scale,
        options: { ...options.run, logLevel: options.logLevel, responseCache: pass.cache, vary: pass.vary },
        machine: { ...info },
        dataset,
        targets: targets as unknown as Record<string, string>,
        check: checks,
        idleRssMb,
        results,
        summary: summarise(results, pass.cache),
      };
      reports.push(report);
      const markdown = runMarkdown(report);
      say(`\n${markdown}`);
      if (options.report) {
        say(`wrote ${writeJson(resultFile(date, options.scale, pass.cache, pass.vary), report)}`);
        writeSection(sectionOf(report), markdown);
        say('updated bench/BENCHMARKS.md');
      }
    } finally {
      await stopServers(servers);
    }
  }
  if (options.columns && reports.length === passes.length) {
    const markdown = columnsMarkdown(reports);
    say(`\n${markdown}`);
    if (options.report) {
      writeSection('columns', markdown);
      say('updated bench/BENCHMARKS.md (columns)');
    }
  }
  return 0;
}

function passTitle(pass: Pass): string {
  return `${pass.cache ? 'cache on' : 'cache off'}, ${pass.vary > 1 ? `targets varied over ${pass.vary} sets` : 'fixed targets'}`;
}

async function runGrowth(options: Options, neo4j: Neo4jHandle, workDir: string): Promise<number> {
  if (neo4j.external && !options.reset) throw new Error('--growth empties the database between scales: with NEO4J_URI, pass --reset to allow it.');
  const date = new Date().toISOString().slice(0, 10);
  const info = machine(neo4j.version);
  const report: GrowthReport = { kind: 'growth', date, scales: options.scales, options: { ...options.run, logLevel: options.logLevel }, machine: info, perScale: [] };
  for (const scale of options.scales) {
    say(`\n== scale ${scale}`);
    const dataset = await prepareDataset(neo4j, scale, workDir, true);
    const targets: Targets = { ...(await chooseTargets(neo4j.db, say)), ...options.targets };
    say(`targets: ${JSON.stringify(targets)}`);
    const sets = [targets];
    const servers = await startServers(['ours', 'floor'], neo4j, workDir, options.logLevel, options.cache);
    try {
      const checks = await check(servers, targets, options.only);
      if (checks.some((c) => !c.ok)) {
        say(`FAIL: ours and the floor disagree at scale ${scale}; nothing more was timed.`);
        return 1;
      }
      const results = options.checkOnly ? [] : await timeQueries(servers, sets, options, neo4j.pid);
      report.perScale.push({ scale, dataset, targets: targets as unknown as Record<string, string>, check: checks, results });
    } finally {
      await stopServers(servers);
    }
  }
  if (options.checkOnly) return 0;
  info.uptimeAtEnd = uptime();
  const markdown = growthMarkdown(report);
  say(`\n${markdown}`);
  if (options.report) {
    say(`wrote ${writeJson(`${date}-growth.json`, report)}`);
    writeSection('growth', markdown);
    say('updated bench/BENCHMARKS.md');
  }
  return 0;
}

/** Re-renders a saved run or growth report into BENCHMARKS.md (the summary is recomputed). */
function render(file: string): number {
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as RunReport | GrowthReport;
  if (report.kind === 'growth') writeSection('growth', growthMarkdown(report));
  else writeSection(sectionOf(report), runMarkdown({ ...report, summary: summarise(report.results, report.options.responseCache !== false) }));
  say(`updated bench/BENCHMARKS.md from ${file}`);
  return 0;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv);
  if (options.render) return render(options.render);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-bench-'));
  const logger = pino({ level: 'warn' }, pino.destination(2)) as unknown as Logger;
  let neo4j: Neo4jHandle | undefined;
  let failed = true;
  const cleanup = async () => {
    await neo4j?.stop().catch(() => {});
    if (!failed) return fs.rmSync(workDir, { recursive: true, force: true });
    // Keep the servers' logs of a failed run; drop the database and the documents.
    for (const entry of fs.readdirSync(workDir)) if (!entry.endsWith('.log')) fs.rmSync(path.join(workDir, entry), { recursive: true, force: true });
    say(`logs of this run: ${workDir}`);
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanup().then(() => process.exit(143)));
  try {
    neo4j = await openNeo4j(workDir, logger);
    const code = options.growth ? await runGrowth(options, neo4j, workDir) : await runOnce(options, neo4j, workDir);
    failed = code !== 0;
    return code;
  } finally {
    await cleanup();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
