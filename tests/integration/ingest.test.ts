/**
 * Loading documents into the real Neo4j: idempotent reloads, all-or-nothing validation, a second
 * source adding evidence to the same fact, re-curation, and the seed release's facts as stored.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDate } from 'neo4j-driver';
import YAML from 'yaml';
import { seedFiles } from '../../src/app';
import type { Db } from '../../src/db/executor';
import { ensureSchema, FULLTEXT_ANALYZER, FULLTEXT_INDEX, graphTotals, wipeGraph } from '../../src/db/schema';
import { factId } from '../../src/ingest/document';
import { loadFiles, ValidationError, type LoadReport } from '../../src/ingest/load';
import { evidenceId } from '../../src/ingest/validate';
import { SEED_DIR } from '../../src/paths';
import { testDb } from '../helpers/graph';

const SOURCE_ID = 'lt-mod-2024-03-25-chod-belgium';
const SEED_FILE = path.join(SEED_DIR, `${SOURCE_ID}.yaml`);
const SEED_TEXT_FILE = path.join(SEED_DIR, 'sources', `${SOURCE_ID}.txt`);
const SIX_NATIONS = ['belgium', 'germany', 'czechia', 'norway', 'netherlands', 'luxembourg'];

type Rec = Record<string, any>;
interface Doc {
  source: Rec;
  entities: Rec[];
  facts: Rec[];
}

const seedDoc = YAML.parse(fs.readFileSync(SEED_FILE, 'utf8')) as Doc;
const seedEvidenceCount = seedDoc.facts.reduce((n, f) => n + (f.evidence as unknown[]).length, 0);

let db: Db;
let tmp: string;

beforeAll(async () => {
  db = testDb();
  await wipeGraph(db);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-ingest-test-'));
});

afterAll(async () => {
  await db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers

async function loadSeedFiles(): Promise<LoadReport[]> {
  return loadFiles(db, seedFiles());
}

async function freshSeed(): Promise<void> {
  await wipeGraph(db);
  await loadSeedFiles();
}

/** Neo4j values as plain JSON: dates as 'YYYY-MM-DD'. */
function plain(value: unknown): unknown {
  if (isDate(value as object)) return String(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

interface Dump {
  nodes: Array<{ labels: string[]; props: Rec }>;
  relationships: Array<{ from: string; type: string; to: string; props: Rec }>;
}

/** Every node's labels and properties and every relationship's properties, in a stable order. */
async function dump(): Promise<Dump> {
  const nodes = await db.read('MATCH (n) RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.id');
  const relationships = await db.read(
    'MATCH (a)-[r]->(b) RETURN a.id AS from, type(r) AS type, b.id AS to, properties(r) AS props',
  );
  const rels = relationships.map((r) => plain(r) as Dump['relationships'][number]);
  rels.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  return {
    // A source's loadedAt and loadStamp say when it was loaded, not what the graph holds.
    nodes: nodes.map((n) => {
      const { loadedAt: _at, loadStamp: _stamp, ...props } = plain(n.props) as Rec;
      return { labels: [...(n.labels as string[])].sort(), props };
    }),
    relationships: rels,
  };
}

/** A folder holding a copy of the seed document (changed by `change`) and its text under sources/. */
function seedCopy(name: string, change: (doc: Doc) => void = () => {}): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'sources'), { recursive: true });
  fs.copyFileSync(SEED_TEXT_FILE, path.join(dir, 'sources', `${SOURCE_ID}.txt`));
  const doc = structuredClone(seedDoc);
  change(doc);
  const file = path.join(dir, `${SOURCE_ID}.yaml`);
  fs.writeFileSync(file, YAML.stringify(doc));
  return file;
}

function seedFact(doc: Doc, id: string): Rec {
  const found = doc.facts.find((f) => factId(f as Parameters<typeof factId>[0]) === id);
  if (!found) throw new Error(`The seed has no fact ${id}`);
  return found;
}

function seedEntity(id: string): Rec {
  const found = seedDoc.entities.find((e) => e.id === id);
  if (!found) throw new Error(`The seed has no entity ${id}`);
  return structuredClone(found);
}

/**
 * A second, small source in its own folder: one text, its SHA-256, entities declared exactly as
 * the seed declares them, and facts whose quotes are located in the text by code points.
 */
