/**
 * Exports against the seeded Neo4j: the GraphML is read back with an independent parser, and its
 * node and edge counts are checked against counts Cypher computes for the same filter.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Db } from '../../src/db/executor';
import { exportGraph, type ExportOptions } from '../../src/export';
import { PROJECT_ROOT } from '../../src/paths';
import { startSeededServer, type SeededServer } from '../helpers/graph';

let db: Db;
let base: string;

let api: SeededServer;

beforeAll(async () => {
  api = await startSeededServer();
  ({ db, base } = api);
}, 180_000); // a cold database takes a while to wipe and seed

afterAll(() => api.close());

const EFP = 'efp-battle-group-lithuania';
const EFP_NATIONS = ['belgium', 'czechia', 'germany', 'luxembourg', 'netherlands', 'norway'];
const EFP_SENTENCE =
  'Belgian troops serve in the NATO enhanced Forward Presence Battalion Battle Group deployed in Rukla since early 2017 alongside German, Czech, Norwegian, Dutch and Luxembourg’s military personnel.';

interface Filter {
  asOf?: string;
  domain?: string;
  kinds?: string[];
  status?: string[];
}

/** The export's rule, written out again in plain Cypher on the Fact nodes. */
async function neo4jCounts(filter: Filter): Promise<{ nodes: number; edges: number }> {
  const params = {
    status: filter.status ?? ['ACTIVE', 'ENDED'],
    asOf: filter.asOf ?? null,
    domain: filter.domain ?? null,
    kinds: filter.kinds ?? null,
  };
  const [edges] = await db.read(
    `MATCH (s:Entity)<-[:SUBJECT]-(f:Fact)-[:OBJECT]->(o:Entity)
     WHERE f.status IN $status
       AND ($asOf IS NULL OR (f.inForceFrom <= date($asOf) AND (f.inForceUntil IS NULL OR date($asOf) <= f.inForceUntil)))
       AND ($domain IS NULL OR $domain IN f.domains)
       AND ($kinds IS NULL OR s.kind IN $kinds OR o.kind IN $kinds)
     RETURN count(DISTINCT f) AS edges, collect(s.id) + collect(o.id) AS touched`,
    params,
  );
  const [nodes] = await db.read('MATCH (n:Entity) WHERE $kinds IS NULL OR n.kind IN $kinds OR n.id IN $touched RETURN count(n) AS nodes', {
    kinds: params.kinds,
    touched: edges?.touched ?? [],
  });
  return { nodes: nodes?.nodes as number, edges: edges?.edges as number };
}

interface GraphmlData {
  '#text'?: string | number;
  '@_key': string;
}
interface GraphmlElement {
  '@_id': string;
  '@_source'?: string;
  '@_target'?: string;
  data?: GraphmlData[];
}
interface ParsedGraphml {
  keys: Map<string, { for: string; name: string; type: string }>;
  nodes: Map<string, Record<string, string>>;
  edges: Array<Record<string, string> & { id: string; source: string; target: string }>;
}

