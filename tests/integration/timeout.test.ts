/** NEO4J_QUERY_TIMEOUT_MS bounds every read: a runaway query is stopped by Neo4j, as QUERY_TIMEOUT. */
import { AppError, ErrorCode } from '../../src/errors';
import type { Db } from '../../src/db/executor';
import { testDb } from '../helpers/graph';

let db: Db;

beforeAll(() => {
  db = testDb();
});

afterAll(async () => {
  await db.close();
});

const RUNAWAY = 'UNWIND range(1, 100000000) AS x WITH x WHERE x < 0 RETURN count(*) AS n';

describe('the transaction timeout', () => {
  it('stops a runaway read after its timeout with QUERY_TIMEOUT', async () => {
    const started = Date.now();
    const error = await db.read(RUNAWAY, {}, 500).then(() => null, (e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.QUERY_TIMEOUT);
    expect((error as AppError).message).toBe('The query took longer than the time allowed (500 ms) and was stopped.');
    expect((error as AppError).extensions.timeoutMs).toBe(500);
    // Stopped soon after the limit (Neo4j checks for timed-out transactions every 2 s), not
    // after the query would have finished on its own.
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('lets the same kind of query finish when it fits the timeout', async () => {
    // A generous timeout: a cold JVM may spend a while planning a new query, and that counts.
    const [row] = await db.read('UNWIND range(1, 1000) AS x WITH x WHERE x < 0 RETURN count(*) AS n', {}, 10_000);
    expect(row?.n).toBe(0);
  });

  it('the database is usable after a timeout', async () => {
    await expect(db.read(RUNAWAY, {}, 300)).rejects.toMatchObject({ code: ErrorCode.QUERY_TIMEOUT });
    const [row] = await db.read('RETURN 1 AS one');
    expect(row?.one).toBe(1);
  });
});
