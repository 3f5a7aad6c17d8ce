/**
 * Load and soak (`npm run load`): starts a local Neo4j on a free port with a temp data folder
 * (or uses NEO4J_URI), loads the seed and a synthetic graph (scripts/gen.ts, default medium),
 * runs `dcg serve` as a child process (so its memory is its own), and then:
 *
 *   1. load: `--clients` concurrent clients (default 200), each sending its next request as soon
 *      as the last one is answered, for `--seconds` (default 30), on a mix of the questions
 *      analysts ask (entity, partners with evidence, search, connections, timeline, a page of
 *      entities, the cooperation network of a domain);
 *   2. soak: half the clients at a fixed rate of half the throughput measured in 1 (or
 *      `--soak-rate`), for `--soak-seconds` (default 300).
 *
 * Meanwhile it samples the server's RSS (/proc/<pid>/status) every 5 s, and every second its
 * established TCP connections to the Bolt port (its sockets in /proc/<pid>/fd matched against
 * /proc/<pid>/net/tcp*) and `dcg_cypher_in_flight` from /metrics. It prints the figures and
 * exits 1 if any request failed (HTTP status other than 200, a GraphQL error, or no answer),
 * if the live heap after full GCs grew by 10% or more from the soak's first minute to its last
 * (medians; the RSS is reported too), or if the server ever held more Bolt connections than
 * NEO4J_POOL_SIZE. All traffic is to 127.0.0.1;
 * every loop is bounded in time and count; the child and the Neo4j are stopped at the end.
 *
 * The clients are this file's own rather than autocannon's (which bench/measure.ts uses): the
 * soak needs many clients sharing one fixed rate, each on its own evenly spaced schedule with
 * its late sends counted, and autocannon's `overallRate` instead cuts the connections down to
 * the rate when it is lower and lets each connection send its whole per-second quota at once.
 * Neo4j, the child server and the /proc readings come from bench/harness.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import {
  connectDb,
  connectionsTo,
  cpuSeconds,
  formatTable,
  freePort,
  fullGcs,
  listenerPid,
  machineCpu,
  median,
  openNeo4j,
  percentile,
  rssMb,
  serveArgs,
  spawnServer,
  type Neo4jHandle,
  type ServerChild,
} from '../bench/harness';
import { seedFiles } from '../src/app';
import { config } from '../src/config';
import type { Db } from '../src/db/executor';
import { entityNames } from '../src/db/ingest';
import { graphTotals } from '../src/db/schema';
import { loadFiles } from '../src/ingest/load';
import type { Logger } from '../src/logger';
import { DOMAINS } from '../src/ontology';
import { PROJECT_ROOT } from '../src/paths';
import { prng } from './gen';

const CLIENT_TIMEOUT_MS = 30_000;
const MAX_REQUESTS_PER_PHASE = 3_000_000;
const READY_WITHIN_MS = 120_000;
const GEN_WITHIN_MS = 300_000;
const RSS_EVERY_MS = 5_000;
const CONNECTIONS_EVERY_MS = 1_000;
const MEMORY_GROWTH_LIMIT = 0.1;

const log = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  clients: number;
  seconds: number;
  soakSeconds: number;
  soakClients: number;
  soakRate: number | undefined;
  scale: string;
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer; got ${JSON.stringify(value)}`);
  return n;
}

function parseOptions(argv: string[]): Options {
  const raw = new Command('load')
    .description('load (many concurrent clients) and soak (half the rate, for minutes) against `dcg serve` on a synthetic graph')
    .option('--clients <n>', 'concurrent clients in the load phase', '200')
    .option('--seconds <n>', 'length of the load phase', '30')
    .option('--soak-seconds <n>', 'length of the soak phase (0 to skip it)', '300')
    .option('--soak-clients <n>', 'concurrent clients in the soak (default half of --clients)')
    .option('--soak-rate <n>', 'requests per second in the soak (default half the throughput of the load phase)')
    .option('--scale <scale>', 'synthetic graph: tiny, medium or large (scripts/gen.ts)', 'medium')
    .parse(argv)
    .opts<{ clients: string; seconds: string; soakSeconds: string; soakClients?: string; soakRate?: string; scale: string }>();
  const clients = positiveInt('--clients', raw.clients);
  const soakSeconds = raw.soakSeconds === '0' ? 0 : positiveInt('--soak-seconds', raw.soakSeconds);
  if (!['tiny', 'medium', 'large'].includes(raw.scale)) throw new Error(`--scale must be tiny, medium or large; got ${JSON.stringify(raw.scale)}`);
  if (clients > 2000) throw new Error(`--clients is at most 2000; got ${clients}`);
  return {
    clients,
    seconds: positiveInt('--seconds', raw.seconds),
    soakSeconds,
    soakClients: raw.soakClients === undefined ? Math.max(1, Math.floor(clients / 2)) : positiveInt('--soak-clients', raw.soakClients),
    soakRate: raw.soakRate === undefined ? undefined : positiveInt('--soak-rate', raw.soakRate),
    scale: raw.scale,
  };
}

// ---------------------------------------------------------------------------------------------
// The query mix

interface Ids {
  byKind: Map<string, Array<{ id: string; name: string }>>;
}

interface Request {
  op: string;
  body: string;
}


const QUERIES = {
  Entity: `query Entity($id: ID!) { entity(id: $id) { id kind name aliases
    facts { type status role subject { id name } object { id name } validity { start { text precision } } } } }`,
  Partners: `query Partners($of: ID!) { partners(of: $of) {
    partner { id name } domains since { text }
    links { kind through { name } facts { type subject { name } object { name } status evidence { quote } } } } }`,
  Search: `query Search($text: String!) { search(text: $text, first: 10) { score entity { id kind name } } }`,
  Connections: `query Connections($from: ID!, $to: ID!) { connections(from: $from, to: $to) {
    length hops { from { name } relation forward to { name }
      fact { status validity { start { text } } evidence { quote start end source { title url } } } } } }`,
  Timeline: `query Timeline($entity: ID!) { timeline(entity: $entity) {
    moment date { text precision earliest latest } fact { id type status subject { name } object { name } } } }`,
  Entities: `query Entities($kind: EntityKind) { entities(kind: $kind, first: 20) {
    totalCount edges { cursor node { id kind name } } pageInfo { hasNextPage endCursor } } }`,
  Network: `query Network($domain: Domain) { cooperationNetwork(domain: $domain) {
    nodes { entity { id name } degree weightedDegree sharedPartners directPartners } edges { source target weight } } }`,
} as const;
type Op = keyof typeof QUERIES;

/** Share of each question in the mix: lookups and search most, the network of a domain least. */
const MIX: Array<[Op, number]> = [
  ['Entity', 25],
  ['Search', 20],
  ['Partners', 15],
  ['Entities', 15],
  ['Connections', 10],
  ['Timeline', 10],
  ['Network', 5],
];
const OPS = MIX.map(([op]) => op);

