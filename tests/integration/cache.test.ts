/**
 * The response cache (src/cache.ts) against a real Neo4j: a repeated query is answered with no
 * Cypher, a load or a reset is seen (by the version poll) and never answered from before it,
 * answers with errors are not stored, and an unreadable version turns the cache off.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { GraphVersionWatch } from '../../src/cache';
import { createDriver, Db } from '../../src/db/executor';
import { wipeGraph } from '../../src/db/schema';
import { readGraphVersion } from '../../src/db/version';
import { loadFiles } from '../../src/ingest/load';
import { logger } from '../../src/logger';
import { SEED_DIR } from '../../src/paths';
import { resetToSeed, startSeededServer, type SeededServer } from '../helpers/graph';

const SOURCE_ID = 'lt-mod-2024-03-25-chod-belgium';
const QUERY = 'query Belgium { entity(id: "belgium") { id name } }';

let seeded: SeededServer;
let tmp: string;

beforeAll(async () => {
  seeded = await startSeededServer();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-cache-test-'));
});

afterAll(async () => {
  await seeded.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function ask(query: string, variables: Record<string, unknown> = {}): Promise<{ body: any; age: string | null }> {
  const response = await fetch(`${seeded.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { body: await response.json(), age: response.headers.get('age') };
}

async function metric(name: string, operation: string): Promise<number> {
  const text = await (await fetch(`${seeded.base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{operation="${operation}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** The seed with Belgium renamed, in a folder of its own. */
function renamedSeed(name: string): string {
  const dir = path.join(tmp, name.replace(/\W/g, '-'));
  fs.mkdirSync(path.join(dir, 'sources'), { recursive: true });
  fs.copyFileSync(path.join(SEED_DIR, 'sources', `${SOURCE_ID}.txt`), path.join(dir, 'sources', `${SOURCE_ID}.txt`));
  const doc = YAML.parse(fs.readFileSync(path.join(SEED_DIR, `${SOURCE_ID}.yaml`), 'utf8'));
  doc.entities.find((e: { id: string }) => e.id === 'belgium').name = name;
  const file = path.join(dir, `${SOURCE_ID}.yaml`);
  fs.writeFileSync(file, YAML.stringify(doc));
  return file;
}

