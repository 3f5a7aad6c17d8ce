/**
 * Every transaction the executor opens carries Neo4j transaction metadata {app, requestId}, so
 * Neo4j's query log and SHOW TRANSACTIONS can be joined with the API's log lines.
 */
import type { Db } from '../../src/db/executor';
import { testDb } from '../helpers/graph';

const METADATA = 'CALL tx.getMetaData() YIELD metadata RETURN metadata';

let db: Db;

beforeAll(() => {
  db = testDb();
});

afterAll(async () => {
  await db.close();
});

describe('transaction metadata', () => {
  it('names the app and the request on a request-scoped read', async () => {
    const [row] = await db.scoped('req-42').read(METADATA);
    expect(row?.metadata).toEqual({ app: 'dcg', requestId: 'req-42' });
  });

  it('names the app on work outside a request, and on writes', async () => {
    expect((await db.read(METADATA))[0]?.metadata).toEqual({ app: 'dcg' });
    expect((await db.scoped('load-1').write(METADATA))[0]?.metadata).toEqual({ app: 'dcg', requestId: 'load-1' });
    const inTx = await db.scoped('load-2').inWriteTransaction(async (tx) => (await tx.run(METADATA))[0]?.metadata);
    expect(inTx).toEqual({ app: 'dcg', requestId: 'load-2' });
  });

  it("counts each statement of a write transaction as a round trip of its scope, as a load's are", async () => {
    const scope = db.scoped('load-3');
    const before = db.roundTrips;
    const metadata = await scope.inWriteTransaction(async (tx) => {
      await tx.run('RETURN 1');
      return (await tx.run(METADATA))[0]?.metadata;
    });
    expect(metadata).toEqual({ app: 'dcg', requestId: 'load-3' });
    expect(scope.roundTrips).toBe(2);
    expect(db.roundTrips - before).toBe(2);
  });

  it('a scope of a scope keeps the request id', async () => {
    const [row] = await db.scoped('req-7').scoped().read(METADATA);
    expect(row?.metadata).toEqual({ app: 'dcg', requestId: 'req-7' });
  });
});
