/**
 * Many sources in the real Neo4j: the seed and two synthetic follow-ups (tests/fixtures) give
 * the same graph in any order, claims are kept per source and facts derived from them, an
 * unchanged reload writes nothing, `unload` takes a source out, and documents share entities.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { seedFiles } from '../../src/app';
import type { Db } from '../../src/db/executor';
import { wipeGraph } from '../../src/db/schema';
import { readGraphVersion } from '../../src/db/version';
import { loadFiles, unloadSource, ValidationError } from '../../src/ingest/load';
import { PROJECT_ROOT } from '../../src/paths';
import { graphDigest } from '../helpers/digest';
import { testDb } from '../helpers/graph';

const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures');
const SEED = seedFiles()[0]!;
const FOLLOW_UP = path.join(FIXTURES, 'synthetic-2024-06-follow-up.yaml');
const SECOND = path.join(FIXTURES, 'synthetic-2024-06-second-follow-up.yaml');
const BELGIUM_IN_RWG = 'fact:participates-in:belgium:resilience-work-group:participant';

let db: Db;
let tmp: string;

beforeAll(async () => {
  db = testDb();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-sources-test-'));
});

afterAll(async () => {
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A digest of every node and relationship, leaving out only when each source was loaded. */
const digest = () => graphDigest(db);

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

async function fact(id: string): Promise<Record<string, unknown>> {
  const [row] = await db.read(
    `MATCH (f:Fact {id: $id})
     OPTIONAL MATCH (f)-[:CLAIMED_IN]->(c:Claim)
     WITH f, c ORDER BY c.published, c.source
     RETURN f.status AS status, f.startValue AS start, toString(f.inForceFrom) AS inForceFrom, f.sources AS sources, f.conflicts AS conflicts,
            [d IN f.knownFrom | toString(d)] AS knownFrom, f.knownStatus AS knownStatus, collect([c.source, c.status]) AS claims`,
    { id },
  );
  return row ?? {};
}

describe('three documents loaded in every order', () => {
  const digests = new Map<string, string>();

  beforeAll(async () => {
    for (const order of permutations([SEED, FOLLOW_UP, SECOND])) {
      await wipeGraph(db);
      await loadFiles(db, order);
      digests.set(order.map((f) => path.basename(f, '.yaml')).join(' > '), await digest());
    }
    // And in separate loads, each follow-up after the seed it refers to, in both orders.
    for (const order of [[SEED, FOLLOW_UP, SECOND], [SEED, SECOND, FOLLOW_UP]]) {
      await wipeGraph(db);
      for (const file of order) await loadFiles(db, [file]);
      digests.set(`separately: ${order.map((f) => path.basename(f, '.yaml')).join(' > ')}`, await digest());
    }
  }, 600_000);

  it('give the same graph, down to every property (all but the load times)', () => {
    expect(digests.size).toBe(8);
    expect(new Set(digests.values()).size).toBe(1);
  });

  it('keep each source its claim: the seed PLANNED, the follow-up ACTIVE since May 2024, which decides', async () => {
    expect(await fact(BELGIUM_IN_RWG)).toEqual({
      status: 'ACTIVE',
      start: '2024-05',
      inForceFrom: '2024-05-31',
      sources: 2,
      conflicts: 0,
      knownFrom: ['2024-03-25', '2024-06-14'],
      knownStatus: ['PLANNED', 'ACTIVE'],
      claims: [
        ['lt-mod-2024-03-25-chod-belgium', 'PLANNED'],
        ['synthetic-2024-06-follow-up', 'ACTIVE'],
      ],
    });
  });

  it('refine a date with a more precise one (Lithuania in NATO since 29 March 2004) and keep three claims', async () => {
    expect(await fact('fact:member-of:lithuania:nato')).toMatchObject({ start: '2004-03-29', inForceFrom: '2004-03-29', sources: 3, conflicts: 0 });
  });

  it('report the contradiction of two sources published the same day, keeping both claims', async () => {
    expect(await fact('fact:participates-in:czechia:efp-battle-group-lithuania:contributor')).toMatchObject({
      status: 'ACTIVE',
      conflicts: 1,
      claims: [
        ['lt-mod-2024-03-25-chod-belgium', 'ACTIVE'],
        ['synthetic-2024-06-follow-up', 'ACTIVE'],
        ['synthetic-2024-06-second-follow-up', 'ENDED'],
      ],
    });
  });

  it("add the new participants and a second source's names for Belgium", async () => {
    const rows = await db.read(
      "MATCH (e:Entity) WHERE e.id IN ['estonia', 'latvia', 'belgium'] RETURN e.id AS id, e.aliases AS aliases ORDER BY id",
    );
    expect(rows).toEqual([
      { id: 'belgium', aliases: ['Kingdom of Belgium', 'Belgian', 'Belgium’s', 'Royaume de Belgique'] },
      { id: 'estonia', aliases: [] },
      { id: 'latvia', aliases: [] },
    ]);
  });
});

