/**
 * The answer check, run before any timing: each query of the mix is fetched once from each
 * server, normalised (bench/mix.ts) and compared. A disagreement, an error or an empty answer
 * fails the check, with a diff. Used by bench/run.ts and tests/integration/bench-smoke.test.ts.
 */
import { MIX, type MixQuery, type Targets } from './mix';

export type ServerName = 'ours' | 'peer' | 'floor';

export interface Endpoints {
  ours: string;
  peer?: string;
  floor?: string;
}

const REQUEST_TIMEOUT_MS = 120_000;
const MAX_DIFFS = 12;

export interface Request {
  url: string;
  body: string;
  /** The varied mode: each request's body drawn from these (body is the first). */
  bodies?: string[];
}

/** The requests of a varied run: one body per target set, the first set's as `body`. */
export function variedRequestFor(server: ServerName, q: MixQuery, sets: readonly Targets[], endpoints: Endpoints): Request {
  const [first] = sets;
  if (!first) throw new Error('no target sets');
  const request = requestFor(server, q, first, endpoints);
  return sets.length > 1 ? { ...request, bodies: sets.map((t) => requestFor(server, q, t, endpoints).body) } : request;
}

/** The HTTP request each server gets for a query: the same one is used for timing. */
export function requestFor(server: ServerName, q: MixQuery, t: Targets, endpoints: Endpoints): Request {
  if (server === 'ours') return { url: endpoints.ours, body: JSON.stringify({ operationName: q.name, query: q.ours.query, variables: q.ours.variables(t) }) };
  if (server === 'peer') {
    if (!endpoints.peer) throw new Error('no peer endpoint');
    return { url: endpoints.peer, body: JSON.stringify({ operationName: q.name, query: q.peer.query, variables: q.peer.variables(t) }) };
  }
  if (!endpoints.floor) throw new Error('no floor endpoint');
  return { url: new URL(q.name, endpoints.floor).toString(), body: JSON.stringify(q.ours.variables(t)) };
}

export async function fetchData(request: Request): Promise<unknown> {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: request.body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let body: { data?: unknown; errors?: Array<{ message?: string; path?: unknown; extensions?: unknown }> };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
  }
  if (!response.ok || body.errors?.length) {
    throw new Error(`HTTP ${response.status}: ${JSON.stringify(body.errors ?? body).slice(0, 600)}`);
  }
  return body.data;
}

/** The first differences between two JSON values, as "path: left ≠ right". */
export function diff(left: unknown, right: unknown, path = '$', out: string[] = []): string[] {
  if (out.length >= MAX_DIFFS) return out;
  if (Array.isArray(left) && Array.isArray(right)) {
    if (left.length !== right.length) out.push(`${path}: ${left.length} items ≠ ${right.length} items`);
    // Sorted lists: show what one has and the other lacks, which says more than index-by-index.
    const l = new Set(left.map((x) => JSON.stringify(x)));
    const r = new Set(right.map((x) => JSON.stringify(x)));
    const onlyLeft = [...l].filter((x) => !r.has(x));
    const onlyRight = [...r].filter((x) => !l.has(x));
    if (onlyLeft.length + onlyRight.length > 0 && onlyLeft.length + onlyRight.length <= 2 * left.length + 2) {
      for (const x of onlyLeft.slice(0, 3)) out.push(`${path}: only left ${x.slice(0, 400)}`);
      for (const x of onlyRight.slice(0, 3)) out.push(`${path}: only right ${x.slice(0, 400)}`);
    }
    if (onlyLeft.length === 0 && onlyRight.length === 0) {
      for (let i = 0; i < left.length && out.length < MAX_DIFFS; i += 1) diff(left[i], right[i], `${path}[${i}]`, out);
    }
    return out;
  }
  if (left !== null && right !== null && typeof left === 'object' && typeof right === 'object' && !Array.isArray(left) && !Array.isArray(right)) {
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of keys) diff((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key], `${path}.${key}`, out);
    return out;
  }
  if (JSON.stringify(left) !== JSON.stringify(right)) out.push(`${path}: ${JSON.stringify(left)?.slice(0, 200)} ≠ ${JSON.stringify(right)?.slice(0, 200)}`);
  return out;
}

export interface QueryCheck {
  name: string;
  /** Items in each server's normalised answer (null when it failed). */
  sizes: Partial<Record<ServerName, number | null>>;
  /** Bytes of each server's raw answer. */
  bytes: Partial<Record<ServerName, number>>;
  /** Milliseconds each server took for this first (cold) answer. */
  ms: Partial<Record<ServerName, number>>;
  ok: boolean;
  problems: string[];
}

/**
 * Fetches every query from every given server, normalises and compares. The floor is the
 * reference when present; otherwise ours is compared with the peer.
 */
export async function checkAnswers(endpoints: Endpoints, targets: Targets, queries: readonly MixQuery[] = MIX): Promise<QueryCheck[]> {
  const servers = (['ours', 'peer', 'floor'] as const).filter((s) => s === 'ours' || endpoints[s]);
  const results: QueryCheck[] = [];
  for (const q of queries) {
    const check: QueryCheck = { name: q.name, sizes: {}, bytes: {}, ms: {}, ok: true, problems: [] };
    const normalised: Partial<Record<ServerName, unknown>> = {};
    for (const server of servers) {
      try {
        const request = requestFor(server, q, targets, endpoints);
        const started = performance.now();
        const data = await fetchData(request);
        check.ms[server] = Math.round(performance.now() - started);
        check.bytes[server] = JSON.stringify(data).length;
        const n = server === 'peer' ? q.normalisePeer(data, targets) : q.normaliseOurs(data, targets);
        normalised[server] = n;
        check.sizes[server] = q.size(n);
        if (q.size(n) === 0) {
          check.ok = false;
          check.problems.push(`${server}: empty answer; the targets ask nothing`);
        }
      } catch (error) {
        check.ok = false;
        check.sizes[server] = null;
        check.problems.push(`${server}: ${(error as Error).message}`);
      }
    }
    const reference: ServerName = servers.includes('floor') ? 'floor' : 'ours';
    for (const server of servers) {
      if (server === reference || !(server in normalised) || !(reference in normalised)) continue;
      const differences = diff(normalised[server], normalised[reference]);
      if (differences.length > 0) {
        check.ok = false;
        check.problems.push(`${server} ≠ ${reference} (left ${server}, right ${reference}):`, ...differences.map((d) => `  ${d}`));
      }
    }
    results.push(check);
  }
  return results;
}

export function formatChecks(checks: QueryCheck[]): string {
  return checks
    .map((c) => {
      const sizes = Object.entries(c.sizes).map(([s, n]) => `${s} ${n ?? 'failed'}`).join(', ');
      const bytes = Object.entries(c.bytes).map(([s, n]) => `${s} ${n}`).join(', ');
      const ms = Object.entries(c.ms).map(([s, n]) => `${s} ${n}`).join(', ');
      return [`${c.ok ? 'AGREE' : 'DISAGREE'} ${c.name}: items ${sizes}; bytes ${bytes}; first answer ms ${ms}`, ...c.problems.map((p) => `    ${p}`)].join('\n');
    })
    .join('\n');
}
