/**
 * The machine a run was on, and the run's results as Markdown for bench/BENCHMARKS.md (between
 * markers, so the hand-written text around them stays) and as JSON in bench/results/.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config } from '../src/config';
import { PROJECT_ROOT } from '../src/paths';
import type { QueryCheck, ServerName } from './check';
import type { Measure } from './measure';
import { MIX } from './mix';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  os: string;
  node: string;
  java: string;
  neo4j: string;
  /** The checkout measured: HEAD, and whether tracked files differed from it. */
  git: string;
  packages: Record<string, string>;
  uptimeAtStart: string;
  uptimeAtEnd?: string;
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
}

export function uptime(): string {
  const result = spawnSync('uptime', [], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : `load average ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}`;
}

function gitState(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (head.status !== 0) return 'not a git checkout';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  const changed = dirty.stdout.split('\n').filter((l) => l.trim()).map((l) => l.slice(3));
  return changed.length > 0 ? `${head.stdout.trim()} with uncommitted changes to ${changed.join(', ')}` : head.stdout.trim();
}

export function machine(neo4jVersion: string): Machine {
  const { JAVA_HOME } = config();
  const java = spawnSync(JAVA_HOME ? path.join(JAVA_HOME, 'bin', 'java') : 'java', ['-version'], { encoding: 'utf8' });
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    java: java.status === 0 ? (java.stderr.split('\n')[0] ?? '').trim() : 'not found',
    neo4j: neo4jVersion,
    git: gitState(),
    packages: Object.fromEntries(['@apollo/server', '@neo4j/graphql', 'graphql', 'neo4j-driver', 'dataloader', 'autocannon'].map((p) => [p, packageVersion(p)])),
    uptimeAtStart: uptime(),
  };
}

export interface QueryResult {
  name: string;
  title: string;
  peerHow: 'generated' | '@cypher';
  measures: Partial<Record<ServerName, Measure>>;
  /** Our Cypher round trips per request during the timed run, from /metrics. */
  oursRoundTrips: number | null;
}

export interface RunReport {
  kind: 'run';
  date: string;
  scale: string;
  options: { connections: number; durationS: number; warmupS: number; logLevel: string; responseCache?: boolean; vary?: number };
  machine: Machine;
  dataset: Record<string, unknown>;
  targets: Record<string, string>;
  check: QueryCheck[];
  idleRssMb: Partial<Record<ServerName, number | null>>;
  results: QueryResult[];
  summary: Summary;
}

export interface Summary {
  /** Equal-weight mix: requests per second if each query is asked equally often, N / Σ(1/rps). */
  mixRps: Partial<Record<ServerName, { generated: number; all: number }>>;
  goals: Array<{ goal: string; met: boolean | null; detail: string }>;
  maxRssMb: Partial<Record<ServerName, number | null>>;
  loadAverage: { min: number; max: number; mean: number };
}

/** Failed answers, with their codes: "30 (QUERY_TIMEOUT 30)". */
export function failedText(m: Measure): string {
  const failed = m.failures.errors + m.failures.non2xx + m.failures.graphqlErrors;
  const codes = Object.entries(m.failures.codes ?? {}).map(([code, n]) => `${code} ${n}`);
  if (m.failures.timeouts > 0) codes.push(`client timeout ${m.failures.timeouts}`);
  return codes.length > 0 ? `${failed} (${codes.join(', ')})` : String(failed);
}

const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);

function mixRps(results: QueryResult[], server: ServerName, onlyGenerated: boolean): number | undefined {
  const rows = results.filter((r) => !onlyGenerated || r.peerHow === 'generated');
  const rates = rows.map((r) => r.measures[server]?.rps);
  if (rates.length === 0 || rates.some((x) => x === undefined || x <= 0)) return undefined;
  return rates.length / rates.reduce((sum: number, x) => sum + 1 / (x as number), 0);
}