describe('response cache', () => {
  it('answers a repeated query from memory, with no Cypher', async () => {
    const first = await ask(QUERY);
    expect(first.body.data.entity).toEqual({ id: 'belgium', name: 'Belgium' });
    expect(first.age).toBeNull();
    const hitsBefore = await metric('dcg_response_cache_hits_total', 'Belgium');
    const tripsBefore = await metric('dcg_cypher_round_trips_sum', 'Belgium');

    const second = await ask(QUERY);
    expect(second.body).toEqual(first.body);
    expect(second.age).not.toBeNull();
    expect(await metric('dcg_response_cache_hits_total', 'Belgium')).toBe(hitsBefore + 1);
    expect(await metric('dcg_cypher_round_trips_sum', 'Belgium')).toBe(tripsBefore);
  });

  it('answers a hit with the same bytes as the miss that stored it', async () => {
    const q = 'query Bytes { partners(of: "lithuania") { partner { id name } links { kind facts { id evidence { quote } } } } }';
    const send = () => fetch(`${seeded.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q }) });
    const miss = await send();
    const hit = await send();
    expect(miss.headers.get('age')).toBeNull();
    expect(hit.headers.get('age')).not.toBeNull();
    const [missText, hitText] = [await miss.text(), await hit.text()];
    expect(hitText).toBe(missText);
    expect(JSON.parse(hitText).data.partners.length).toBeGreaterThan(0);
  });

  it('computes an answer once for a burst of identical requests', async () => {
    const q = 'query Burst { cooperationNetwork { edges { source target shared { id } } } }';
    const bodies = await Promise.all(Array.from({ length: 8 }, () => ask(q)));
    for (const { body } of bodies) expect(body).toEqual(bodies[0]?.body);
    expect(bodies[0]?.body.data.cooperationNetwork.edges.length).toBeGreaterThan(0);
    // One request ran the Cypher; the seven others waited for its answer.
    expect(await metric('dcg_response_cache_hits_total', 'Burst')).toBe(7);
    expect(await metric('dcg_cypher_round_trips_count', 'Burst')).toBe(8);
    const trips = await metric('dcg_cypher_round_trips_sum', 'Burst');
    expect(trips).toBeGreaterThan(0);
    expect(trips).toBeLessThanOrEqual(3);
  });

  it('keys on the variables: a different argument is a different answer', async () => {
    const q = 'query ById($id: ID!) { entity(id: $id) { id } }';
    expect((await ask(q, { id: 'belgium' })).body.data.entity.id).toBe('belgium');
    expect((await ask(q, { id: 'lithuania' })).body.data.entity.id).toBe('lithuania');
    expect((await ask(q, { id: 'belgium' })).body.data.entity.id).toBe('belgium');
  });

  it('never stores an answer with errors', async () => {
    const bad = 'query TooMany { connections(from: "luxembourg", to: "belgium", maxHops: 7) { length } }';
    const first = await ask(bad);
    const second = await ask(bad);
    expect(first.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(second.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(second.age).toBeNull();
    expect(await metric('dcg_response_cache_hits_total', 'TooMany')).toBe(0);
  });

  it('sees a load made by another process within the poll interval, without being told', async () => {
    await ask(QUERY); // cached as "Belgium"
    // A writer the server knows nothing of, as `dcg load` in another shell would be.
    const writer = seeded.db.detached();
    await loadFiles(writer, [renamedSeed('Kingdom of Belgium (renamed)')]);
    const deadline = Date.now() + 15_000;
    let name = '';
    while (Date.now() < deadline) {
      name = (await ask(QUERY)).body.data.entity.name;
      if (name !== 'Belgium') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(name).toBe('Kingdom of Belgium (renamed)');
  });

  it('after a load it has seen, never answers from before it', async () => {
    await loadFiles(seeded.db, [renamedSeed('Belgium, again')]);
    await seeded.server.graphVersion?.refresh();
    expect((await ask(QUERY)).body.data.entity.name).toBe('Belgium, again');
  });

  it('sees a reset: the emptied graph has no Belgium', async () => {
    await ask(QUERY);
    await wipeGraph(seeded.db);
    await seeded.server.graphVersion?.refresh();
    expect((await ask(QUERY)).body.data.entity).toBeNull();
    await resetToSeed(seeded.db);
    await seeded.server.graphVersion?.refresh();
    expect((await ask(QUERY)).body.data.entity.name).toBe('Belgium');
  });
});

describe('graph version', () => {
  it('changes with every load that changes the graph and with a reset, and not with an unchanged reload', async () => {
    const before = await readGraphVersion(seeded.db);
    await resetToSeed(seeded.db);
    const afterReset = await readGraphVersion(seeded.db);
    expect(afterReset).not.toBe(before);
    // Unchanged means untouched: a reload of the same document writes nothing, so cached answers stay.
    await loadFiles(seeded.db, [path.join(SEED_DIR, `${SOURCE_ID}.yaml`)]);
    expect(await readGraphVersion(seeded.db)).toBe(afterReset);
    await loadFiles(seeded.db, [path.join(__dirname, '..', 'fixtures', 'synthetic-2024-06-follow-up.yaml')]);
    expect(await readGraphVersion(seeded.db)).not.toBe(afterReset);
    await wipeGraph(seeded.db);
    expect(await readGraphVersion(seeded.db)).toBe('0:0');
    await resetToSeed(seeded.db);
  });

  it('is null while Neo4j cannot be reached, so nothing is cached or served from the cache', async () => {
    const driver = createDriver({ uri: 'bolt://127.0.0.1:1', user: 'neo4j', password: '', poolSize: 1 });
    const unreachable = new Db(driver, { database: undefined, queryTimeoutMs: 2_000, logger });
    const watch = new GraphVersionWatch(unreachable, 1_000, logger);
    await watch.refresh();
    expect(watch.current).toBeNull();
    await driver.close();
  });
});
