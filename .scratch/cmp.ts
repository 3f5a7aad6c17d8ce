import { createDriver, Db } from '../src/db/executor';
import { logger } from '../src/logger';
import { FACTS_OF_ENTITIES } from '../src/db/facts';
import { ENTITIES_BY_ID } from '../src/db/entities';
import { filterParams, factFilter } from '../src/db/filters';
(async () => {
  const db = new Db(createDriver({ uri: 'bolt://127.0.0.1:17687', user: 'neo4j', password: '', poolSize: 4 }), { database: undefined, queryTimeoutMs: 60000, logger });
  const id = process.argv[2] ?? 'country-020';
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const a = await db.read(ENTITIES_BY_ID, { ids: [id] });
    const b = await db.read(FACTS_OF_ENTITIES, { ids: [id], types: null, ...filterParams(factFilter({})) });
    console.log('off ms', (performance.now() - t).toFixed(0), JSON.stringify(a).length + JSON.stringify(b).length);
  }
  await db.close();
})();