function smallSource(options: {
  name: string;
  id: string;
  text: string;
  published: Rec;
  entities: string[];
  facts: Array<Rec & { quote: string }>;
}): string {
  const dir = path.join(tmp, options.name);
  fs.mkdirSync(path.join(dir, 'sources'), { recursive: true });
  const bytes = Buffer.from(options.text, 'utf8');
  fs.writeFileSync(path.join(dir, 'sources', `${options.id}.txt`), bytes);
  const facts = options.facts.map(({ quote, ...fact }) => {
    const at = options.text.indexOf(quote);
    if (at < 0) throw new Error(`"${quote}" is not in the text`);
    const start = Array.from(options.text.slice(0, at)).length;
    return { ...fact, evidence: [{ source: options.id, quote, start, end: start + Array.from(quote).length }] };
  });
  const doc = {
    source: {
      id: options.id,
      title: `Test source ${options.id}`,
      publisher: 'Test publisher',
      url: `https://example.org/${options.id}`,
      published: options.published,
      language: 'en',
      textFile: `sources/${options.id}.txt`,
      sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    },
    entities: options.entities.map(seedEntity),
    facts,
  };
  const file = path.join(dir, `${options.id}.yaml`);
  fs.writeFileSync(file, YAML.stringify(doc));
  return file;
}

const LITHUANIA_IN_NATO = 'fact:member-of:lithuania:nato';
const ACCESSION_TEXT = 'Lithuania joined NATO in 2004.';

function accessionSource(name: string): string {
  return smallSource({
    name,
    id: 'nato-2019-lithuania-15-years',
    text: ACCESSION_TEXT,
    published: { text: '29 March 2019', value: '2019-03-29', precision: 'DAY' },
    entities: ['lithuania', 'nato'],
    facts: [
      {
        type: 'MEMBER_OF',
        subject: 'lithuania',
        object: 'nato',
        status: 'ACTIVE',
        start: { text: '2004', value: '2004', precision: 'YEAR' },
        quote: ACCESSION_TEXT,
      },
    ],
  });
}

async function expectRefused(files: string[]): Promise<ValidationError> {
  const error = await loadFiles(db, files).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

// ---------------------------------------------------------------------------------------------

describe('loading the seed twice', () => {
  let first: LoadReport[];
  let second: LoadReport[];
  let totalsAfterFirst: Awaited<ReturnType<typeof graphTotals>>;
  let totalsAfterSecond: Awaited<ReturnType<typeof graphTotals>>;
  let dumpAfterFirst: Dump;
  let dumpAfterSecond: Dump;

  beforeAll(async () => {
    await wipeGraph(db);
    first = await loadSeedFiles();
    totalsAfterFirst = await graphTotals(db);
    dumpAfterFirst = await dump();
    second = await loadSeedFiles();
    totalsAfterSecond = await graphTotals(db);
    dumpAfterSecond = await dump();
  });

  it('creates the 37 entities, 44 facts and 48 pieces of evidence the first time', () => {
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      source: SOURCE_ID,
      entities: { created: 37, updated: 0, unchanged: 0 },
      facts: { created: 44, updated: 0, unchanged: 0 },
      evidence: { created: 48, updated: 0, unchanged: 0 },
      removed: { evidence: 0, facts: 0 },
    });
  });

  it('reports everything unchanged the second time: nothing created, updated or removed', () => {
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({
      source: SOURCE_ID,
      entities: { created: 0, updated: 0, unchanged: 37 },
      facts: { created: 0, updated: 0, unchanged: 44 },
      evidence: { created: 0, updated: 0, unchanged: 48 },
      removed: { evidence: 0, facts: 0 },
    });
  });

  it('leaves the same totals: 142 nodes, and the relationships the document implies', () => {
    const domainLinks = seedDoc.facts.reduce((n, f) => n + ((f.domains as unknown[] | undefined)?.length ?? 0), 0);
    const belongsTo = seedDoc.entities.filter((e) => e.belongsTo).length;
    expect(totalsAfterFirst).toEqual({
      nodes: 37 + 44 + 48 + 1 + 12,
      // Each fact: SUBJECT, OBJECT and the direct edge; each evidence: EVIDENCED_BY and FROM_SOURCE.
      relationships: 44 * 3 + seedEvidenceCount * 2 + domainLinks + belongsTo,
      byLabel: {
        Country: 8,
        Domain: 12,
        Entity: 37,
        Event: 1,
        Evidence: 48,
        Fact: 44,
        Initiative: 11,
        Organisation: 7,
        Person: 2,
        Place: 3,
        Source: 1,
        Unit: 5,
      },
    });
    expect(totalsAfterSecond).toEqual(totalsAfterFirst);
  });

  it('leaves every property of every node and relationship as it was', () => {
    expect(dumpAfterFirst.nodes).toHaveLength(142);
    expect(dumpAfterFirst.relationships).toHaveLength(totalsAfterFirst.relationships);
    const hashed = dumpAfterFirst.nodes.filter((n) => typeof n.props.contentHash === 'string');
    expect(hashed).toHaveLength(37 + 44 + 48);
    expect(dumpAfterSecond).toEqual(dumpAfterFirst);
  });
});