export function summarise(results: QueryResult[], cached = true): Summary {
  const servers: ServerName[] = ['ours', 'peer', 'floor'];
  const mix: Summary['mixRps'] = {};
  for (const s of servers) {
    const generated = mixRps(results, s, true);
    const all = mixRps(results, s, false);
    if (generated !== undefined && all !== undefined) mix[s] = { generated: Number(generated.toFixed(1)), all: Number(all.toFixed(1)) };
  }
  const goals: Summary['goals'] = [];
  if (mix.ours && mix.peer) {
    const r = mix.ours.generated / mix.peer.generated;
    goals.push({ goal: 'ours ≥ 2× the peer on the mix (generated-API queries)', met: r >= 2, detail: `${r.toFixed(2)}×` });
    const all = mix.ours.all / mix.peer.all;
    goals.push({ goal: 'ours ≥ 2× the peer on the mix (all six, the peer\'s two @cypher fields included)', met: all >= 2, detail: `${all.toFixed(2)}×` });
  }
  for (const r of results) {
    const tp = ratio(r.measures.ours?.rps, r.measures.peer?.rps);
    if (tp !== undefined) goals.push({ goal: `ours ≥ 2× the peer: ${r.name}${r.peerHow === '@cypher' ? ' (peer via @cypher)' : ''}`, met: tp >= 2, detail: `${tp.toFixed(2)}×` });
  }
  if (!cached) {
    for (const r of results) {
      const tf = ratio(r.measures.ours?.rps, r.measures.floor?.rps);
      if (tf !== undefined) goals.push({ goal: `uncached, ours ≥ 0.8× the floor's throughput: ${r.name}`, met: tf >= 0.8, detail: `${tf.toFixed(2)}×` });
    }
  }
  for (const r of results) {
    const p99 = ratio(r.measures.ours?.latencyMs.p99, r.measures.floor?.latencyMs.p99);
    if (p99 === undefined) continue;
    const ours = r.measures.ours as Measure;
    const failed = ours.failures.errors + ours.failures.non2xx + ours.failures.graphqlErrors;
    // A p99 over the answers that succeeded says nothing when some did not.
    goals.push({
      goal: `ours p99 ≤ 1.5× the floor's: ${r.name}`,
      met: failed === 0 && p99 <= 1.5,
      detail: `${p99.toFixed(2)}× (${fmt(ours.latencyMs.p99)} vs ${fmt(r.measures.floor?.latencyMs.p99)} ms)${failed > 0 ? `, but ${failed} of ours' ${failed + ours.requests} answers failed` : ''}`,
    });
  }
  for (const r of results) {
    const m = r.measures.ours;
    if (m && m.failures.errors + m.failures.non2xx + m.failures.graphqlErrors > 0) {
      goals.push({ goal: `ours answers every request: ${r.name}`, met: false, detail: `failed ${failedText(m)}; its req/s and latencies count successful answers only` });
    }
  }
  const maxRss: Summary['maxRssMb'] = {};
  for (const s of servers) {
    const values = results.map((r) => r.measures[s]?.maxRssMb).filter((x): x is number => typeof x === 'number');
    maxRss[s] = values.length > 0 ? Math.max(...values) : null;
  }
  if (typeof maxRss.ours === 'number') goals.push({ goal: 'our server under 200 MB RSS under load', met: maxRss.ours < 200, detail: `max ${maxRss.ours.toFixed(1)} MB` });
  const loads = results.flatMap((r) => Object.values(r.measures).map((m) => m.loadAverage));
  return {
    mixRps: mix,
    goals,
    maxRssMb: maxRss,
    loadAverage: {
      min: loads.length ? Math.min(...loads) : 0,
      max: loads.length ? Math.max(...loads) : 0,
      mean: loads.length ? Number((loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(2)) : 0,
    },
  };
}

function machineLines(m: Machine): string[] {
  return [
    `- Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB memory, ${m.os}`,
    `- Node ${m.node}; Java: ${m.java}; Neo4j ${m.neo4j}`,
    ...(m.git ? [`- Code: ${m.git}`] : []),
    `- Packages: ${Object.entries(m.packages).map(([p, v]) => `${p} ${v}`).join(', ')}`,
    `- \`uptime\` at the start: \`${m.uptimeAtStart}\``,
    ...(m.uptimeAtEnd ? [`- \`uptime\` at the end: \`${m.uptimeAtEnd}\``] : []),
  ];
}

export function runMarkdown(report: RunReport): string {
  const o = report.options;
  const lines: string[] = [];
  const cached = o.responseCache !== false;
  const vary = o.vary ?? 1;
  const varied = vary > 1 ? `, each request's targets drawn from ${vary} sets` : '';
  lines.push(`### Run of ${report.date}, scale ${report.scale}, ${cached ? 'our response cache on (as shipped)' : 'our response cache off'}${varied}`, '');
  lines.push(
    `Command: \`npm run bench -- --scale ${report.scale} --duration ${o.durationS}${cached ? '' : ' --no-cache'}${vary > 1 ? ` --vary ${vary}` : ''}\` (${o.connections} connections, ${o.warmupS} s warm-up then ${o.durationS} s timed, per query per server; the servers run one at a time; our API at LOG_LEVEL=${o.logLevel}${cached ? '' : ', RESPONSE_CACHE_MB=0'}${vary > 1 ? '; the network has no target and is asked alike every time' : ''}). Raw figures: \`bench/results/${resultFile(report.date, report.scale, cached, vary)}\`.`,
    '',
  );
  lines.push(...machineLines(report.machine));
  lines.push(`- 1-minute load average at the end of each timed run: min ${fmt(report.summary.loadAverage.min, 2)}, mean ${fmt(report.summary.loadAverage.mean, 2)}, max ${fmt(report.summary.loadAverage.max, 2)}`);
  lines.push(`- Dataset: ${Object.entries(report.dataset).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`);
  lines.push(`- Targets${vary > 1 ? ' (the first of the sets; the answers of five more were compared too)' : ''}: ${Object.entries(report.targets).map(([k, v]) => `${k} \`${v}\``).join(', ')}`, '');

  lines.push('Answer check (normalised answers compared before timing):', '');
  lines.push('| query | agree | items (ours / peer / floor) | bytes (ours / peer / floor) |', '|---|---|---|---|');
  for (const c of report.check) {
    lines.push(`| ${c.name} | ${c.ok ? 'yes' : '**no**'} | ${c.sizes.ours ?? '–'} / ${c.sizes.peer ?? '–'} / ${c.sizes.floor ?? '–'} | ${c.bytes.ours ?? '–'} / ${c.bytes.peer ?? '–'} / ${c.bytes.floor ?? '–'} |`);
  }
  lines.push('');

  lines.push('| query | server | req/s | p50 ms | p95 ms | p99 ms | max ms | answers in s | failed | Cypher round trips | max RSS MB |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of report.results) {
    for (const s of ['ours', 'peer', 'floor'] as const) {
      const m = r.measures[s];
      if (!m) continue;
      const failed = failedText(m);
      const trips = s === 'ours' ? fmt(r.oursRoundTrips, 2) : s === 'floor' ? '1' : r.peerHow === '@cypher' ? '1 (@cypher)' : '1';
      lines.push(`| ${r.name} | ${s}${s === 'peer' && r.peerHow === '@cypher' ? ' (@cypher)' : ''} | ${fmt(m.rps)} | ${fmt(m.latencyMs.p50)} | ${fmt(m.latencyMs.p95)} | ${fmt(m.latencyMs.p99)} | ${fmt(m.latencyMs.max)} | ${m.requests} in ${fmt(m.seconds)} | ${failed} | ${trips} | ${fmt(m.maxRssMb)} |`);
    }
  }
  lines.push('');

  lines.push('| query | ours / peer req/s | ours / floor req/s | ours / peer p99 | ours / floor p99 |', '|---|---:|---:|---:|---:|');
  for (const r of report.results) {
    const m = r.measures;
    lines.push(
      `| ${r.name}${r.peerHow === '@cypher' ? ' (peer @cypher)' : ''} | ${fmt(ratio(m.ours?.rps, m.peer?.rps), 2)} | ${fmt(ratio(m.ours?.rps, m.floor?.rps), 2)} | ${fmt(ratio(m.ours?.latencyMs.p99, m.peer?.latencyMs.p99), 2)} | ${fmt(ratio(m.ours?.latencyMs.p99, m.floor?.latencyMs.p99), 2)} |`,
    );
  }
  const mix = report.summary.mixRps;
  lines.push(
    `| equal-weight mix, 4 generated-API queries | ${fmt(ratio(mix.ours?.generated, mix.peer?.generated), 2)} | ${fmt(ratio(mix.ours?.generated, mix.floor?.generated), 2)} | | |`,
    `| equal-weight mix, all 6 | ${fmt(ratio(mix.ours?.all, mix.peer?.all), 2)} | ${fmt(ratio(mix.ours?.all, mix.floor?.all), 2)} | | |`,
    '',
  );
  lines.push(
    `Mix throughput (N / Σ 1/req/s): ${(['ours', 'peer', 'floor'] as const).map((s) => `${s} ${fmt(mix[s]?.generated)} (4 queries) / ${fmt(mix[s]?.all)} (6)`).join('; ')}.`,
    `Server memory: idle after start ${(['ours', 'peer', 'floor'] as const).map((s) => `${s} ${fmt(report.idleRssMb[s])} MB`).join(', ')}; max under load ${(['ours', 'peer', 'floor'] as const).map((s) => `${s} ${fmt(report.summary.maxRssMb[s])} MB`).join(', ')}.`,
    '',
  );
  lines.push('Goals:', '');
  for (const g of report.summary.goals) lines.push(`- ${g.met === null ? '?' : g.met ? 'met' : '**not met**'}: ${g.goal} (${g.detail})`);
  lines.push('');
  return lines.join('\n');
}

export interface GrowthReport {
  kind: 'growth';
  date: string;
  scales: string[];
  options: { connections: number; durationS: number; warmupS: number; logLevel: string };
  machine: Machine;
  perScale: Array<{ scale: string; dataset: Record<string, unknown>; targets: Record<string, string>; check: QueryCheck[]; results: QueryResult[] }>;
}

export function growthMarkdown(report: GrowthReport): string {
  const o = report.options;
  const lines: string[] = [];
  lines.push(`### Cost growth, ${report.date}, scales ${report.scales.join(' → ')}`, '');
  lines.push(
    `Command: \`npm run bench -- --growth --scales ${report.scales.join(',')} --duration ${o.durationS}\` (${o.connections} connections; ours and the floor). Raw figures: \`bench/results/${report.date}-growth.json\`.`,
    '',
  );
  lines.push(...machineLines(report.machine));
  for (const s of report.perScale) lines.push(`- ${s.scale}: ${Object.entries(s.dataset).map(([k, v]) => `${k} ${String(v)}`).join(', ')}; targets ${Object.values(s.targets).join(', ')}`);
  lines.push('');
  const first = report.perScale[0];
  const header = ['query', 'server', `answer items ${report.scales.join(' → ')}`, ...report.perScale.map((s) => `p50 ${s.scale}`), ...report.perScale.map((s) => `p99 ${s.scale}`), ...report.perScale.map((s) => `req/s ${s.scale}`), `p50 growth ${report.scales[0]}→${report.scales.at(-1)}`];
  lines.push(`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`);
  for (const q of MIX) {
    for (const server of ['ours', 'floor'] as const) {
      const ms = report.perScale.map((s) => s.results.find((r) => r.name === q.name)?.measures[server]);
      if (ms.every((m) => m === undefined)) continue;
      const growth = ratio(ms.at(-1)?.latencyMs.p50, ms[0]?.latencyMs.p50);
      const items = report.perScale.map((s) => s.check.find((c) => c.name === q.name)?.sizes[server] ?? '–').join(' → ');
      lines.push(
        `| ${q.name} | ${server} | ${items} | ${ms.map((m) => fmt(m?.latencyMs.p50)).join(' | ')} | ${ms.map((m) => fmt(m?.latencyMs.p99)).join(' | ')} | ${ms.map((m) => fmt(m?.rps)).join(' | ')} | ${fmt(growth, 2)}× |`,
      );
    }
  }
  if (first) lines.push('');
  const failures = report.perScale.flatMap((s) =>
    s.results.flatMap((r) =>
      (['ours', 'floor'] as const).flatMap((server) => {
        const m = r.measures[server];
        return m && m.failures.errors + m.failures.non2xx + m.failures.graphqlErrors > 0 ? [`${s.scale} ${r.name} ${server}: ${failedText(m)}`] : [];
      }),
    ),
  );
  if (failures.length > 0) lines.push(`Failed answers (not counted in the figures above): ${failures.join('; ')}.`, '');
  const trips = report.perScale.map((s) => `${s.scale}: ${s.results.map((r) => `${r.name} ${fmt(r.oursRoundTrips, 2)}`).join(', ')}`);
  lines.push(`Our Cypher round trips per request (failed requests included) — ${trips.join('; ')}.`, '');
  return lines.join('\n');
}

