/**
 * The one place that talks to Neo4j. Every query goes through read(), write() or a statement of
 * inWriteTransaction(): it names the database, sets a timeout, counts the round trip, logs the
 * query at debug level, sends the transaction metadata, and turns driver errors into the API's
 * own codes. Only src/db/ imports neo4j-driver.
 */
import neo4j, { type Driver, type ManagedTransaction, Neo4jError, type Record as Neo4jRecord } from 'neo4j-driver';
import { AppError, ErrorCode } from '../errors';
import type { Logger } from '../logger';

/** How this program names itself in Neo4j's transaction metadata. */
export const APP = 'dcg';

export type Params = Record<string, unknown>;
export type Row = Record<string, unknown>;

/** A write transaction as Db.inWriteTransaction hands it out: its statements go through the executor. */
export interface WriteTransaction {
  run(cypher: string, params?: Params): Promise<Row[]>;
}

export interface DbOptions {
  database: string | undefined;
  queryTimeoutMs: number;
  logger: Logger;
  /** How long past its timeout a query may go unanswered before Neo4j counts as unresponsive. */
  deadlineGraceMs?: number;
}

export interface ConnectOptions {
  uri: string;
  user: string;
  password: string;
  poolSize: number;
}

/**
 * Fail fast when Neo4j is gone (measured by `npm run faults`): a connection is had within 3 s
 * or not at all (this also bounds a server that accepts TCP but never completes the Bolt
 * handshake), and a transaction that failed on a lost connection is retried for 1 s, once or
 * twice, rather than 3 s, whose backoff (1 s, 2 s, 4 s) let one failing query take 7 s.
 */
export function createDriver(options: ConnectOptions): Driver {
  return neo4j.driver(options.uri, neo4j.auth.basic(options.user, options.password), {
    disableLosslessIntegers: true,
    maxConnectionPoolSize: options.poolSize,
    connectionAcquisitionTimeout: 3_000,
    connectionTimeout: 3_000,
    maxTransactionRetryTime: 1_000,
  });
}

/**
 * A Bolt handshake test for a server that is starting: `check()` resolves once it answers and
 * rejects (with the driver's reason) while it does not. One driver serves every try.
 */
export function boltProbe(uri: string, user: string, password: string): { check(): Promise<void>; close(): Promise<void> } {
  const driver = neo4j.driver(uri, neo4j.auth.basic(user, password), { connectionTimeout: 2000 });
  return {
    check: async () => {
      await driver.verifyConnectivity();
    },
    close: () => driver.close(),
  };
}

/** Neo4j did not answer a query, not even to say it timed out. */
class NoAnswer extends Error {
  constructor(readonly afterMs: number) {
    super(`No answer from Neo4j within ${afterMs} ms`);
  }
}