describe('a load with one bad record among valid documents', () => {
  let badSeed: string;
  let accession: string;

  beforeAll(() => {
    badSeed = seedCopy('bad-seed', (doc) => {
      seedFact(doc, LITHUANIA_IN_NATO).subject = 'latvia';
    });
    accession = accessionSource('accession-for-refusal');
  });

  const expectedProblem = () => ({
    file: badSeed,
    record: 'fact fact:member-of:latvia:nato',
    field: 'subject',
    value: 'latvia',
    message: 'is not an entity declared in this document',
  });

  it('is refused on an empty database, listing the problem and writing nothing at all', async () => {
    await wipeGraph(db);
    const error = await expectRefused([accession, badSeed]);
    expect(error.problems).toEqual([expectedProblem()]);
    expect(error.message).toBe(
      `1 problem(s); nothing was written:\n${badSeed}: fact fact:member-of:latvia:nato: subject = "latvia": is not an entity declared in this document`,
    );
    // Not even the valid document given first.
    expect(await graphTotals(db)).toEqual({ nodes: 0, relationships: 0, byLabel: {} });
  });

  it('is refused on a seeded database, leaving every node and relationship as it was', async () => {
    await freshSeed();
    const totalsBefore = await graphTotals(db);
    const before = await dump();
    const error = await expectRefused([accession, badSeed]);
    expect(error.problems).toEqual([expectedProblem()]);
    expect(await graphTotals(db)).toEqual(totalsBefore);
    expect(await dump()).toEqual(before);
    // The valid document would have added its source; it is not there.
    expect(await db.read('MATCH (s:Source) RETURN s.id AS id ORDER BY id')).toEqual([{ id: SOURCE_ID }]);
  });

  it('can be rerun once the record is fixed, and then loads both documents', async () => {
    await wipeGraph(db);
    await expectRefused([accession, badSeed]);
    const fixed = seedCopy('bad-seed'); // the same file, rewritten as the seed
    expect(fixed).toBe(badSeed);
    const reports = await loadFiles(db, [accession, fixed]);
    expect(reports.map((r) => r.source)).toEqual(['nato-2019-lithuania-15-years', SOURCE_ID]);
    expect(reports[1]).toMatchObject({
      entities: { created: 35, updated: 0, unchanged: 2 },
      facts: { created: 43, updated: 0, unchanged: 1 },
      evidence: { created: 48, updated: 0, unchanged: 0 },
    });
    const [row] = await db.read('MATCH (s:Source) WITH count(s) AS sources MATCH (f:Fact) RETURN sources, count(f) AS facts');
    expect(row).toEqual({ sources: 2, facts: 44 });
  });
});

