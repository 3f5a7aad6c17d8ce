/**
 * The benchmark's answer check, without the benchmark: on the tiny synthetic dataset plus the
 * seed, our API, the peer (@neo4j/graphql) and the floor (hand-written Cypher) must give the same
 * answer to every query of the mix once normalised (bench/mix.ts). Nothing is timed and no load
 * is generated; the three servers run in this process on free ports of 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedFiles } from '../../src/app';
import type { Db } from '../../src/db/executor';
import { wipeGraph } from '../../src/db/schema';
import { loadFiles } from '../../src/ingest/load';
import { logger } from '../../src/logger';
import { PROJECT_ROOT } from '../../src/paths';
import { startServer, type RunningServer } from '../../src/server';
import { checkAnswers, formatChecks, variedRequestFor } from '../../bench/check';
import { startFloor, type RunningFloor } from '../../bench/floor';
import { MIX } from '../../bench/mix';
import { startPeer, type RunningPeer } from '../../bench/peer';
import { chooseTargets, chooseTargetSets } from '../../bench/targets';
import { testDb } from '../helpers/graph';

let db: Db;
let dataDir: string;
let ours: RunningServer | undefined;
let peer: RunningPeer | undefined;
let floor: RunningFloor | undefined;

const connection = () => ({
  uri: process.env.DCG_TEST_NEO4J_URI as string,
  user: process.env.DCG_TEST_NEO4J_USER ?? 'neo4j',
  password: process.env.DCG_TEST_NEO4J_PASSWORD ?? '',
  database: process.env.DCG_TEST_NEO4J_DATABASE || undefined,
  port: 0,
});

beforeAll(async () => {
  db = testDb();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-bench-smoke-'));
  const gen = spawnSync(process.execPath, ['-r', 'tsx/cjs', path.join(PROJECT_ROOT, 'scripts', 'gen.ts'), '--scale', 'tiny', '--out', dataDir], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (gen.status !== 0) throw new Error(`scripts/gen.ts failed: ${gen.stderr}`);
  const documents = fs.readdirSync(dataDir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(dataDir, f));
  await wipeGraph(db);
  await loadFiles(db, [...seedFiles(), ...documents]);
  ours = await startServer({ db, logger, production: true, host: '127.0.0.1', port: 0 });
  peer = await startPeer(connection());
  floor = await startFloor(connection());
}, 150_000);

afterAll(async () => {
  await ours?.close();
  await peer?.close();
  await floor?.close();
  await wipeGraph(db);
  await db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('our API, @neo4j/graphql and hand-written Cypher give the same answers to the whole mix', async () => {
  const targets = await chooseTargets(db);
  const checks = await checkAnswers({ ours: `http://127.0.0.1:${ours?.port}/graphql`, peer: peer?.url, floor: floor?.url }, targets);
  expect(checks.map((c) => c.name)).toEqual(MIX.map((q) => q.name));
  const failed = checks.filter((c) => !c.ok);
  expect(failed.length === 0 ? 'all agree' : formatChecks(failed)).toBe('all agree');
  // Every answer holds something: agreement on nothing would prove nothing.
  for (const c of checks) expect(Math.min(c.sizes.ours ?? 0, c.sizes.peer ?? 0, c.sizes.floor ?? 0)).toBeGreaterThan(0);
}, 120_000);

test('the varied mode draws distinct target sets by the same rules, the fixed set first, and they agree too', async () => {
  const fixed = await chooseTargets(db);
  const sets = await chooseTargetSets(db, 8);
  expect(sets).toHaveLength(8);
  expect(sets[0]).toEqual(fixed);
  for (const key of ['entity', 'partnersOf', 'group', 'searchText'] as const) expect(new Set(sets.map((t) => t[key])).size).toBeGreaterThan(1);
  const endpoints = { ours: `http://127.0.0.1:${ours?.port}/graphql`, peer: peer?.url, floor: floor?.url };
  const request = variedRequestFor('ours', MIX[1] as (typeof MIX)[number], sets, endpoints);
  expect(new Set(request.bodies).size).toBeGreaterThan(1);
  expect(request.bodies?.[0]).toBe(request.body);
  const checks = await checkAnswers(endpoints, sets[7] as (typeof sets)[number]);
  const failed = checks.filter((c) => !c.ok);
  expect(failed.length === 0 ? 'all agree' : formatChecks(failed)).toBe('all agree');
}, 120_000);