const SEED_TERMS = ['CRRT', 'eFP', 'Rukla', 'NATO', 'Belgian', 'SNMCMG1', 'Lithuania', 'demining'];

function makeMix(ids: Ids, seed: number): () => Request {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const of = (kind: string) => ids.byKind.get(kind) ?? [];
  const countries = of('Country');
  const actors = [...countries, ...of('Unit'), ...of('Organisation')];
  const everything = [...ids.byKind.values()].flat();
  if (countries.length < 2 || everything.length === 0) throw new Error('the graph has fewer than two countries: nothing to ask about');
  const kinds = [...ids.byKind.keys()].map((k) => k.toUpperCase());
  const total = MIX.reduce((sum, [, weight]) => sum + weight, 0);
  const build = (op: Op, variables: Record<string, unknown>): Request => ({ op, body: JSON.stringify({ operationName: op, query: QUERIES[op], variables }) });
  return () => {
    let roll = random() * total;
    let op: Op = 'Entity';
    for (const [name, weight] of MIX) {
      if (roll < weight) {
        op = name;
        break;
      }
      roll -= weight;
    }
    switch (op) {
      case 'Entity':
        return build(op, { id: pick(everything).id });
      case 'Search': {
        const text = random() < 0.2 ? pick(SEED_TERMS) : pick(everything).name.split(' ').slice(0, 2).join(' ');
        return build(op, { text });
      }
      case 'Partners':
        return build(op, { of: pick(actors).id });
      case 'Entities':
        return build(op, { kind: random() < 0.3 ? null : pick(kinds) });
      case 'Connections': {
        const from = pick(countries).id;
        let to = pick(countries).id;
        for (let i = 0; i < 5 && to === from; i++) to = pick(countries).id;
        return build(op, { from, to });
      }
      case 'Timeline':
        return build(op, { entity: pick(actors).id });
      case 'Network':
        return build(op, { domain: pick(DOMAINS) });
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Sending requests and recording answers

type Outcome = 'ok' | 'http' | 'graphql' | 'client';

class Phase {
  readonly latencies = new Map<string, number[]>(OPS.map((op) => [op, []]));
  readonly all: number[] = [];
  readonly httpStatuses = new Map<string, number>();
  readonly graphqlCodes = new Map<string, number>();
  readonly clientFailures = new Map<string, number>();
  readonly examples: string[] = [];
  count = 0;
  failed = 0;
  late = 0;
  staleRetries = 0;
  readonly bytes = new Map<string, number>();
  readonly failedByOp = new Map<string, number>();
  started = 0;
  ended = 0;

  constructor(readonly name: string) {}

  record(op: string, ms: number, outcome: Outcome, detail: string): void {
    this.count += 1;
    this.all.push(ms);
    this.latencies.get(op)?.push(ms);
    if (outcome === 'ok') return;
    this.failed += 1;
    this.failedByOp.set(op, (this.failedByOp.get(op) ?? 0) + 1);
    const map = outcome === 'http' ? this.httpStatuses : outcome === 'graphql' ? this.graphqlCodes : this.clientFailures;
    map.set(detail, (map.get(detail) ?? 0) + 1);
    if (this.examples.length < 5) this.examples.push(`${op}: ${outcome} ${detail}`);
  }

  /** Distinct error messages (the same code can have several causes), counted; at most 20 kept. */
  readonly messages = new Map<string, number>();
  message(text: string): void {
    if (this.messages.has(text) || this.messages.size < 20) this.messages.set(text, (this.messages.get(text) ?? 0) + 1);
  }

  get seconds(): number {
    return (this.ended - this.started) / 1000;
  }
}

function post(agent: http.Agent, port: number, body: string): Promise<{ status: number; text: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), reused: request.reusedSocket }));
        response.on('error', reject);
      },
    );
    request.setTimeout(CLIENT_TIMEOUT_MS, () => request.destroy(Object.assign(new Error('no answer in time'), { code: 'CLIENT_TIMEOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => reject(Object.assign(error, { reused: request.reusedSocket })));
    request.end(body);
  });
}

/**
 * A kept-alive socket can be closed by the server (after its 5 s keep-alive timeout) just as a
 * client reuses it; like browsers, the client then retries once on a new socket. Those retries
 * are counted, not failed. The agents also drop sockets idle for 4 s, before the server does.
 */
async function postOnce(phase: Phase, agent: http.Agent, port: number, body: string): Promise<{ status: number; text: string }> {
  try {
    return await post(agent, port, body);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { reused?: boolean };
    if (!(e.reused && (e.code === 'ECONNRESET' || e.code === 'EPIPE'))) throw error;
    phase.staleRetries += 1;
    return post(agent, port, body);
  }
}

function agentFor(clients: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients, timeout: 4_000 });
}