describe('a second source stating the same fact', () => {
  let report: LoadReport | undefined;

  beforeAll(async () => {
    await freshSeed();
    [report] = await loadFiles(db, [accessionSource('accession')]);
  });

  it('adds its evidence to the same Fact, changing nothing else about it', () => {
    expect(report).toMatchObject({
      source: 'nato-2019-lithuania-15-years',
      entities: { created: 0, updated: 0, unchanged: 2 },
      facts: { created: 0, updated: 0, unchanged: 1 },
      evidence: { created: 1, updated: 0, unchanged: 0 },
      removed: { evidence: 0, facts: 0 },
    });
  });

  it("keeps one Fact for Lithuania's NATO membership, evidenced by both sources", async () => {
    const rows = await db.read(
      `MATCH (f:Fact {id: $id})
       OPTIONAL MATCH (f)-[:EVIDENCED_BY]->(e:Evidence)-[:FROM_SOURCE]->(s:Source)
       RETURN f.id AS fact, e.quote AS quote, e.start AS start, e.end AS end, s.id AS source ORDER BY source`,
      { id: LITHUANIA_IN_NATO },
    );
    expect(rows).toEqual([
      {
        fact: LITHUANIA_IN_NATO,
        quote:
          'Belgium was the first NATO member to deploy F-16 fighter aircraft to the NATO Air Policing Mission when Lithuania became a member of NATO in 2004.',
        start: 966,
        end: 1112,
        source: SOURCE_ID,
      },
      { fact: LITHUANIA_IN_NATO, quote: ACCESSION_TEXT, start: 0, end: 30, source: 'nato-2019-lithuania-15-years' },
    ]);
  });

  it('keeps exactly one (lithuania)-[:MEMBER_OF]->(nato) relationship', async () => {
    const rows = await db.read(
      "MATCH (:Entity {id: 'lithuania'})-[r:MEMBER_OF]->(:Entity {id: 'nato'}) RETURN r.factId AS factId",
    );
    expect(rows).toEqual([{ factId: LITHUANIA_IN_NATO }]);
  });

  it('dates the first statement from the earlier source, the 2019 one', async () => {
    const [row] = await db.read(
      `MATCH (f:Fact {id: $id})-[:SUBJECT]->(s)-[r:MEMBER_OF]->(o)<-[:OBJECT]-(f)
       RETURN toString(f.firstStated) AS firstStated, toString(f.inForceFrom) AS inForceFrom, toString(r.inForceFrom) AS edgeFrom`,
      { id: LITHUANIA_IN_NATO },
    );
    expect(row).toEqual({ firstStated: '2019-03-29', inForceFrom: '2004-12-31', edgeFrom: '2004-12-31' });
  });
});

describe('a source that drops a fact another source still states', () => {
  const BELGIUM_IN_NATO = 'fact:member-of:belgium:nato';
  const FOUNDING = 'Belgium is a founding member of NATO.';

  function foundingSource(statesIt: boolean): string {
    return smallSource({
      name: statesIt ? 'founding' : 'founding-recurated',
      id: 'nato-2019-founding-members',
      text: FOUNDING,
      published: { text: '4 April 2019', value: '2019-04-04', precision: 'DAY' },
      entities: ['belgium', 'nato'],
      facts: statesIt ? [{ type: 'MEMBER_OF', subject: 'belgium', object: 'nato', status: 'ACTIVE', quote: FOUNDING }] : [],
    });
  }

  async function inForce(): Promise<Rec | undefined> {
    const [row] = await db.read(
      `MATCH (f:Fact {id: $id})-[:SUBJECT]->(s)-[r:MEMBER_OF]->(o)<-[:OBJECT]-(f)
       OPTIONAL MATCH (f)-[:EVIDENCED_BY]->(e)
       RETURN toString(f.firstStated) AS firstStated, toString(f.inForceFrom) AS inForceFrom,
              toString(r.inForceFrom) AS edgeFrom, count(e) AS evidence`,
      { id: BELGIUM_IN_NATO },
    );
    return row;
  }

  it("counts Belgium's undated NATO membership from the earliest source, then from the seed again once that source drops it", async () => {
    await freshSeed();
    await loadFiles(db, [foundingSource(true)]);
    expect(await inForce()).toEqual({ firstStated: '2019-04-04', inForceFrom: '2019-04-04', edgeFrom: '2019-04-04', evidence: 2 });

    const [report] = await loadFiles(db, [foundingSource(false)]);
    expect(report?.removed).toEqual({ evidence: 1, facts: 0 });
    expect(await inForce()).toEqual({ firstStated: '2024-03-25', inForceFrom: '2024-03-25', edgeFrom: '2024-03-25', evidence: 1 });
  });
});