describe('an unchanged reload', () => {
  it('writes nothing: no new load stamp, the same graph version, every tally unchanged', async () => {
    await wipeGraph(db);
    await loadFiles(db, [SEED, FOLLOW_UP]);
    const version = await readGraphVersion(db);
    const before = await digest();
    const stamps = await db.read('MATCH (s:Source) RETURN s.id AS id, s.loadStamp AS stamp, toString(s.loadedAt) AS at ORDER BY id');
    const reports = await loadFiles(db, [SEED, FOLLOW_UP]);
    expect(reports.map((r) => r.wrote)).toEqual([false, false]);
    expect(reports.every((r) => r.facts.created + r.facts.updated + r.claims.created + r.claims.updated + r.evidence.created === 0)).toBe(true);
    expect(await db.read('MATCH (s:Source) RETURN s.id AS id, s.loadStamp AS stamp, toString(s.loadedAt) AS at ORDER BY id')).toEqual(stamps);
    expect(await readGraphVersion(db)).toBe(version);
    expect(await digest()).toBe(before);
  });

  it('but a real change still writes, and changes the graph version', async () => {
    const version = await readGraphVersion(db);
    const dir = path.join(tmp, 'changed');
    fs.mkdirSync(path.join(dir, 'sources'), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'sources', 'synthetic-2024-06-follow-up.txt'), path.join(dir, 'sources', 'synthetic-2024-06-follow-up.txt'));
    const doc = YAML.parse(fs.readFileSync(FOLLOW_UP, 'utf8')) as { facts: Array<Record<string, unknown>> };
    doc.facts[0]!.note = 'A changed note.';
    const file = path.join(dir, 'synthetic-2024-06-follow-up.yaml');
    fs.writeFileSync(file, YAML.stringify(doc));
    const [report] = await loadFiles(db, [file]);
    expect(report).toMatchObject({ wrote: true, claims: { updated: 1 }, facts: { updated: 1 } });
    expect(await readGraphVersion(db)).not.toBe(version);
  });
});

describe('dcg unload', () => {
  it('takes a source out, leaving the graph the other sources alone give', async () => {
    await wipeGraph(db);
    await loadFiles(db, [SEED, SECOND]);
    const withoutFollowUp = await digest();
    await loadFiles(db, [FOLLOW_UP]);
    const report = await unloadSource(db, 'synthetic-2024-06-follow-up');
    expect(report.removed).toMatchObject({ claims: 5, evidence: 5, facts: 1, entities: 1 });
    expect(await digest()).toBe(withoutFollowUp);
    expect(await fact(BELGIUM_IN_RWG)).toMatchObject({ status: 'PLANNED', sources: 1 });
  });

  it('keeps an entity another source still names after its defining source goes, and removes the rest', async () => {
    await unloadSource(db, 'lt-mod-2024-03-25-chod-belgium');
    const ids = await db.read('MATCH (e:Entity) RETURN e.id AS id, size(e.definitions) AS definitions ORDER BY id');
    // The second follow-up names these: it defines belgium and latvia, and uses the rest.
    expect(ids).toEqual([
      { id: 'belgium', definitions: 1 },
      { id: 'czechia', definitions: 0 },
      { id: 'demining-coalition', definitions: 0 },
      { id: 'efp-battle-group-lithuania', definitions: 0 },
      { id: 'latvia', definitions: 1 },
      { id: 'lithuania', definitions: 0 },
      { id: 'nato', definitions: 0 },
    ]);
    expect(await db.read('MATCH (f:Fact) RETURN count(f) AS facts')).toEqual([{ facts: 3 }]);
  });

  it('refuses a source the graph does not have, naming it', async () => {
    await expect(unloadSource(db, 'no-such-source')).rejects.toThrow('source: id = "no-such-source": is not a source in the graph');
  });
});

describe('shared entities', () => {
  it('lets a follow-up use entities another document of the same load defines, whatever the order given', async () => {
    await wipeGraph(db);
    const reports = await loadFiles(db, [FOLLOW_UP, SEED]);
    expect(reports.map((r) => r.source)).toEqual(['lt-mod-2024-03-25-chod-belgium', 'synthetic-2024-06-follow-up']);
  });

  it('refuses a follow-up on an empty graph, naming each id it could not find, and writes nothing', async () => {
    await wipeGraph(db);
    const error = await loadFiles(db, [FOLLOW_UP]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect([...new Set((error as ValidationError).problems.map((p) => p.value))].sort()).toEqual([
      'belgium', 'czechia', 'efp-battle-group-lithuania', 'lithuania', 'nato', 'resilience-work-group',
    ]);
    expect(await db.read('MATCH (n) RETURN count(n) AS n')).toEqual([{ n: 0 }]);
  });

  it('refuses a definition of another kind, naming both sources', async () => {
    await wipeGraph(db);
    await loadFiles(db, [SEED]);
    const dir = path.join(tmp, 'conflict');
    fs.mkdirSync(path.join(dir, 'sources'), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'sources', 'synthetic-2024-06-second-follow-up.txt'), path.join(dir, 'sources', 'synthetic-2024-06-second-follow-up.txt'));
    const doc = YAML.parse(fs.readFileSync(SECOND, 'utf8')) as { entities: Array<Record<string, unknown>> };
    doc.entities = doc.entities.map((e) => (e.id === 'belgium' ? { id: 'belgium', kind: 'Organisation', name: 'Belgium', aliases: [] } : e));
    const file = path.join(dir, 'synthetic-2024-06-second-follow-up.yaml');
    fs.writeFileSync(file, YAML.stringify(doc));
    await expect(loadFiles(db, [file])).rejects.toThrow(
      'entity belgium: kind = "Organisation": conflicts with source lt-mod-2024-03-25-chod-belgium, which defines belgium as Country',
    );
  });
});
