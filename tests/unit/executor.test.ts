/**
 * How the executor fails when Neo4j is gone or does not answer: always SERVICE_UNAVAILABLE,
 * and within bounded time. No database needed: a stub driver, a socket that never answers,
 * and a port nobody listens on.
 */
import net from 'node:net';
import { Neo4jError, type Driver } from 'neo4j-driver';
import { createDriver, Db, memoryLimitOf } from '../../src/db/executor';
import { AppError, ErrorCode } from '../../src/errors';
import { logger } from '../../src/logger';
import { freePort } from '../../src/neo4j/local';

/** A driver whose every query (a read's session.run, or executeQuery) answers with `answer()`. */
function stubDriver(answer: () => Promise<unknown>): Driver {
  return {
    session: () => ({ run: answer, close: async () => {} }),
    executeQuery: answer,
    executeQueryBookmarkManager: undefined,
    close: async () => {},
  } as unknown as Driver;
}

async function failure(work: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await work.then(() => null, (e: unknown) => e);
  return { error, ms: Date.now() - started };
}

describe('a Neo4j that never answers a query', () => {
  const silent = stubDriver(() => new Promise(() => {}));

  it('fails the query at its timeout plus the grace, as SERVICE_UNAVAILABLE', async () => {
    const db = new Db(silent, { database: undefined, queryTimeoutMs: 100, logger, deadlineGraceMs: 200 });
    const { error, ms } = await failure(db.read('RETURN 1'));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect((error as AppError).message).toBe('The graph database did not answer within 300 ms; try again shortly.');
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(2_000);
    expect(db.inFlight).toBe(0);
    expect(db.roundTrips).toBe(1);
  });

  it('counts a query in flight until it fails', async () => {
    const db = new Db(silent, { database: undefined, queryTimeoutMs: 100, logger, deadlineGraceMs: 100 });
    const scope = db.scoped();
    const pending = scope.read('RETURN 1').catch(() => null);
    expect(scope.inFlight).toBe(1);
    expect(db.inFlight).toBe(1);
    await pending;
    expect(db.inFlight).toBe(0);
  });

  it('reports not ready rather than hanging /health/ready', async () => {
    const db = new Db(silent, { database: undefined, queryTimeoutMs: 100, logger, deadlineGraceMs: 100 });
    const started = Date.now();
    expect(await db.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});

describe('the real driver against a missing Neo4j', () => {
  async function readFrom(port: number) {
    const db = new Db(createDriver({ uri: `bolt://127.0.0.1:${port}`, user: 'neo4j', password: '', poolSize: 2 }), {
      database: undefined,
      queryTimeoutMs: 1_000,
      logger,
    });
    try {
      return await failure(db.read('RETURN 1'));
    } finally {
      await db.close();
    }
  }

  it('fails within 5 s when nothing listens on the port', async () => {
    const { error, ms } = await readFrom(await freePort());
    expect((error as AppError).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect(ms).toBeLessThan(5_000);
  });

  it('fails within 5 s when the port accepts connections but never completes the handshake', async () => {
    const sockets: net.Socket[] = [];
    const blackHole = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    try {
      const { error, ms } = await readFrom((blackHole.address() as net.AddressInfo).port);
      expect((error as AppError).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
      expect(ms).toBeGreaterThanOrEqual(2_900);
      expect(ms).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
    }
  });
});

describe("Neo4j's own refusals", () => {
  it('names its transaction memory limit, as SERVICE_UNAVAILABLE to retry, not an internal error', async () => {
    const message = 'The allocation of an extra 2.0 MiB would use more than the limit 537.6 MiB. dbms.memory.transaction.total.max threshold reached';
    const full = stubDriver(async () => Promise.reject(new Neo4jError(message, 'Neo.TransientError.General.MemoryPoolOutOfMemoryError', '50N00', 'internal error', {} as never)));
    const { error } = await failure(new Db(full, { database: undefined, queryTimeoutMs: 1_000, logger }).read('RETURN 1'));
    expect((error as AppError).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect((error as AppError).message).toMatch(/transaction memory limit \(dbms\.memory\.transaction\.total\.max, 537\.6 MiB\); try again/);
    expect((error as AppError).extensions).toMatchObject({ memoryLimit: true, limit: '537.6 MiB', setting: 'dbms.memory.transaction.total.max' });
  });

  it('keeps a clear message when Neo4j words the limit otherwise', () => {
    expect(memoryLimitOf('Memory limit reached')).toEqual({ limit: null, setting: null });
    expect(memoryLimitOf('The allocation of an extra 1 MiB would use more than the limit 10 MiB. db.memory.transaction.max threshold reached')).toEqual({ limit: '10 MiB', setting: 'db.memory.transaction.max' });
  });
});

describe('a read that fails on a retryable error', () => {
  const options = { database: undefined, queryTimeoutMs: 5_000, logger };
  const unavailable = () => new Neo4jError('Connection was closed by server', 'ServiceUnavailable', '08000', 'connection exception', {} as never);

  it('is tried again, and answers when the next try does', async () => {
    let tries = 0;
    const flaky = stubDriver(async () => {
      tries += 1;
      if (tries === 1) throw unavailable();
      return { records: [{ toObject: () => ({ n: 1 }) }] };
    });
    const db = new Db(flaky, options);
    expect(await db.read('RETURN 1 AS n')).toEqual([{ n: 1 }]);
    expect(tries).toBe(2);
    expect(db.roundTrips).toBe(1);
  });

  it('is given up within about a second, as SERVICE_UNAVAILABLE', async () => {
    let tries = 0;
    const gone = stubDriver(async () => {
      tries += 1;
      throw unavailable();
    });
    const { error, ms } = await failure(new Db(gone, options).read('RETURN 1'));
    expect((error as AppError).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect(tries).toBeGreaterThan(1);
    expect(ms).toBeLessThan(2_000);
  });

  it('is not tried again when the error is not retryable', async () => {
    let tries = 0;
    const refusing = stubDriver(async () => {
      tries += 1;
      throw new Neo4jError('Invalid input', 'Neo.ClientError.Statement.SyntaxError', '42001', 'syntax error', {} as never);
    });
    await expect(new Db(refusing, options).read('RETRUN 1')).rejects.toThrow(/Invalid input/);
    expect(tries).toBe(1);
  });
});