const BENCHMARKS = path.join(PROJECT_ROOT, 'bench', 'BENCHMARKS.md');

/**
 * The three passes of `--columns` side by side, per query: our requests per second with the
 * cache on and fixed targets, with the cache on and varied targets, and uncached; the peer and
 * the floor (which have no cache) in the same passes; and the ratios the goals are about.
 */
export function columnsMarkdown(reports: RunReport[]): string {
  const [fixed, varied, uncached] = reports as [RunReport, RunReport, RunReport];
  const lines: string[] = [];
  const vary = varied.options.vary ?? 1;
  lines.push(`### Three columns, ${fixed.date}, scale ${fixed.scale}`, '');
  lines.push(
    `Command: \`npm run bench -- --columns --scale ${fixed.scale} --duration ${fixed.options.durationS}${vary !== 200 ? ` --vary ${vary}` : ''}\`: one Neo4j, one dataset, three passes one after another (cache on with fixed targets, cache on with each request's targets drawn from ${vary} sets, cache off with fixed targets), ${fixed.options.connections} connections. Raw figures: \`bench/results/${resultFile(fixed.date, fixed.scale, true)}\`, \`${resultFile(varied.date, varied.scale, true, vary)}\`, \`${resultFile(uncached.date, uncached.scale, false)}\`.`,
    '',
  );
  lines.push(`- \`uptime\` at the start: \`${fixed.machine.uptimeAtStart}\`; at the end: \`${uncached.machine.uptimeAtEnd ?? '?'}\``, '');
  lines.push(
    '| query | ours req/s: cached fixed / cached varied / uncached | peer req/s: fixed / varied | floor req/s: fixed / varied | ours / peer: fixed / varied / uncached | ours / floor: fixed / varied / uncached | p99 ours / floor uncached |',
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of fixed.results) {
    const v = varied.results.find((x) => x.name === r.name);
    const u = uncached.results.find((x) => x.name === r.name);
    const rps = (q: QueryResult | undefined, s: ServerName) => q?.measures[s]?.rps;
    const peerOf = (q: QueryResult | undefined) => rps(q, 'peer');
    const floorOf = (q: QueryResult | undefined) => rps(q, 'floor');
    lines.push(
      `| ${r.name}${r.peerHow === '@cypher' ? ' (peer @cypher)' : ''} | ${fmt(rps(r, 'ours'))} / ${fmt(rps(v, 'ours'))} / ${fmt(rps(u, 'ours'))} | ${fmt(peerOf(r))} / ${fmt(peerOf(v))} | ${fmt(floorOf(r))} / ${fmt(floorOf(v))} | ` +
        `${fmt(ratio(rps(r, 'ours'), peerOf(r)), 2)} / ${fmt(ratio(rps(v, 'ours'), peerOf(v)), 2)} / ${fmt(ratio(rps(u, 'ours'), peerOf(u)), 2)} | ` +
        `${fmt(ratio(rps(r, 'ours'), floorOf(r)), 2)} / ${fmt(ratio(rps(v, 'ours'), floorOf(v)), 2)} / ${fmt(ratio(rps(u, 'ours'), floorOf(u)), 2)} | ` +
        `${fmt(ratio(u?.measures.ours?.latencyMs.p99, u?.measures.floor?.latencyMs.p99), 2)} |`,
    );
  }
  const mix = (rep: RunReport) => ratio(rep.summary.mixRps.ours?.all, rep.summary.mixRps.peer?.all);
  lines.push(`| equal-weight mix, all 6 (ours / peer) | | | | ${fmt(mix(fixed), 2)} / ${fmt(mix(varied), 2)} / ${fmt(mix(uncached), 2)} | | |`, '');
  lines.push(
    `Our max RSS under load: cached fixed ${fmt(fixed.summary.maxRssMb.ours)} MB, cached varied ${fmt(varied.summary.maxRssMb.ours)} MB, uncached ${fmt(uncached.summary.maxRssMb.ours)} MB. 1-minute load average at the end of the timed runs: ${[fixed, varied, uncached].map((rep) => `${fmt(rep.summary.loadAverage.min, 1)} to ${fmt(rep.summary.loadAverage.max, 1)}`).join(', ')}.`,
    '',
  );
  const unmet = [varied, uncached].flatMap((rep) => rep.summary.goals.filter((g) => g.met === false).map((g) => `${rep === varied ? 'varied' : 'uncached'}: ${g.goal} (${g.detail})`));
  lines.push(unmet.length > 0 ? `Goals not met: ${unmet.join('; ')}.` : 'Every goal of the varied and uncached passes is met.', '');
  return lines.join('\n');
}

/** The BENCHMARKS.md section a run's report belongs in. */
export function sectionOf(report: RunReport): Section {
  if (report.options.responseCache === false) return 'run-uncached';
  return (report.options.vary ?? 1) > 1 ? 'run-varied' : 'run';
}

type Section = 'run' | 'run-uncached' | 'run-varied' | 'growth' | 'columns';

/** Replaces the block between `<!-- bench:<name>:start -->` and `<!-- bench:<name>:end -->`, or appends one. */
export function writeSection(name: Section, markdown: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown}\n${end}`;
  const current = fs.existsSync(BENCHMARKS) ? fs.readFileSync(BENCHMARKS, 'utf8') : '# Benchmarks\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(BENCHMARKS, next);
}

/** The results file of a run: `<date>-<scale>[-uncached][-varied].json`. */
export function resultFile(date: string, scale: string, cached: boolean, vary = 1): string {
  return `${date}-${scale}${cached ? '' : '-uncached'}${vary > 1 ? '-varied' : ''}.json`;
}

export function writeJson(file: string, value: unknown): string {
  const target = path.join(PROJECT_ROOT, 'bench', 'results', file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, `${JSON.stringify(value, null, 2)}\n`);
  return target;
}
