/**
 * Whole answers to GraphQL queries, kept in memory until the graph changes.
 *
 * An answer depends only on the query, its variables and the graph, and the graph changes only
 * through loads and resets, which change its version (src/db/version.ts). The server reads the
 * version every `pollMs` and makes it part of every cache key, so once a load is seen no answer
 * from before it is served again: dashboards repeating a query get the stored answer, with no
 * Cypher at all, and see a load within `pollMs` of its commit. While the version cannot be read
 * (Neo4j down), the cache is bypassed and requests fail as they would without it.
 *
 * What is kept is the response body as sent (JSON text), in an LRU bounded by its length, so a
 * hit costs neither parsing nor serialising: the Apollo plugin below answers a hit with a
 * placeholder `data` object, and stringifyResult() (Apollo's hook for writing a response body)
 * swaps in the stored text. Answers with errors are never kept. Requests for an answer that is
 * being computed wait for it rather than compute it again, so a dashboard's burst after a load
 * costs Neo4j one query.
 */
import crypto from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Context } from './context';
import type { Db } from './db/executor';
import { readGraphVersion } from './db/version';
import type { Logger } from './logger';

/** Follows the graph's version by polling it; `current` is null while it cannot be read. */
export class GraphVersionWatch {
  private version: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> | null = null;

  private readonly db: Db;

  /** Polls through `db`'s pool; its reads are not counted as any request's round trips. */
  constructor(
    db: Db,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {
    this.db = db.detached();
  }

  get current(): string | null {
    return this.version;
  }

  /** Reads the version now, then every pollMs until stop(). */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reads the version (sharing a read already under way). */
  refresh(): Promise<void> {
    this.pending ??= this.check().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async check(): Promise<void> {
    try {
      const version = await readGraphVersion(this.db, Math.max(this.pollMs, 1_000));
      if (this.version !== null && version !== this.version) this.logger.info({ version }, 'graph changed: cached answers dropped');
      this.version = version;
    } catch (error) {
      if (this.version !== null) this.logger.warn({ err: error }, 'graph version unreadable: answers are not cached until it is');
      this.version = null;
    }
  }
}

/** Longest wait for an answer another request is computing (longer than any query may run). */
const MAX_WAIT_MS = 60_000;

export interface ResponseCacheOptions {
  watch: GraphVersionWatch;
  /** Bound on the stored response bodies, in characters. */
  maxSize: number;
}

interface Stored {
  body: string;
  storedAt: number;
}

/** A miss being computed: where its body goes once written, and who waits for it. */
interface Pending {
  key: string;
  settle(body: string | null): void;
}

export class ResponseCache {
  readonly watch: GraphVersionWatch;
  private readonly store: LRUCache<string, Stored>;
  /** Placeholder `data` of a hit → the stored body it stands for. */
  private readonly hits = new WeakMap<object, string>();
  /** `data` of a cacheable answer not yet written → where its body goes. */
  private readonly misses = new WeakMap<object, Pending>();
  /** Answers being computed, by key. */
  private readonly inFlight = new Map<string, Promise<string | null>>();

  constructor({ watch, maxSize }: ResponseCacheOptions) {
    this.watch = watch;
    this.store = new LRUCache<string, Stored>({ maxSize, sizeCalculation: (stored) => Math.max(1, stored.body.length) });
  }

  /** Apollo's stringifyResult: a hit's stored body as is; any other answer serialised as Apollo does, and kept if cacheable. */
  readonly stringifyResult = (value: FormattedExecutionResult): string => {
    const data = value.data as object | null | undefined;
    const stored = data ? this.hits.get(data) : undefined;
    if (stored !== undefined) return stored;
    const body = `${JSON.stringify(value)}\n`;
    const pending = data ? this.misses.get(data) : undefined;
    if (pending) {
      if (!value.errors && body.length <= this.store.maxSize) this.store.set(pending.key, { body, storedAt: Date.now() });
      pending.settle(value.errors ? null : body);
    }
    return body;
  };

  plugin(): ApolloServerPlugin<Context> {
    const cache = this;
    return {
      async requestDidStart() {
        let pending: Pending | null = null;
        return {
          async responseForOperation({ operation, source, operationName, request, contextValue }) {
            const version = cache.watch.current;
            if (operation.operation !== 'query' || version === null) return null;
            const key = crypto.createHash('sha256').update(JSON.stringify([version, source, operationName ?? null, request.variables ?? {}])).digest('base64');
            let stored = cache.store.get(key);
            const computing = stored ? undefined : cache.inFlight.get(key);
            if (computing) {
              // Bounded, should the first request never write its answer: then compute it here.
              const body = await Promise.race([computing, new Promise<null>((resolve) => setTimeout(resolve, MAX_WAIT_MS, null).unref())]);
              if (body !== null) stored = { body, storedAt: Date.now() };
            }
            if (stored) {
              contextValue.cached = true;
              const data = {};
              cache.hits.set(data, stored.body);
              const headers = new HeaderMap([['age', String(Math.floor((Date.now() - stored.storedAt) / 1000))]]);
              return { body: { kind: 'single', singleResult: { data } }, http: { status: undefined, headers } };
            }
            let resolve: (body: string | null) => void = () => {};
            const promise = new Promise<string | null>((r) => (resolve = r));
            cache.inFlight.set(key, promise);
            pending = {
              key,
              settle: (body) => {
                if (cache.inFlight.get(key) === promise) cache.inFlight.delete(key);
                resolve(body);
              },
            };
            return null;
          },
          async willSendResponse({ response }) {
            if (!pending) return;
            const result = response.body.kind === 'single' ? response.body.singleResult : null;
            // The body is written after this hook (stringifyResult); an answer that will not be kept settles now.
            if (result && !result.errors && result.data) cache.misses.set(result.data, pending);
            else pending.settle(null);
          },
        };
      },
    };
  }
}