/** Parses with fast-xml-parser (not the code that wrote it) and resolves <data> through the declared <key>s. */
function parseGraphml(xml: string): ParsedGraphml {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`GraphML is not well-formed XML: ${JSON.stringify(valid.err)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    trimValues: false,
    htmlEntities: true,
    isArray: (name) => ['key', 'node', 'edge', 'data'].includes(name),
  });
  const doc = parser.parse(xml) as { graphml: { key: Array<Record<string, string>>; graph: { '@_edgedefault': string; node?: GraphmlElement[]; edge?: GraphmlElement[] } } };
  const keys = new Map(doc.graphml.key.map((k) => [k['@_id'] as string, { for: k['@_for'] as string, name: k['@_attr.name'] as string, type: k['@_attr.type'] as string }]));
  const read = (element: GraphmlElement, kind: 'node' | 'edge') => {
    const values: Record<string, string> = {};
    for (const d of element.data ?? []) {
      const key = keys.get(d['@_key']);
      if (!key || key.for !== kind) throw new Error(`<data key="${d['@_key']}"> on a ${kind} has no <key> for ${kind}s`);
      values[key.name] = String(d['#text'] ?? '');
    }
    return values;
  };
  const nodes = new Map((doc.graphml.graph.node ?? []).map((n) => [n['@_id'], read(n, 'node')]));
  const edges = (doc.graphml.graph.edge ?? []).map((e) => ({ ...read(e, 'edge'), id: e['@_id'], source: e['@_source'] as string, target: e['@_target'] as string }));
  return { keys, nodes, edges };
}

/** An RFC 4180 reader, written for the test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

async function graphml(options: Omit<ExportOptions, 'format'>): Promise<ParsedGraphml> {
  return parseGraphml((await exportGraph(db, { format: 'graphml', ...options })).body);
}

describe('GraphML export', () => {
  const cases: Array<[string, Filter]> = [
    ['the default filter (ACTIVE, ENDED, any date)', {}],
    ['as of 2016-06-01', { asOf: '2016-06-01' }],
    ['as of 2024-03-25', { asOf: '2024-03-25' }],
    ['plans too, in the LAND domain', { status: ['ACTIVE', 'PLANNED', 'PROPOSED'], domain: 'LAND' }],
    ['countries and units only', { kinds: ['Country', 'Unit'] }],
  ];

  it.each(cases)('has the nodes and edges Cypher counts for %s', async (_, filter) => {
    const parsed = await graphml(filter);
    const expected = await neo4jCounts(filter);
    expect({ nodes: parsed.nodes.size, edges: parsed.edges.length }).toEqual(expected);
    for (const edge of parsed.edges) {
      expect(parsed.nodes.has(edge.source)).toBe(true);
      expect(parsed.nodes.has(edge.target)).toBe(true);
    }
  });

  it('differs between the filters, so the counts above test something', async () => {
    const all = await neo4jCounts({});
    const before = await neo4jCounts({ asOf: '2016-06-01' });
    expect(all.edges).toBeGreaterThan(before.edges);
    expect(before.edges).toBeGreaterThan(0);
    expect((await neo4jCounts({ kinds: ['Country', 'Unit'] })).nodes).toBeLessThan(all.nodes);
  });

  it('declares every key with a type and is a directed graph', async () => {
    const parsed = await graphml({});
    expect(parsed.keys.size).toBeGreaterThan(20);
    for (const key of parsed.keys.values()) expect(key.type).toBe('string');
    const names = [...parsed.keys.values()].filter((k) => k.for === 'edge').map((k) => k.name);
    expect(names).toEqual(expect.arrayContaining(['type', 'status', 'role', 'domains', 'startText', 'startPrecision', 'startEarliest', 'startLatest', 'inForceFrom', 'evidence', 'evidenceSources', 'evidenceUrls']));
  });

  it('gives each eFP contribution its role, "early 2017" and the sentence as evidence', async () => {
    const parsed = await graphml({});
    const efp = parsed.edges.filter((e) => e.target === EFP && e.type === 'PARTICIPATES_IN');
    expect(efp.map((e) => e.source).sort()).toEqual(EFP_NATIONS);
    for (const edge of efp) {
      expect(edge).toMatchObject({
        status: 'ACTIVE',
        role: 'CONTRIBUTOR',
        domains: 'LAND',
        startText: 'early 2017',
        startPrecision: 'RANGE',
        startEarliest: '2017-01-01',
        startLatest: '2017-04-30',
        inForceFrom: '2017-04-30',
        evidence: EFP_SENTENCE,
        evidenceSources: 'lt-mod-2024-03-25-chod-belgium',
      });
      expect(edge.evidenceUrls).toMatch(/^https:\/\/www\.kariuomene\.lt\//);
    }
    expect(parsed.nodes.get('belgium')).toMatchObject({ kind: 'Country', name: 'Belgium', iso3166: 'BE' });
  });

  it('leaves the eFP contributions out as of 2016-06-01 and keeps them as of 2024-03-25', async () => {
    const contributors = (p: ParsedGraphml) => p.edges.filter((e) => e.target === EFP && e.type === 'PARTICIPATES_IN').length;
    expect(contributors(await graphml({ asOf: '2016-06-01' }))).toBe(0);
    expect(contributors(await graphml({ asOf: '2024-03-25' }))).toBe(6);
  });

  it('shows plans only when asked for', async () => {
    const statuses = (p: ParsedGraphml) => new Set(p.edges.map((e) => e.status));
    expect(statuses(await graphml({}))).toEqual(new Set(['ACTIVE']));
    expect(statuses(await graphml({ status: ['PLANNED', 'PROPOSED'] }))).toEqual(new Set(['PLANNED', 'PROPOSED']));
  });
});

describe('CSV exports', () => {
  it('have one row per node and per edge under a header, quoted per RFC 4180', async () => {
    const expected = await neo4jCounts({});
    const nodes = parseCsv((await exportGraph(db, { format: 'csv-nodes' })).body);
    const edges = parseCsv((await exportGraph(db, { format: 'csv-edges' })).body);
    expect(nodes[0]).toEqual(['id', 'kind', 'subtype', 'name', 'aliases', 'referenceAliases', 'iso3166', 'wikidata', 'belongsTo']);
    expect(nodes.length - 1).toBe(expected.nodes);
    expect(edges.length - 1).toBe(expected.edges);
    expect(new Set(nodes.map((row) => row.length))).toEqual(new Set([nodes[0]!.length]));
    expect(new Set(edges.map((row) => row.length))).toEqual(new Set([edges[0]!.length]));
    const header = edges[0]!;
    const efp = edges.slice(1).filter((row) => row[header.indexOf('target')] === EFP && row[header.indexOf('type')] === 'PARTICIPATES_IN');
    expect(efp).toHaveLength(6);
    // The sentence holds commas and a typographic apostrophe: it must come back whole.
    expect(efp[0]![header.indexOf('evidence')]).toBe(EFP_SENTENCE);
  });

  it('counts rows for a filter too', async () => {
    const edges = parseCsv((await exportGraph(db, { format: 'csv-edges', asOf: '2016-06-01' })).body);
    expect(edges.length - 1).toBe((await neo4jCounts({ asOf: '2016-06-01' })).edges);
  });
});

describe('JSON export', () => {
  it('has nodes, edges and meta with counts and the filter, sorted by id and repeatable', async () => {
    const first = await exportGraph(db, { format: 'json', asOf: '2024-03-25' });
    const second = await exportGraph(db, { format: 'json', asOf: '2024-03-25' });
    expect(second.body).toBe(first.body);
    const json = JSON.parse(first.body);
    const expected = await neo4jCounts({ asOf: '2024-03-25' });
    expect(json.meta).toEqual({
      filter: { status: ['ACTIVE', 'ENDED'], asOf: '2024-03-25', includeUnknown: false, domain: null, kinds: null },
      counts: expected,
    });
    expect(json.nodes).toHaveLength(expected.nodes);
    expect(json.edges).toHaveLength(expected.edges);
    const ids = json.edges.map((e: { id: string }) => e.id);
    expect(ids).toEqual([...ids].sort());
    const belgium = json.edges.find((e: { source: string; target: string }) => e.source === 'belgium' && e.target === EFP);
    expect(belgium).toMatchObject({
      type: 'PARTICIPATES_IN',
      start: { text: 'early 2017', precision: 'RANGE', earliest: '2017-01-01', latest: '2017-04-30' },
      evidence: [{ quote: EFP_SENTENCE, start: 1404, end: 1599, source: 'lt-mod-2024-03-25-chod-belgium' }],
    });
  });

  it('stamps exportedAt only when given', async () => {
    const json = JSON.parse((await exportGraph(db, { format: 'json', exportedAt: new Date('2024-03-25T12:00:00Z') })).body);
    expect(json.meta.exportedAt).toBe('2024-03-25T12:00:00.000Z');
  });
});

describe('GET /export', () => {
  it('returns the file as a download', async () => {
    const response = await fetch(`${base}/export?format=graphml&asOf=2016-06-01`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/graphml+xml; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="dcg-graph-as-of-2016-06-01.graphml"');
    const parsed = parseGraphml(await response.text());
    expect({ nodes: parsed.nodes.size, edges: parsed.edges.length }).toEqual(await neo4jCounts({ asOf: '2016-06-01' }));
  });

  it("keeps, with includeUnknown=true, the facts not known to be in force on the day: Belgium's undated NATO membership in 2016", async () => {
    type Json = { edges: Array<{ id: string }>; meta: { filter: { includeUnknown: boolean } } };
    const strict = (await (await fetch(`${base}/export?format=json&asOf=2016-06-01`)).json()) as Json;
    const open = (await (await fetch(`${base}/export?format=json&asOf=2016-06-01&includeUnknown=true`)).json()) as Json;
    expect(strict.edges.map((e) => e.id)).not.toContain('fact:member-of:belgium:nato');
    expect(open.edges.map((e) => e.id)).toContain('fact:member-of:belgium:nato');
    expect(open.meta.filter.includeUnknown).toBe(true);
    const [row] = await db.read(
      `MATCH (f:Fact) WHERE f.status IN ['ACTIVE', 'ENDED'] AND (f.startEarliest IS NULL OR f.startEarliest <= date('2016-06-01'))
         AND (f.endLatest IS NULL OR date('2016-06-01') <= f.endLatest) RETURN count(f) AS c`,
    );
    expect(open.edges.length).toBe(row?.c);
  });

  it('takes kinds and status as lists', async () => {
    const response = await fetch(`${base}/export?format=json&kinds=Country,Unit&status=ACTIVE&status=PLANNED`);
    expect(response.status).toBe(200);
    const json = (await response.json()) as { meta: { filter: unknown; counts: unknown; exportedAt?: unknown } };
    expect(json.meta.filter).toEqual({ status: ['ACTIVE', 'PLANNED'], asOf: null, includeUnknown: false, domain: null, kinds: ['Country', 'Unit'] });
    expect(json.meta.counts).toEqual(await neo4jCounts({ kinds: ['Country', 'Unit'], status: ['ACTIVE', 'PLANNED'] }));
    expect(typeof json.meta.exportedAt).toBe('string');
  });

  it.each([
    ['format=xml', 'Option format must be one of graphml, json, csv-nodes, csv-edges; got "xml".'],
    ['', 'Option format must be one of graphml, json, csv-nodes, csv-edges; got null.'],
    ['format=json&asOf=2024-02-30', 'Option asOf must be a calendar day written YYYY-MM-DD; got "2024-02-30".'],
    ['format=json&includeUnknown=yes', 'Option includeUnknown must be true or false; got "yes".'],
    ['format=json&domain=SPACE', expect.stringMatching(/^Option domain must be one of AIR, MARITIME, .*; got "SPACE"\.$/)],
    ['format=json&kinds=Country,Ship', expect.stringMatching(/^Option kinds takes a comma-separated list of Country, .*; got "Ship"\.$/)],
    ['format=json&status=MAYBE', expect.stringMatching(/^Option status takes a comma-separated list of ACTIVE, .*; got "MAYBE"\.$/)],
  ])('answers ?%s with 400 and a message naming the parameter', async (query, message) => {
    const response = await fetch(`${base}/export?${query}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toEqual(message);
  });
});