async function send(phase: Phase, agent: http.Agent, port: number, next: () => Request): Promise<void> {
  const { op, body } = next();
  const started = performance.now();
  try {
    const { status, text } = await postOnce(phase, agent, port, body);
    const ms = performance.now() - started;
    phase.bytes.set(op, (phase.bytes.get(op) ?? 0) + Buffer.byteLength(text));
    if (status !== 200) return phase.record(op, ms, 'http', String(status));
    // Apollo writes {"errors":[…]} with no spaces; inside a JSON string that text would be escaped.
    if (text.includes('"errors":[')) {
      let codes = 'UNPARSEABLE';
      try {
        const parsed = JSON.parse(text) as { errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }> };
        codes = [...new Set((parsed.errors ?? []).map((e) => String(e.extensions?.code ?? '(no code)')))].join('+');
        for (const e of parsed.errors ?? []) phase.message(`${String(e.extensions?.code)}: ${String(e.message).slice(0, 120)}`);
      } catch {
        // counted as UNPARSEABLE
      }
      return phase.record(op, ms, 'graphql', codes);
    }
    phase.record(op, ms, 'ok', '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    phase.record(op, performance.now() - started, 'client', code);
  }
}

/** Closed loop: each client sends its next request as soon as the last one is answered. */
async function closedLoop(phase: Phase, port: number, clients: number, seconds: number, next: () => Request): Promise<void> {
  const agent = agentFor(clients);
  phase.started = Date.now();
  const deadline = phase.started + seconds * 1000;
  const worker = async () => {
    while (Date.now() < deadline && phase.count < MAX_REQUESTS_PER_PHASE) await send(phase, agent, port, next);
  };
  await Promise.all(Array.from({ length: clients }, worker));
  phase.ended = Date.now();
  agent.destroy();
}