/**
 * The server stops a query at its transaction timeout; this bounds the wait on the client too,
 * for a Neo4j that has connections open but does not answer (frozen, or still starting up).
 */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswer(ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const DEADLINE_GRACE_MS = 5_000;

/** A read that failed on a retryable error is tried again while this has not passed (as maxTransactionRetryTime). */
const READ_RETRY_MS = 1_000;
const READ_RETRY_DELAY_MS = 200;

/**
 * JavaScript numbers reach Cypher as floats; whole numbers are sent as integers instead, so
 * that LIMIT accepts them and stored offsets and counts are integers. Plain loops: a large
 * document's rows are tens of thousands of objects, and entries/fromEntries copies took about a
 * quarter of a second per 10,000 facts.
 */
export function toCypherValue<T>(value: T): T {
  if (typeof value === 'number') return (Number.isInteger(value) ? neo4j.int(value) : value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) out[i] = toCypherValue(value[i]);
    return out as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = toCypherValue((value as Record<string, unknown>)[key]);
  return out as T;
}

const UNAVAILABLE = new Set(['ServiceUnavailable', 'SessionExpired', 'Neo.TransientError.General.DatabaseUnavailable']);

/**
 * The limit and the setting Neo4j names when a transaction's memory would pass a limit ("The
 * allocation of an extra 2.0 MiB would use more than the limit 358.4 MiB. Currently using
 * 358.0 MiB. dbms.memory.transaction.total.max threshold reached").
 */
export function memoryLimitOf(message: string): { limit: string | null; setting: string | null } {
  return {
    limit: /more than the limit (\d+(?:\.\d+)? ?[KMGT]?i?B)/.exec(message)?.[1] ?? null,
    setting: /([\w.]+) threshold reached/.exec(message)?.[1] ?? null,
  };
}

export function toAppError(error: unknown, timeoutMs?: number): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof NoAnswer) {
    return new AppError(ErrorCode.SERVICE_UNAVAILABLE, `The graph database did not answer within ${error.afterMs} ms; try again shortly.`);
  }
  if (error instanceof Neo4jError) {
    if (/acquisition timed out/i.test(error.message)) {
      return new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The graph database is busy: every connection of the pool stayed in use; try again shortly.');
    }
    if (UNAVAILABLE.has(error.code) || /connection.*(refused|closed)/i.test(error.message)) {
      return new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The graph database is not reachable; try again shortly.');
    }
    if (error.code === 'Neo.TransientError.General.MemoryPoolOutOfMemoryError') {
      const { limit, setting } = memoryLimitOf(error.message);
      const named = limit && setting ? ` (${setting}, ${limit})` : '';
      return new AppError(
        ErrorCode.SERVICE_UNAVAILABLE,
        `The graph database ran out of memory for the transactions running at once: its transaction memory limit${named}; try again shortly.`,
        { memoryLimit: true, ...(limit ? { limit } : {}), ...(setting ? { setting } : {}) },
      );
    }
    if (error.code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut')) {
      return new AppError(ErrorCode.QUERY_TIMEOUT, `The query took longer than the time allowed (${timeoutMs} ms) and was stopped.`, { timeoutMs });
    }
  }
  return error;
}

export class Db {
  /** Queries sent since this Db (or scope) was made: the API's round-trip count. */
  roundTrips = 0;
  /** Queries sent and not yet answered (the driver does not expose its pool's use). */
  inFlight = 0;

  constructor(
    readonly driver: Driver,
    private readonly options: DbOptions,
    private readonly parent?: Db,
    /** The API request (or load) this Db works for; sent with every transaction. */
    readonly requestId?: string,
  ) {}

  /** A view of the same connection pool that counts its own round trips (one per request). */
  scoped(requestId?: string): Db {
    return new Db(this.driver, this.options, this, requestId ?? this.requestId);
  }

  /**
   * Neo4j transaction metadata on every query, so Neo4j's query log and SHOW TRANSACTIONS name
   * the process and the request, and join the API's log lines by their requestId.
   */
  private get metadata(): Record<string, string> {
    return this.requestId === undefined ? { app: APP } : { app: APP, requestId: this.requestId };
  }

  /** A view of the same connection pool whose round trips count only in itself (background work). */
  detached(): Db {
    return new Db(this.driver, this.options);
  }

  private get grace(): number {
    return this.options.deadlineGraceMs ?? DEADLINE_GRACE_MS;
  }

  private count(): void {
    this.roundTrips += 1;
    this.parent?.count();
  }

  private track(delta: number): void {
    this.inFlight += delta;
    this.parent?.track(delta);
  }

  /** A read in a read transaction (routed to readers on a cluster), with the query timeout or `timeoutMs`. */
  async read(cypher: string, params: Params = {}, timeoutMs?: number): Promise<Row[]> {
    return this.run('READ', cypher, params, timeoutMs);
  }

  async write(cypher: string, params: Params = {}, timeoutMs?: number): Promise<Row[]> {
    return this.run('WRITE', cypher, params, timeoutMs);
  }

