/**
 * One timed run: autocannon at fixed concurrency against one request, every response's latency
 * kept (autocannon's own percentiles have no p95), the server's RSS sampled throughout, and for
 * our API the Cypher round trips per request from its /metrics.
 */
import os from 'node:os';
import autocannon from 'autocannon';
import type { Request } from './check';
import { prng } from '../scripts/gen';
import { percentile, sampleRss, waitIdle } from './harness';

export interface RunOptions {
  connections: number;
  /** Timed seconds; extended (up to MAX_EXTENSION × this, at least 60 s) until 2 × connections answers. */
  durationS: number;
  warmupS: number;
}

const MAX_EXTENSION = 4;

export interface Measure {
  /** Successful answers (2xx without GraphQL errors); rps and latencies count only these. */
  requests: number;
  seconds: number;
  rps: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  /** Connection errors, timeouts, non-2xx answers, and 2xx answers carrying GraphQL errors. */
  failures: { errors: number; timeouts: number; non2xx: number; graphqlErrors: number; codes: Record<string, number> };
  maxRssMb: number | null;
  bytesPerRequest: number;
  /** 1-minute load average when the run ended. */
  loadAverage: number;
  /** Seconds spent waiting, after the warm-up, for abandoned requests to finish (null: gave up at 60 s). */
  settleS: number | null;
}

const REQUEST_TIMEOUT_S = 60;

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

interface Sample {
  ms: number;
  bytes: number;
  ok: boolean;
}

interface Cannonade {
  result: autocannon.Result;
  samples: Sample[];
  /** Error codes in failed answers' bodies (extensions.code), or "HTTP <status>". */
  codes: Record<string, number>;
}

function cannon(request: Request, connections: number, durationS: number, minSamples = 0): Promise<Cannonade> {
  const maxS = minSamples > 0 ? Math.min(600, Math.max(60, durationS * MAX_EXTENSION)) : durationS;
  const samples: Sample[] = [];
  const codes: Record<string, number> = {};
  const { bodies } = request;
  // Seeded, so a varied run draws the same sequence every time.
  const draw = prng(bodies?.length ?? 1);
  // The varied mode: every request of every connection gets a body drawn from the set.
  const requests = bodies && bodies.length > 1 ? [{ setupRequest: (r: autocannon.Request) => ({ ...r, body: bodies[Math.floor(draw() * bodies.length)] }) }] : undefined;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let stopping = false;
    // autocannon emits 'response' and then, synchronously for the same response, calls
    // verifyBody: so the body's verdict belongs to the last sample.
    let last: Sample | undefined;
    const instance = autocannon(
      {
        url: request.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: request.body,
        ...(requests ? { requests } : {}),
        connections,
        duration: maxS,
        timeout: REQUEST_TIMEOUT_S,
        // An answer with "errors" is a failure even when its status is 200 (GraphQL execution errors).
        verifyBody: (body) => {
          const text = String(body);
          const failed = text.includes('"errors":');
          if (failed) {
            const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? 'GRAPHQL_ERROR';
            codes[code] = (codes[code] ?? 0) + 1;
          }
          if (last) last.ok = last.ok && !failed;
          return !failed;
        },
      },
      (error: unknown, result: autocannon.Result) => (error ? reject(error) : resolve({ result, samples, codes })),
    );
    instance.on('response', (_client, status, bytes, ms) => {
      last = { ms, bytes, ok: status >= 200 && status < 300 };
      if (!last.ok) codes[`HTTP ${status}`] = (codes[`HTTP ${status}`] ?? 0) + 1;
      samples.push(last);
      // Past the set duration with enough answers: stop (a slow query runs longer, up to maxS).
      if (!stopping && Date.now() - started >= durationS * 1000 && samples.length >= minSamples) {
        stopping = true;
        instance.stop();
      }
    });
  });
}

/**
 * Warm-up, wait for the server (and Neo4j) to finish what the warm-up left running, the timed
 * run, and the same wait after it. `afterWarmup` runs just before the timed run (to read counters).
 */
/** Load without timing: run before any server of a query is timed, so that Neo4j has compiled every server's query shape alike. */
export async function warmUp(request: Request, options: RunOptions, idlePids: number[]): Promise<void> {
  if (options.warmupS <= 0) return;
  await cannon(request, options.connections, options.warmupS);
  await waitIdle(idlePids);
}

export async function measure(request: Request, pid: number, options: RunOptions, idlePids: number[], afterWarmup?: () => Promise<void>): Promise<Measure> {
  let settle: number | null = 0;
  if (options.warmupS > 0) {
    await cannon(request, options.connections, options.warmupS);
    settle = await waitIdle(idlePids);
  }
  await afterWarmup?.();
  const rss = sampleRss(pid);
  const { result, samples, codes } = await cannon(request, options.connections, options.durationS, 2 * options.connections);
  const maxRssMb = rss.stop();
  const loadAverage = round(os.loadavg()[0] ?? 0);
  await waitIdle(idlePids);
  const ok = samples.filter((x) => x.ok);
  const latencies = ok.map((x) => x.ms).sort((a, b) => a - b);
  const seconds = result.duration;
  const mean = latencies.reduce((sum, x) => sum + x, 0) / Math.max(1, latencies.length);
  return {
    requests: latencies.length,
    seconds: round(seconds, 2),
    rps: round(latencies.length / seconds, 1),
    latencyMs: {
      mean: round(mean),
      p50: round(percentile(latencies, 0.5)),
      p95: round(percentile(latencies, 0.95)),
      p99: round(percentile(latencies, 0.99)),
      max: round(latencies.at(-1) ?? Number.NaN),
    },
    failures: { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, graphqlErrors: result.mismatches, codes },
    maxRssMb: maxRssMb === null ? null : round(maxRssMb, 1),
    bytesPerRequest: Math.round(ok.reduce((sum, x) => sum + x.bytes, 0) / Math.max(1, ok.length)),
    loadAverage,
    settleS: settle === null ? null : round(settle / 1000, 1),
  };
}

/** Sum and count of our dcg_cypher_round_trips histogram for one operation. */
export async function roundTripTotals(metricsUrl: string, operation: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(10_000) })).text();
  const value = (suffix: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`dcg_cypher_round_trips_${suffix}{`) && l.includes(`operation="${operation}"`));
    return line ? Number(line.trim().split(/\s+/).at(-1)) : 0;
  };
  return { sum: value('sum'), count: value('count') };
}