describe('re-curating the seed', () => {
  const DROPPED = 'fact:participates-in:belgium:resilience-work-group:participant';

  it("removes a fact the document no longer gives, with its evidence and its edge, and the original brings it back", async () => {
    await freshSeed();
    const original = await dump();
    const totalsBefore = await graphTotals(db);
    const droppedEvidence = evidenceId(DROPPED, { source: SOURCE_ID, start: 1600, end: 1819 });
    expect(await db.read('MATCH (e:Evidence {id: $id}) RETURN e.id AS id', { id: droppedEvidence })).toEqual([{ id: droppedEvidence }]);

    const recurated = seedCopy('recurated', (doc) => {
      doc.facts = doc.facts.filter((f) => factId(f as Parameters<typeof factId>[0]) !== DROPPED);
    });
    const [report] = await loadFiles(db, [recurated]);
    expect(report).toMatchObject({
      facts: { created: 0, updated: 0, unchanged: 43 },
      evidence: { created: 0, updated: 0, unchanged: 47 },
      removed: { evidence: 1, facts: 1 },
    });
    expect(await db.read('MATCH (f:Fact {id: $id}) RETURN f.id', { id: DROPPED })).toEqual([]);
    expect(await db.read('MATCH (e:Evidence {id: $id}) RETURN e.id', { id: droppedEvidence })).toEqual([]);
    expect(
      await db.read(
        "MATCH (:Entity {id: 'belgium'})-[r:PARTICIPATES_IN]->(:Entity {id: 'resilience-work-group'}) RETURN r.factId",
      ),
    ).toEqual([]);
    // The fact's SUBJECT, OBJECT, edge and two IN_DOMAIN links; the evidence's two links.
    expect(await graphTotals(db)).toMatchObject({ nodes: totalsBefore.nodes - 2, relationships: totalsBefore.relationships - 7 });
    // The entities stay: other facts and other sources may use them.
    expect(await db.read("MATCH (e:Entity) WHERE e.id IN ['belgium', 'resilience-work-group'] RETURN e.id AS id ORDER BY id")).toEqual([
      { id: 'belgium' },
      { id: 'resilience-work-group' },
    ]);

    const [restored] = await loadSeedFiles();
    expect(restored).toMatchObject({
      facts: { created: 1, updated: 0, unchanged: 43 },
      evidence: { created: 1, updated: 0, unchanged: 47 },
      removed: { evidence: 0, facts: 0 },
    });
    expect(await dump()).toEqual(original);
  });
});