describe('dcg export', () => {
  function dcg(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env = {
      ...process.env,
      NEO4J_URI: process.env.DCG_TEST_NEO4J_URI,
      NEO4J_USER: process.env.DCG_TEST_NEO4J_USER,
      NEO4J_PASSWORD: process.env.DCG_TEST_NEO4J_PASSWORD,
      NEO4J_DATABASE: process.env.DCG_TEST_NEO4J_DATABASE,
    };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'dcg.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('writes GraphML to standard output', async () => {
    const { code, stdout, stderr } = await dcg(['export', '--format', 'graphml']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const parsed = parseGraphml(stdout);
    expect({ nodes: parsed.nodes.size, edges: parsed.edges.length }).toEqual(await neo4jCounts({}));
  });

  it('writes a filtered CSV to --out', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-export-')), 'edges.csv');
    const { code, stdout } = await dcg(['export', '--format', 'csv-edges', '--as-of', '2024-03-25', '--kinds', 'country,unit', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(parseCsv(fs.readFileSync(out, 'utf8')).length - 1).toBe((await neo4jCounts({ asOf: '2024-03-25', kinds: ['Country', 'Unit'] })).edges);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('refuses a bad --format with exit code 1, naming the option and the allowed values', async () => {
    const { code, stdout, stderr } = await dcg(['export', '--format', 'xml']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('dcg: Option --format must be one of graphml, json, csv-nodes, csv-edges; got "xml".\n');
  });

  it('refuses a bad --as-of the same way', async () => {
    const { code, stderr } = await dcg(['export', '--format', 'json', '--as-of', '25/03/2024']);
    expect(code).toBe(1);
    expect(stderr).toBe('dcg: Option --as-of must be a calendar day written YYYY-MM-DD; got "25/03/2024".\n');
  });
});
