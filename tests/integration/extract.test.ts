/**
 * Extraction against the real Neo4j: the gazetteer's known entities come from the graph (all of
 * them, or without one source's, for a fair score), a draft maps known names to the graph's ids,
 * and `dcg load` refuses an unreviewed draft, writing nothing, then loads it once accepted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { runExtract } from '../../src/cli/extract';
import type { Db } from '../../src/db/executor';
import { knownEntities } from '../../src/db/gazetteer';
import { graphTotals } from '../../src/db/schema';
import { loadFiles, ValidationError } from '../../src/ingest/load';
import { SEED_DIR } from '../../src/paths';
import { resetToSeed, testDb } from '../helpers/graph';

const SEED_SOURCE = 'lt-mod-2024-03-25-chod-belgium';
const SEED_TEXT = path.join(SEED_DIR, 'sources', `${SEED_SOURCE}.txt`);
const SEED_DOC = path.join(SEED_DIR, `${SEED_SOURCE}.yaml`);
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'extract');

let db: Db;
let tmp: string;

beforeAll(async () => {
  db = testDb();
  await resetToSeed(db);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-extract-it-'));
}, 180_000); // a cold database takes a while to wipe and seed

afterAll(async () => {
  await db.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the graph-backed gazetteer', () => {
  it('reads every entity with its names, aliases, reference aliases, kind and owner', async () => {
    const known = await knownEntities(db);
    expect(known).toHaveLength(37);
    expect(known.find((e) => e.id === 'efp-battle-group-lithuania')).toMatchObject({
      kind: 'Unit',
      name: 'NATO enhanced Forward Presence Battalion Battle Group',
      aliases: ['enhanced Forward Presence Battalion Battle Group'],
      referenceAliases: ['eFP', 'eFP Battle Group'],
      belongsTo: 'nato',
    });
  });

  it('without a source, keeps only the entities other sources state facts about', async () => {
    expect(await knownEntities(db, SEED_SOURCE)).toEqual([]);
    // A second source that states facts about Lithuania and Poland.
    const dir = path.join(tmp, 'second');
    fs.mkdirSync(dir);
    for (const f of ['troops-to-be-deployed.yaml', 'troops-to-be-deployed.txt']) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
    await loadFiles(db, [path.join(dir, 'troops-to-be-deployed.yaml')]);
    const ids = (await knownEntities(db, SEED_SOURCE)).map((e) => e.id);
    expect(ids).toContain('lithuania');
    expect(ids).toContain('poland');
    expect(ids).not.toContain('belgium');
    await resetToSeed(db);
  }, 240_000);

  it('maps the names the graph knows to their ids, and scores the seed fairly without its own document', async () => {
    const withGraph = await runExtract(SEED_TEXT, { graph: true, published: '2024-03' }, await knownEntities(db));
    const navy = withGraph.draft.entities.find((e) => e.id === 'belgian-navy');
    expect(navy).toMatchObject({ name: 'Belgian Navy', kind: 'Organisation', review: { rule: 'gazetteer.graph' } });
    expect(withGraph.draft.entities.find((e) => e.id === 'efp-battle-group-lithuania')?.review.rule).toBe('gazetteer.graph');

    const fair = await runExtract(SEED_TEXT, { gold: SEED_DOC, graph: true, published: '2024-03' }, await knownEntities(db, SEED_SOURCE));
    expect(fair.scores?.entities.recall).toBeGreaterThanOrEqual(0.9);
    expect(fair.scores?.facts.recall).toBeGreaterThanOrEqual(0.6);
  });
});

describe('dcg load and an unreviewed draft', () => {
  it('refuses the draft with a clear message and writes nothing; once accepted, loads it', async () => {
    const text = path.join(tmp, 'naval.txt');
    fs.copyFileSync(path.join(FIXTURES, 'held-out-naval-cooperation.txt'), text);
    const out = path.join(tmp, 'naval-draft.yaml');
    const run = await runExtract(text, { out, graph: true, id: 'naval-draft', published: '2025-03-11' }, await knownEntities(db));
    fs.writeFileSync(out, run.yaml);
    const before = await graphTotals(db);

    const refused = await loadFiles(db, [out]).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ValidationError);
    const message = (refused as ValidationError).message;
    expect(message).toContain('nothing was written');
    expect(message).toContain('draft = ');
    expect(message).toContain('marks an unreviewed draft made by `dcg extract`');
    expect(message).toContain('review = ');
    expect(message).toContain('is a machine proposal not yet accepted: delete `review` to accept it, or edit or delete the record');
    expect(await graphTotals(db)).toEqual(before);

    const accepted = YAML.parse(fs.readFileSync(out, 'utf8'));
    delete accepted.draft;
    for (const record of [...accepted.entities, ...accepted.facts]) delete record.review;
    fs.writeFileSync(out, YAML.stringify(accepted));
    const [report] = await loadFiles(db, [out]);
    expect(report?.source).toBe('naval-draft');
    expect(report?.facts.created).toBe(run.draft.facts.length);
    await resetToSeed(db);
  }, 240_000);
});