  private async run(mode: 'READ' | 'WRITE', cypher: string, params: Params, timeoutMs = this.options.queryTimeoutMs): Promise<Row[]> {
    this.count();
    this.track(1);
    const started = performance.now();
    try {
      const values = toCypherValue(params);
      const transactionConfig = { timeout: timeoutMs, metadata: this.metadata };
      const query = mode === 'READ'
        ? this.autoCommitRead(cypher, values, transactionConfig)
        : this.driver.executeQuery(cypher, values, { database: this.options.database, routing: neo4j.routing.WRITE, transactionConfig });
      const result = timeoutMs > 0 ? await withDeadline(query, timeoutMs + this.grace) : await query;
      this.options.logger.debug({ cypher, params, ms: performance.now() - started }, 'cypher');
      return result.records.map((record) => record.toObject());
    } catch (error) {
      throw toAppError(error, timeoutMs);
    } finally {
      this.track(-1);
    }
  }

  /**
   * A read as one auto-commit query in a READ session: RUN and PULL in one write to the socket,
   * where a transaction function (executeQuery) adds BEGIN and COMMIT, each a message, a Bolt
   * answer and a result object of its own. Measured at 1.04 -> 0.75 ms of server CPU per request
   * on a one-row entity(id). A read changes nothing, so a retryable failure (a lost connection, a
   * transient error) is retried as the driver retries a transaction: with a doubling delay (±20%),
   * while READ_RETRY_MS has not passed since the first failure. Sessions share the driver's
   * executeQuery bookmarks, so a read still sees the writes made through this driver before it.
   */
  private async autoCommitRead(cypher: string, params: Params, config: { timeout: number; metadata: Record<string, string> }): Promise<{ records: Neo4jRecord[] }> {
    let failedAt: number | undefined;
    for (let delay = READ_RETRY_DELAY_MS; ; delay *= 2) {
      const wait = delay * (0.8 + 0.4 * Math.random());
      const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.READ, bookmarkManager: this.driver.executeQueryBookmarkManager });
      try {
        return await session.run(cypher, params, config);
      } catch (error) {
        failedAt ??= performance.now();
        if (!neo4j.isRetryableError(error) || performance.now() - failedAt + wait > READ_RETRY_MS) throw error;
      } finally {
        await session.close();
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /**
   * Runs work in one write transaction: all of it lands, or none of it. Each statement goes
   * through the executor (WriteTransaction.run): counted, logged at debug level, its parameters
   * converted; errors are mapped once the transaction has failed, so that the driver still sees
   * (and retries) a transient one.
   */
  async inWriteTransaction<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.options.database });
    try {
      return await session.executeWrite((tx) => work({ run: (cypher, params = {}) => this.runIn(tx, cypher, params) }), { timeout: 0, metadata: this.metadata });
    } catch (error) {
      throw toAppError(error);
    } finally {
      await session.close();
    }
  }

  private async runIn(tx: ManagedTransaction, cypher: string, params: Params): Promise<Row[]> {
    this.count();
    this.track(1);
    const started = performance.now();
    try {
      const result = await tx.run(cypher, toCypherValue(params));
      // A load's parameters are batches of thousands of rows: logged by their row count, not in full.
      this.options.logger.debug({ cypher, ms: performance.now() - started, rows: result.records.length }, 'cypher');
      return result.records.map((record) => record.toObject());
    } finally {
      this.track(-1);
    }
  }

  /** Runs one statement in an auto-commit transaction (needed by CALL { } IN TRANSACTIONS). */
  async autoCommit(cypher: string, params: Params = {}): Promise<void> {
    this.count();
    const session = this.driver.session({ database: this.options.database });
    try {
      await session.run(cypher, toCypherValue(params), { metadata: this.metadata });
    } catch (error) {
      throw toAppError(error);
    } finally {
      await session.close();
    }
  }

  /** True while Neo4j answers a trivial read. */
  async ping(): Promise<boolean> {
    try {
      const query = this.driver.executeQuery('RETURN 1', {}, {
        database: this.options.database,
        routing: neo4j.routing.READ,
        transactionConfig: { timeout: 2_000 },
      });
      await withDeadline(query, 2_000 + this.grace);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