/**
 * Fixed rate: `clients` clients share `rate` requests per second, each on its own schedule; a
 * client whose answer comes after its next slot sends at once (counted as late) and does not
 * catch up with a burst.
 */
async function fixedRate(phase: Phase, port: number, clients: number, rate: number, seconds: number, next: () => Request): Promise<void> {
  const agent = agentFor(clients);
  const interval = (clients / rate) * 1000;
  const t0 = performance.now();
  phase.started = Date.now();
  const deadline = phase.started + seconds * 1000;
  const worker = async (index: number) => {
    let slot = t0 + (index * interval) / clients;
    while (phase.count < MAX_REQUESTS_PER_PHASE) {
      const wait = slot - performance.now();
      if (wait > 0) await sleep(wait);
      if (Date.now() >= deadline) break;
      await send(phase, agent, port, next);
      slot += interval;
      if (slot < performance.now()) {
        phase.late += 1;
        slot = performance.now();
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => worker(i)));
  phase.ended = Date.now();
  agent.destroy();
}

// ---------------------------------------------------------------------------------------------
// Watching the server process

interface Sample {
  at: number;
  phase: string;
  rssKb?: number;
  heapUsedBytes?: number;
  connections?: number;
  inFlight?: number;
  load1: number;
}

interface Cpu {
  server: number;
  neo4j: number;
  self: number;
  busy: number;
  total: number;
}

function cpuNow(serverPid: number, neo4jPid: number | null): Cpu {
  const self = process.cpuUsage();
  const machine = machineCpu();
  return { server: cpuSeconds(serverPid) ?? 0, neo4j: neo4jPid === null ? NaN : (cpuSeconds(neo4jPid) ?? NaN), self: (self.user + self.system) / 1e6, ...machine };
}

function cpuRow(a: Cpu, b: Cpu): string {
  const d = (key: keyof Cpu) => b[key] - a[key];
  const neo4j = Number.isNaN(d('neo4j')) ? '-' : d('neo4j').toFixed(1);
  return `${d('server').toFixed(1)} / ${neo4j} / ${d('self').toFixed(1)} of ${d('total').toFixed(0)} core-s; machine ${((100 * d('busy')) / d('total')).toFixed(0)}% busy`;
}

async function scrape(port: number): Promise<{ inFlight?: number; heapUsed?: number }> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    const value = (name: string) => {
      const match = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text);
      return match ? Number(match[1]) : undefined;
    };
    return { inFlight: value('dcg_cypher_in_flight'), heapUsed: value('nodejs_heap_size_used_bytes') };
  } catch {
    return {};
  }
}

