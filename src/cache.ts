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
 * Storage and keys are Apollo's response-cache plugin over an in-memory LRU bounded in size.
 * Answers with errors are never stored.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { Context } from './context';
import type { Db } from './db/executor';
import { readGraphVersion } from './db/version';
import type { Logger } from './logger';

/** Entries are dropped by size (LRU) or when the version moves on; this only bounds a forgotten one. */
const MAX_AGE_SECONDS = 24 * 60 * 60;

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

export interface ResponseCacheOptions {
  watch: GraphVersionWatch;
  /** Bound on the stored answers, in characters of their JSON. */
  maxSize: number;
}

export function responseCachePlugins({ watch, maxSize }: ResponseCacheOptions): ApolloServerPlugin<Context>[] {
  return [
    // Every field's answer is as cacheable as the graph it comes from; no HTTP cache headers,
    // since only the server knows when the graph changes.
    ApolloServerPluginCacheControl({ defaultMaxAge: MAX_AGE_SECONDS, calculateHttpHeaders: false }),
    responseCachePlugin<Context>({
      cache: new InMemoryLRUCache<string>({ maxSize }),
      // The version the request started under; a load committed while it runs changes the key
      // of later requests, never this one's.
      extraCacheKeyData: async ({ contextValue }) => {
        contextValue.graphVersion = watch.current;
        return contextValue.graphVersion;
      },
      shouldReadFromCache: async ({ contextValue }) => contextValue.graphVersion != null,
      shouldWriteToCache: async ({ contextValue }) => contextValue.graphVersion != null,
    }),
  ];
}