describe('the seed release, as stored in Neo4j', () => {
  beforeAll(async () => {
    await freshSeed();
  });

  it('stores the six nations as ACTIVE CONTRIBUTORs to the battle group since "early 2017" (January to April)', async () => {
    const rows = await db.read(
      `MATCH (c:Entity)-[r:PARTICIPATES_IN]->(:Entity {id: 'efp-battle-group-lithuania'})
       MATCH (f:Fact {id: r.factId})
       RETURN c.id AS nation, r.role AS role, r.status AS status, f.startText AS startText,
              f.startPrecision AS precision, toString(f.startEarliest) AS earliest, toString(f.startLatest) AS latest,
              f.domains AS domains
       ORDER BY nation`,
    );
    expect(rows).toEqual(
      [...SIX_NATIONS].sort().map((nation) => ({
        nation,
        role: 'CONTRIBUTOR',
        status: 'ACTIVE',
        startText: 'early 2017',
        precision: 'RANGE',
        earliest: '2017-01-01',
        latest: '2017-04-30',
        domains: ['LAND'],
      })),
    );
  });

  it('stores the battle group as DEPLOYED_AT Rukla', async () => {
    const rows = await db.read(
      `MATCH (:Entity {id: 'efp-battle-group-lithuania'})-[r:DEPLOYED_AT]->(p:Entity)
       RETURN p.id AS place, p.kind AS kind, r.status AS status`,
    );
    expect(rows).toEqual([{ place: 'rukla', kind: 'Place', status: 'ACTIVE' }]);
  });

  it("stores Belgium's plan to join the Resilience Work Group as PLANNED", async () => {
    const rows = await db.read(
      `MATCH (:Entity {id: 'belgium'})-[r:PARTICIPATES_IN]->(:Entity {id: 'resilience-work-group'})
       MATCH (f:Fact {id: r.factId})
       RETURN f.status AS fact, r.status AS edge, r.role AS role`,
    );
    expect(rows).toEqual([{ fact: 'PLANNED', edge: 'PLANNED', role: 'PARTICIPANT' }]);
  });

  it('stores the proposal that the Lithuanian Special Operations Forces LEAD the component command as PROPOSED', async () => {
    const rows = await db.read(
      `MATCH (:Entity {id: 'lithuanian-special-operations-forces'})-[r:PARTICIPATES_IN]->(:Entity {id: 'special-operations-component-command'})
       MATCH (f:Fact {id: r.factId})
       RETURN f.id AS id, f.status AS fact, r.status AS edge, r.role AS role`,
    );
    expect(rows).toEqual([
      {
        id: 'fact:participates-in:lithuanian-special-operations-forces:special-operations-component-command:lead',
        fact: 'PROPOSED',
        edge: 'PROPOSED',
        role: 'LEAD',
      },
    ]);
  });

  it('stores Lithuania as MEMBER_OF NATO since 2004, to the year', async () => {
    const rows = await db.read(
      `MATCH (:Entity {id: 'lithuania'})-[r:MEMBER_OF]->(:Entity {id: 'nato'})
       MATCH (f:Fact {id: r.factId})
       RETURN f.status AS status, f.startValue AS value, f.startPrecision AS precision,
              toString(f.startEarliest) AS earliest, toString(f.startLatest) AS latest`,
    );
    expect(rows).toEqual([{ status: 'ACTIVE', value: '2004', precision: 'YEAR', earliest: '2004-01-01', latest: '2004-12-31' }]);
  });

  it('stores Belgium joining the CRRT project in February 2023, to the month', async () => {
    const rows = await db.read(
      `MATCH (:Entity {id: 'belgium'})-[r:PARTICIPATES_IN]->(:Entity {id: 'crrts-and-mutual-assistance-in-cyber'})
       MATCH (f:Fact {id: r.factId})
       RETURN f.status AS status, r.role AS role, f.startText AS text, f.startValue AS value, f.startPrecision AS precision,
              toString(f.startEarliest) AS earliest, toString(f.startLatest) AS latest`,
    );
    expect(rows).toEqual([
      {
        status: 'ACTIVE',
        role: 'PARTICIPANT',
        text: 'February 2023',
        value: '2023-02',
        precision: 'MONTH',
        earliest: '2023-02-01',
        latest: '2023-02-28',
      },
    ]);
  });

  it('keeps the source text byte for byte, and every quote is the text at its code-point offsets', async () => {
    const [source] = await db.read('MATCH (s:Source {id: $id}) RETURN s.text AS text, s.sha256 AS sha256', { id: SOURCE_ID });
    const text = source?.text as string;
    expect(text).toBe(fs.readFileSync(SEED_TEXT_FILE, 'utf8'));
    expect(crypto.createHash('sha256').update(text, 'utf8').digest('hex')).toBe(source?.sha256);

    const evidence = await db.read(
      `MATCH (e:Evidence)-[:FROM_SOURCE]->(:Source {id: $id}) RETURN e.id AS id, e.quote AS quote, e.start AS start, e.end AS end`,
      { id: SOURCE_ID },
    );
    expect(evidence).toHaveLength(48);
    const codePoints = Array.from(text);
    const mismatches = evidence.filter(
      (e) => codePoints.slice(e.start as number, e.end as number).join('') !== e.quote,
    );
    expect(mismatches).toEqual([]);
  });

  it('gives every Fact at least one piece of evidence', async () => {
    const rows = await db.read(
      'MATCH (f:Fact) OPTIONAL MATCH (f)-[:EVIDENCED_BY]->(e:Evidence) RETURN f.id AS id, count(e) AS evidence',
    );
    expect(rows).toHaveLength(44);
    expect(rows.filter((r) => (r.evidence as number) < 1)).toEqual([]);
  });

  it('gives every Fact exactly one direct relationship of its type, from its subject to its object', async () => {
    const rows = await db.read(
      `MATCH (f:Fact)-[:SUBJECT]->(s:Entity), (f)-[:OBJECT]->(o:Entity)
       OPTIONAL MATCH (s)-[r]->(o) WHERE r.factId = f.id
       RETURN f.id AS id, f.type AS type, collect(type(r)) AS edges`,
    );
    expect(rows).toHaveLength(44);
    expect(rows.filter((r) => JSON.stringify(r.edges) !== JSON.stringify([r.type]))).toEqual([]);
    const [stray] = await db.read('MATCH ()-[r]->() WHERE r.factId IS NOT NULL RETURN count(r) AS edges');
    expect(stray).toEqual({ edges: 44 });
  });

  it('holds the entities the release names: Lithuania, Belgium, SNMCMG1, the battle group, the Demining Coalition, the CRRT project', async () => {
    const ids = ['lithuania', 'belgium', 'snmcmg1', 'efp-battle-group-lithuania', 'demining-coalition', 'crrts-and-mutual-assistance-in-cyber'];
    const rows = await db.read('MATCH (e:Entity) WHERE e.id IN $ids RETURN e.id AS id, e.kind AS kind ORDER BY id', { ids });
    expect(rows).toEqual([
      { id: 'belgium', kind: 'Country' },
      { id: 'crrts-and-mutual-assistance-in-cyber', kind: 'Initiative' },
      { id: 'demining-coalition', kind: 'Initiative' },
      { id: 'efp-battle-group-lithuania', kind: 'Unit' },
      { id: 'lithuania', kind: 'Country' },
      { id: 'snmcmg1', kind: 'Unit' },
    ]);
  });

  it('has the full-text index entity_search, which finds "SNMCMG1"', async () => {
    const indexes = await db.read(
      `SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, state WHERE name = $name
       RETURN name, labelsOrTypes, properties, state`,
      { name: FULLTEXT_INDEX },
    );
    expect(indexes).toEqual([{ name: 'entity_search', labelsOrTypes: ['Entity'], properties: ['name', 'searchText'], state: 'ONLINE' }]);
    const hits = await db.read(
      "CALL db.index.fulltext.queryNodes('entity_search', 'SNMCMG1') YIELD node RETURN node.id AS id",
    );
    expect(hits[0]).toEqual({ id: 'snmcmg1' });
  });

  it('makes the full-text index again when it was made with an analyzer that does not fold accents', async () => {
    const analyzer = async () =>
      (await db.read('SHOW FULLTEXT INDEXES YIELD name, options WHERE name = $name RETURN options.indexConfig.`fulltext.analyzer` AS a', { name: FULLTEXT_INDEX }))[0]?.a;
    await db.write(`DROP INDEX ${FULLTEXT_INDEX}`);
    await db.write(`CREATE FULLTEXT INDEX ${FULLTEXT_INDEX} FOR (n:Entity) ON EACH [n.name, n.searchText] OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-no-stop-words' } }`);
    await db.write('CALL db.awaitIndexes(300)');
    const before = await db.read(`CALL db.index.fulltext.queryNodes('${FULLTEXT_INDEX}', 'rupsys') YIELD node RETURN node.id AS id`);
    expect(before).toEqual([]);
    await ensureSchema(db);
    expect(await analyzer()).toBe(FULLTEXT_ANALYZER);
    const after = await db.read(`CALL db.index.fulltext.queryNodes('${FULLTEXT_INDEX}', 'rupsys') YIELD node RETURN node.id AS id`);
    expect(after).toEqual([{ id: 'valdemaras-rupsys' }]);
  });

  it("dates an undated fact (Lithuania COOPERATES_WITH Belgium) from the release's publishedLatest, 2024-03-25", async () => {
    const [row] = await db.read(
      `MATCH (:Entity {id: 'lithuania'})-[r:COOPERATES_WITH]->(:Entity {id: 'belgium'})
       MATCH (f:Fact {id: r.factId}), (s:Source {id: $source})
       RETURN toString(f.inForceFrom) AS fact, toString(r.inForceFrom) AS edge, toString(s.publishedLatest) AS publishedLatest,
              f.startLatest AS startLatest`,
      { source: SOURCE_ID },
    );
    expect(row).toEqual({ fact: '2024-03-25', edge: '2024-03-25', publishedLatest: '2024-03-25', startLatest: null });
  });

  it('dates a RANGE-dated fact (Belgium in the battle group) from its startLatest, 2017-04-30', async () => {
    const [row] = await db.read(
      `MATCH (f:Fact {id: 'fact:participates-in:belgium:efp-battle-group-lithuania:contributor'})
       RETURN toString(f.inForceFrom) AS inForceFrom, toString(f.startLatest) AS startLatest, toString(f.firstStated) AS firstStated`,
    );
    expect(row).toEqual({ inForceFrom: '2017-04-30', startLatest: '2017-04-30', firstStated: '2024-03-25' });
  });
});