class Watcher {
  readonly samples: Sample[] = [];
  phase = 'idle';
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly pid: number,
    private readonly httpPort: number,
    private readonly boltPort: number,
  ) {}

  start(maxSeconds: number): void {
    this.running = true;
    const until = Date.now() + maxSeconds * 1000;
    this.loop = (async () => {
      let lastRss = 0;
      while (this.running && Date.now() < until) {
        const tick = Date.now();
        const sample: Sample = { at: tick, phase: this.phase, load1: os.loadavg()[0] ?? 0, connections: connectionsTo(this.pid, this.boltPort) ?? undefined };
        const metrics = await scrape(this.httpPort);
        sample.inFlight = metrics.inFlight;
        if (tick - lastRss >= RSS_EVERY_MS - 50) {
          lastRss = tick;
          const rss = rssMb(this.pid);
          sample.rssKb = rss === null ? undefined : rss * 1024;
          sample.heapUsedBytes = metrics.heapUsed;
        }
        this.samples.push(sample);
        await sleep(Math.max(0, CONNECTIONS_EVERY_MS - (Date.now() - tick)));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

// ---------------------------------------------------------------------------------------------
// Figures

const ms = (v: number) => (Number.isNaN(v) ? '-' : v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`);
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

function table(rows: string[][]): void {
  log(formatTable(rows));
}

function describe(map: Map<string, number>): string {
  return map.size === 0 ? '0' : [...map].map(([k, v]) => `${k} ×${v}`).join(', ');
}

function phaseTable(phase: Phase): void {
  const rows: string[][] = [['operation', 'requests', 'failed', 'mean answer', 'p50', 'p95', 'p99', 'max']];
  const line = (name: string, values: number[], failed: number, bytes: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    const size = values.length === 0 ? '-' : `${(bytes / values.length / 1024).toFixed(1)} kB`;
    rows.push([name, String(values.length), String(failed), size, ms(percentile(sorted, 0.5)), ms(percentile(sorted, 0.95)), ms(percentile(sorted, 0.99)), ms(sorted[sorted.length - 1] ?? NaN)]);
  };
  for (const op of OPS) line(op, phase.latencies.get(op) ?? [], phase.failedByOp.get(op) ?? 0, phase.bytes.get(op) ?? 0);
  line('all', phase.all, phase.failed, [...phase.bytes.values()].reduce((a, b) => a + b, 0));
  table(rows);
}

// ---------------------------------------------------------------------------------------------
// Set-up: Neo4j, data, the server

async function generate(scale: string, outDir: string): Promise<string[]> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(PROJECT_ROOT, 'scripts', 'gen.ts'), '--scale', scale, '--out', outDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), GEN_WITHIN_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`scripts/gen.ts --scale ${scale} failed (exit code ${code})`);
  log(`  gen: ${out.trim()}`);
  return fs
    .readdirSync(outDir)
    .filter((name) => /\.(json|ya?ml)$/.test(name))
    .sort()
    .map((name) => path.join(outDir, name));
}

async function readIds(db: Db): Promise<{ ids: Ids; nodes: number; relationships: number; facts: number }> {
  const names = (await entityNames(db)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byKind = new Map<string, Array<{ id: string; name: string }>>();
  for (const row of names) {
    if (!byKind.has(row.kind)) byKind.set(row.kind, []);
    byKind.get(row.kind)?.push({ id: row.id, name: row.name });
  }
  const totals = await graphTotals(db, 120_000);
  return { ids: { byKind }, nodes: totals.nodes, relationships: totals.relationships, facts: totals.byLabel.Fact ?? 0 };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const options = parseOptions(process.argv);
  const cfg = config();
  const poolSize = cfg.NEO4J_POOL_SIZE;
  const logger = pino({ level: 'warn' }, pino.destination(2)) as unknown as Logger;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-load-'));
  const serverLog = path.join(work, 'serve.log');
  let neo4j: Neo4jHandle | undefined;
  let db: Db | undefined;
  let child: ServerChild | undefined;
  let watcher: Watcher | undefined;
  let childStarted = 0;
  const interrupted = () => {
    log('interrupted: stopping');
    child?.kill('SIGKILL');
    void neo4j?.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  log(`load: ${options.clients} clients for ${options.seconds} s, then soak: ${options.soakClients} clients for ${options.soakSeconds} s; scale ${options.scale}; pool ${poolSize}`);
  log(`machine: ${os.cpus().length} cores, load average at start ${os.loadavg().map((v) => v.toFixed(2)).join(', ')}`);
  try {
    // 1. Neo4j and the data.
    neo4j = await openNeo4j({ dataDir: path.join(work, 'neo4j'), log });
    const target = neo4j.connection;
    if (neo4j.external) log(`using NEO4J_URI ${target.uri} (the synthetic documents are loaded into it)`);
    const boltPort = Number(new URL(target.uri).port || 7687);
    db = connectDb(target, { poolSize: 10, queryTimeoutMs: 600_000, logger });
    const genDir = path.join(work, 'gen');
    const files = await generate(options.scale, genDir);
    const loadStarted = Date.now();
    await loadFiles(db, [...seedFiles(), ...files]);
    const { ids, nodes, relationships, facts } = await readIds(db);
    log(`  loaded the seed and ${files.length} ${options.scale} documents in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s: ${nodes} nodes, ${relationships} relationships, ${facts} facts; entities ${[...ids.byKind].map(([k, v]) => `${k} ${v.length}`).join(', ')}`);
    await db.close();
    db = undefined;

    // 2. The server, alone in its process.
    const port = await freePort();
    childStarted = Date.now();
    // --trace-gc: V8 logs each full GC with the heap left after it (the live heap), to tell a leak from garbage not yet collected.
    child = await spawnServer({
      name: 'dcg serve',
      args: serveArgs('--trace-gc', '--trace-gc-ignore-scavenger'),
      port,
      neo4j: target,
      env: { LOG_LEVEL: 'warn' },
      logFile: serverLog,
      ready: 'health',
      readyWithinMs: READY_WITHIN_MS,
    });
    const pid = child.pid;
    log(`  dcg serve (pid ${pid}) at http://127.0.0.1:${port}/graphql, Neo4j at ${target.uri}`);

    const next = makeMix(ids, 1);
    // Warm up: the first run of each query on a cold JVM is planned and compiled.
    const warm = new Phase('warm-up');
    const warmAgent = agentFor(1);
    const warmMix = makeMix(ids, 2);
    for (let i = 0; i < 100; i++) await send(warm, warmAgent, port, warmMix);
    warmAgent.destroy();
    log(`  warm-up: ${warm.count} requests, ${warm.failed} failed${warm.failed ? ` (${warm.examples.join('; ')})` : ''}`);

    watcher = new Watcher(pid, port, boltPort);
    watcher.start(options.seconds + options.soakSeconds + 120);
    const neo4jPid = listenerPid(boltPort);
    log(`  Neo4j process: ${neo4jPid ?? 'not on this machine'}`);
    const cpu0 = cpuNow(pid, neo4jPid);

    // 3. Load.
    watcher.phase = 'load';
    const load = new Phase('load');
    log(`\nload: ${options.clients} clients, ${options.seconds} s …`);
    await closedLoop(load, port, options.clients, options.seconds, next);
    const cpu1 = cpuNow(pid, neo4jPid);
    const loadRps = load.count / load.seconds;
    log(`  ${load.count} requests in ${load.seconds.toFixed(1)} s: ${loadRps.toFixed(1)} requests/s, ${load.failed} failed`);

    // 4. Soak.
    const soak = new Phase('soak');
    const soakRate = options.soakRate ?? Math.max(1, Math.round(loadRps / 2));
    let soakCpu = cpu1;
    let cpu2 = cpu1;
    if (options.soakSeconds > 0) {
      await sleep(2_000);
      watcher.phase = 'soak';
      soakCpu = cpuNow(pid, neo4jPid);
      log(`\nsoak: ${options.soakClients} clients at ${soakRate} requests/s, ${options.soakSeconds} s …`);
      const progress = setInterval(() => {
        const last = watcher?.samples.filter((s) => s.rssKb !== undefined).at(-1);
        log(`  ${Math.round((Date.now() - soak.started) / 1000)} s: ${soak.count} requests, ${soak.failed} failed, RSS ${last?.rssKb ? mb(last.rssKb) : '?'}, Bolt connections ${last?.connections ?? '?'}, load average ${os.loadavg()[0]?.toFixed(2)}`);
      }, 60_000);
      try {
        await fixedRate(soak, port, options.soakClients, soakRate, options.soakSeconds, next);
      } finally {
        clearInterval(progress);
      }
      cpu2 = cpuNow(pid, neo4jPid);
    }
    watcher.phase = 'after';
    await sleep(1_500);
    await watcher.stop();
    const exit = await child.stop();

    // 5. Figures.
    const samples = watcher.samples;
    const during = (phase: string) => samples.filter((s) => s.phase === phase);
    const maxOf = (list: Sample[], key: 'connections' | 'inFlight') => Math.max(0, ...list.map((s) => s[key] ?? 0));
    const loadSamples = during('load');
    const soakSamples = during('soak');
    const rss = soakSamples.filter((s) => s.rssKb !== undefined);
    const window = Math.min(60_000, (options.soakSeconds * 1000) / 2);
    const soakStart = soak.started;
    const soakEnd = soak.ended;
    const firstMinute = rss.filter((s) => s.at - soakStart < window).map((s) => s.rssKb as number);
    const lastMinute = rss.filter((s) => soakEnd - s.at <= window).map((s) => s.rssKb as number);
    const heapFirst = rss.filter((s) => s.at - soakStart < window && s.heapUsedBytes !== undefined).map((s) => (s.heapUsedBytes as number) / 1024);
    const heapLast = rss.filter((s) => soakEnd - s.at <= window && s.heapUsedBytes !== undefined).map((s) => (s.heapUsedBytes as number) / 1024);
    const rssFirst = median(firstMinute);
    const rssLast = median(lastMinute);
    const growth = (rssLast - rssFirst) / rssFirst;
    const maxConnections = Math.max(maxOf(loadSamples, 'connections'), maxOf(soakSamples, 'connections'));
    const allRss = samples.filter((s) => s.rssKb !== undefined).map((s) => s.rssKb as number);
    const loads = samples.map((s) => s.load1);

    const logText = fs.existsSync(serverLog) ? fs.readFileSync(serverLog, 'utf8') : '';
    // Memory growth is judged on what survives a full GC (the live heap, from --trace-gc): the
    // RSS also holds garbage waiting for the next full GC, so its medians move with GC timing.
    const soakLive = fullGcs(logText)
      .map((gc) => ({ at: childStarted + gc.ms, afterMb: gc.afterMb }))
      .filter((gc) => gc.at >= soakStart && gc.at <= soakEnd);
    const liveFirst = soakLive.filter((gc) => gc.at - soakStart < window).map((gc) => gc.afterMb);
    const liveLast = soakLive.filter((gc) => soakEnd - gc.at <= window).map((gc) => gc.afterMb);
    const liveGrowth = liveFirst.length > 0 && liveLast.length > 0 ? (median(liveLast) - median(liveFirst)) / median(liveFirst) : null;

    log('\nload phase');
    phaseTable(load);
    if (options.soakSeconds > 0) {
      log('\nsoak phase');
      phaseTable(soak);
    }
    log('\nfigures');
    const rows: string[][] = [['figure', 'value']];
    rows.push(['load: clients, seconds', `${options.clients}, ${load.seconds.toFixed(1)} s`]);
    rows.push(['load: requests, throughput', `${load.count}, ${loadRps.toFixed(1)} requests/s, ${load.staleRetries} retried on a closed keep-alive socket`]);
    rows.push(['load: latency p50 / p95 / p99', [0.5, 0.95, 0.99].map((p) => ms(percentile([...load.all].sort((a, b) => a - b), p))).join(' / ')]);
    rows.push(['load: HTTP non-200 / GraphQL errors / no answer', `${describe(load.httpStatuses)} / ${describe(load.graphqlCodes)} / ${describe(load.clientFailures)}`]);
    rows.push(['load: Bolt connections max / dcg_cypher_in_flight max', `${maxOf(loadSamples, 'connections')} / ${maxOf(loadSamples, 'inFlight')} (pool ${poolSize})`]);
    rows.push(['load: CPU s: server / Neo4j / load generator', cpuRow(cpu0, cpu1)]);
    if (options.soakSeconds > 0) {
      rows.push(['soak: clients, rate, seconds', `${options.soakClients}, ${soakRate} requests/s, ${soak.seconds.toFixed(1)} s`]);
      rows.push(['soak: requests, throughput, late', `${soak.count}, ${(soak.count / soak.seconds).toFixed(1)} requests/s, ${soak.late} sent late, ${soak.staleRetries} retried on a closed keep-alive socket`]);
      rows.push(['soak: latency p50 / p95 / p99', [0.5, 0.95, 0.99].map((p) => ms(percentile([...soak.all].sort((a, b) => a - b), p))).join(' / ')]);
      rows.push(['soak: HTTP non-200 / GraphQL errors / no answer', `${describe(soak.httpStatuses)} / ${describe(soak.graphqlCodes)} / ${describe(soak.clientFailures)}`]);
      rows.push(['soak: Bolt connections max / dcg_cypher_in_flight max', `${maxOf(soakSamples, 'connections')} / ${maxOf(soakSamples, 'inFlight')} (pool ${poolSize})`]);
      rows.push([`soak: RSS median first ${window / 1000} s → last ${window / 1000} s`, `${mb(rssFirst)} → ${mb(rssLast)} (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%, ${firstMinute.length} and ${lastMinute.length} samples)`]);
      rows.push([`soak: V8 heap used median first → last`, `${mb(median(heapFirst))} → ${mb(median(heapLast))}`]);
      const gcs = fullGcs(logText).map((gc) => ({ at: childStarted + gc.ms, afterMb: gc.afterMb }));
      const soakGcs = gcs.filter((gc) => gc.at >= soakStart && gc.at <= soakEnd);
      const gcFirst = soakGcs.filter((gc) => gc.at - soakStart < window).map((gc) => gc.afterMb);
      const gcLast = soakGcs.filter((gc) => soakEnd - gc.at <= window).map((gc) => gc.afterMb);
      rows.push([
        'soak: live heap after full GCs, first → last window',
        soakGcs.length === 0
          ? `no full GC during the soak (${gcs.length} over the run)`
          : `${gcFirst.length ? `${median(gcFirst).toFixed(1)} MB` : '-'} → ${gcLast.length ? `${median(gcLast).toFixed(1)} MB` : '-'} (${soakGcs.length} full GCs in the soak; min ${Math.min(...soakGcs.map((g) => g.afterMb)).toFixed(1)}, max ${Math.max(...soakGcs.map((g) => g.afterMb)).toFixed(1)} MB)`,
      ]);
      rows.push(['soak: CPU s: server / Neo4j / load generator', cpuRow(soakCpu, cpu2)]);
    }
    rows.push(['server RSS min / max over the run', `${mb(Math.min(...allRss))} / ${mb(Math.max(...allRss))} (${allRss.length} samples, every 5 s)`]);
    rows.push(['machine load average (1 min) min / median / max', `${Math.min(...loads).toFixed(2)} / ${median(loads).toFixed(2)} / ${Math.max(...loads).toFixed(2)} on ${os.cpus().length} cores`]);
    rows.push(['dcg serve on SIGTERM', `exit ${exit}`]);
    table(rows);
    for (const phase of [load, soak]) {
      if (phase.messages.size > 0) log(`  ${phase.name} error messages: ${[...phase.messages].map(([m, n]) => `${n} × ${m}`).join(' | ')}`);
    }
    const serverLines = logText.split('\n').filter((line) => line && !/^\[\d+:0x/.test(line));
    log(`  server log: ${serverLines.length} lines at warn or above${serverLines.length ? `; last: ${serverLines.at(-1)?.slice(0, 300)}` : ''}`);

    const verdicts: Array<[string, boolean, string]> = [
      ['no request failed under load', load.failed === 0 && soak.failed === 0, `${load.failed} in the load phase, ${soak.failed} in the soak`],
      ...(options.soakSeconds > 0
        ? ([
            [
              `live heap grew less than ${MEMORY_GROWTH_LIMIT * 100}% over the soak (after full GCs, first vs last ${window / 1000} s)`,
              liveGrowth !== null && liveGrowth < MEMORY_GROWTH_LIMIT,
              liveGrowth === null ? 'no full GC in the first or the last window' : `${liveGrowth >= 0 ? '+' : ''}${(liveGrowth * 100).toFixed(1)}%; RSS ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%`,
            ],
          ] as Array<[string, boolean, string]>)
        : []),
      [`Bolt connections never above the pool size (${poolSize})`, samples.some((s) => s.connections !== undefined) && maxConnections <= poolSize, `max ${maxConnections}`],
    ];
    log('');
    for (const [name, ok, detail] of verdicts) log(`${ok ? 'PASS' : 'FAIL'} ${name} (${detail})`);
    log(`load average at the end ${os.loadavg().map((v) => v.toFixed(2)).join(', ')}`);
    return verdicts.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    await watcher?.stop().catch(() => {});
    await child?.stop().catch(() => {});
    await db?.close().catch(() => {});
    await neo4j?.stop().catch(() => {});
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`load: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
