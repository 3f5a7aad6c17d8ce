/**
 * Every root field of the analyst API against the real Neo4j holding the seed: the answers are
 * the release's own facts (seed/lt-mod-2024-03-25-chod-belgium.yaml), checked value by value.
 * Most requests run in-process (Apollo's executeOperation, with a fresh context per request so
 * its Cypher round trips can be counted); a few go over HTTP to show the same answers there.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import YAML from 'yaml';
import { createContext, type Context } from '../../src/context';
import type { Db } from '../../src/db/executor';
import { logger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import { startSeededApollo } from '../helpers/graph';

const SOURCE_ID = 'lt-mod-2024-03-25-chod-belgium';
const SEED_FILE = path.join(__dirname, '..', '..', 'seed', `${SOURCE_ID}.yaml`);
const SOURCE_TEXT = fs.readFileSync(path.join(__dirname, '..', '..', 'seed', 'sources', `${SOURCE_ID}.txt`), 'utf8');
const TITLE = 'Chief of Defence departs to meet Belgian counterpart bilaterally, to focus on building NATO defenses in the Baltic region';
const URL = 'https://www.kariuomene.lt/en/chief-of-defence-departs-to-meet-belgian-counterpart-bilaterally-to-focus-on-building-nato-defenses-in-the-baltic-region/25841';
const EFP_NATIONS = ['belgium', 'czechia', 'germany', 'luxembourg', 'netherlands', 'norway'];
const EFP_QUOTE =
  'Belgian troops serve in the NATO enhanced Forward Presence Battalion Battle Group deployed in Rukla since early 2017 alongside German, Czech, Norwegian, Dutch and Luxembourg’s military personnel.';

interface SeedDoc {
  entities: Array<{ id: string; kind: string }>;
  facts: Array<{ type: string; status: string; domains?: string[]; evidence: unknown[] }>;
}
const seed = YAML.parse(fs.readFileSync(SEED_FILE, 'utf8')) as SeedDoc;

let db: Db;
let apollo: ApolloServer<Context>;

let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, apollo, close } = await startSeededApollo());
}, 180_000); // a cold database takes a while to wipe and seed

afterAll(() => close());

interface Answer {
  data: any;
  errors: readonly GraphQLFormattedError[] | undefined;
  roundTrips: number;
}

/** Runs one operation in-process with a fresh request context. */
async function run(query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const ctx = createContext(db, logger);
  const response = await apollo.executeOperation({ query, variables }, { contextValue: ctx });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  return { data: data === undefined ? undefined : JSON.parse(JSON.stringify(data)), errors, roundTrips: ctx.db.roundTrips };
}

/** Runs an operation that must succeed, and returns its data. */
async function ok(query: string, variables?: Record<string, unknown>): Promise<any> {
  const answer = await run(query, variables);
  expect(answer.errors).toBeUndefined();
  return answer.data;
}

/** Runs an operation that must fail with one error of this code; returns that error. */
async function fails(query: string, code: string, variables?: Record<string, unknown>): Promise<GraphQLFormattedError & { roundTrips: number }> {
  const answer = await run(query, variables);
  expect(answer.errors).toHaveLength(1);
  const error = answer.errors?.[0] as GraphQLFormattedError;
  expect(error.extensions?.code).toBe(code);
  return { ...error, roundTrips: answer.roundTrips };
}

async function cypherCount(cypher: string): Promise<number> {
  const [row] = await db.read(cypher);
  return row?.c as number;
}

/** The code-point slice of the source text, as evidence offsets count. */
function slice(start: number, end: number): string {
  return [...SOURCE_TEXT].slice(start, end).join('');
}

function tally<T>(items: T[], keys: (item: T) => string[]): Array<{ key: string; count: number }> {
  const counts = new Map<string, number>();
  for (const item of items) for (const key of keys(item)) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts.entries()].map(([key, count]) => ({ key, count })).sort((a, b) => (a.key < b.key ? -1 : 1));
}

const byKey = (list: Array<{ key: string; count: number }>) => [...list].sort((a, b) => (a.key < b.key ? -1 : 1));

const EVIDENCE_FIELDS = 'id quote start end source { id title url publisher published { text } }';

/** Every piece of evidence quotes its source exactly, at its offsets. */
function expectSound(evidence: Array<{ quote: string; start: number; end: number; source: { id: string; title: string; url: string; publisher: string; published: { text: string } } }>) {
  expect(evidence.length).toBeGreaterThan(0);
  for (const e of evidence) {
    expect(e.quote.length).toBeGreaterThan(0);
    expect(e.end).toBeGreaterThan(e.start);
    expect(slice(e.start, e.end)).toBe(e.quote);
    expect(e.source).toEqual({
      id: SOURCE_ID,
      title: TITLE,
      url: URL,
      publisher: 'Lithuanian Armed Forces (Lietuvos kariuomenė), English-language news page',
      published: { text: 'March 2024, on or just before the 25th' },
    });
  }
}

describe('node', () => {
  it('resolves an entity id to its type and name', async () => {
    const data = await ok('{ node(id: "lithuania") { __typename id ... on Entity { name kind } ... on Country { code } } }');
    expect(data.node).toEqual({ __typename: 'Country', id: 'lithuania', name: 'Lithuania', kind: 'COUNTRY', code: 'LT' });
    const unit = await ok('{ node(id: "snmcmg1") { __typename ... on Entity { name } } }');
    expect(unit.node).toEqual({ __typename: 'Unit', name: 'Standing NATO Mine Countermeasures Group 1' });
  });

  it('resolves a fact id to the Fact, with its status and validity', async () => {
    const data = await ok(`{ node(id: "fact:member-of:lithuania:nato") { __typename id ... on Fact {
      type status isFactual subject { id } object { id }
      validity { start { text value precision earliest latest } end { text } inForceFrom inForceUntil }
      evidence { ${EVIDENCE_FIELDS} } } } }`);
    const { evidence, ...rest } = data.node;
    expect(rest).toEqual({
      __typename: 'Fact',
      id: 'fact:member-of:lithuania:nato',
      type: 'MEMBER_OF',
      status: 'ACTIVE',
      isFactual: true,
      subject: { id: 'lithuania' },
      object: { id: 'nato' },
      validity: {
        start: { text: '2004', value: '2004', precision: 'YEAR', earliest: '2004-01-01', latest: '2004-12-31' },
        end: null,
        inForceFrom: '2004-12-31',
        inForceUntil: null,
      },
    });
    expectSound(evidence);
    expect(evidence.map((e: { quote: string }) => e.quote)).toEqual([
      'Belgium was the first NATO member to deploy F-16 fighter aircraft to the NATO Air Policing Mission when Lithuania became a member of NATO in 2004.',
    ]);
  });

  it('resolves the source id to the Source, with its title, url and publication', async () => {
    const data = await ok(`{ node(id: "${SOURCE_ID}") { __typename id ... on Source {
      title url publisher language sha256 published { text value precision earliest latest } text } } }`);
    expect(data.node).toEqual({
      __typename: 'Source',
      id: SOURCE_ID,
      title: TITLE,
      url: URL,
      publisher: 'Lithuanian Armed Forces (Lietuvos kariuomenė), English-language news page',
      language: 'en',
      sha256: 'e81ce9bde3fdf9d0b99b7a782005b6b992ea2ff52afcfc81b389326c0f250fc4',
      published: { text: 'March 2024, on or just before the 25th', value: '2024-03', precision: 'RANGE', earliest: '2024-03-01', latest: '2024-03-25' },
      text: SOURCE_TEXT,
    });
  });

  it('gives null, not an error, for an unknown id of any form', async () => {
    const answer = await run('{ a: node(id: "no-such-entity") { id } b: node(id: "fact:member-of:france:nato") { id } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ a: null, b: null });
  });
});

describe('entity and country', () => {
  it('entity gives an entity by id with its belonging and members', async () => {
    const data = await ok(`{ entity(id: "efp-battle-group-lithuania") { __typename id kind subtype name aliases referenceAliases belongsTo { id } }
      be: entity(id: "belgium") { members { id } } none: entity(id: "atlantis") { id } }`);
    expect(data.entity).toEqual({
      __typename: 'Unit',
      id: 'efp-battle-group-lithuania',
      kind: 'UNIT',
      subtype: 'BATTLE_GROUP',
      name: 'NATO enhanced Forward Presence Battalion Battle Group',
      aliases: ['enhanced Forward Presence Battalion Battle Group'],
      referenceAliases: ['eFP', 'eFP Battle Group'],
      belongsTo: { id: 'nato' },
    });
    expect(data.be.members).toEqual([{ id: 'belgian-armed-forces' }, { id: 'belgian-navy' }, { id: 'belgian-special-forces-group' }]);
    expect(data.none).toBeNull();
  });

  it('country(code: "BE") is Belgium; a code the graph lacks gives null', async () => {
    const data = await ok('{ be: country(code: "BE") { id name code wikidata } fr: country(code: "FR") { id } }');
    expect(data.be).toEqual({ id: 'belgium', name: 'Belgium', code: 'BE', wikidata: 'Q31' });
    expect(data.fr).toBeNull();
  });

  it('an invalid country code is refused by the scalar, before any Cypher', async () => {
    const literal = await run('{ country(code: "XX1") { id } }');
    expect(literal.data).toBeUndefined();
    expect(literal.errors?.[0]?.message).toContain('XX1');
    expect(literal.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(literal.roundTrips).toBe(0);

    const variable = await run('query ($code: CountryCode!) { country(code: $code) { id } }', { code: 'XX1' });
    expect(variable.errors?.[0]?.message).toContain('XX1');
    expect(variable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(variable.roundTrips).toBe(0);
  });
});

describe('search', () => {
  it.each([
    ['SNMCMG1', 'snmcmg1'],
    ['eFP', 'efp-battle-group-lithuania'],
    ['CRRT', 'crrts-and-mutual-assistance-in-cyber'],
    ['Rukla', 'rukla'],
    ['Hofman', 'michel-hofman'],
  ])('"%s" finds %s first', async (text, id) => {
    const data = await ok('query ($text: String!) { search(text: $text) { entity { id } score } }', { text });
    expect(data.search[0]?.entity.id).toBe(id);
    expect(data.search[0]?.score).toBeGreaterThan(0);
    for (let i = 1; i < data.search.length; i += 1) expect(data.search[i].score).toBeLessThanOrEqual(data.search[i - 1].score);
  });

  it('kinds keeps only entities of those kinds', async () => {
    const all = await ok('{ search(text: "Belgian") { entity { id kind } } }');
    const kinds = new Set(all.search.map((h: { entity: { kind: string } }) => h.entity.kind));
    expect(kinds.size).toBeGreaterThan(1); // so the filter below has something to remove
    const units = await ok('{ search(text: "Belgian", kinds: [UNIT]) { entity { id kind } } }');
    expect(units.search.map((h: { entity: { id: string; kind: string } }) => h.entity)).toEqual([{ id: 'belgian-special-forces-group', kind: 'UNIT' }]);
  });

  it.each(['a:b OR (c', '"unbalanced', '*', '\\', 'AND', 'title:[a TO z]', '~~~', '🇱🇹🚀', 'NATO && || !', '(((', 'x~0.5^2'])(
    'takes %j literally: no error',
    async (text) => {
      const answer = await run('query ($text: String!) { search(text: $text) { entity { id } score } }', { text });
      expect(answer.errors).toBeUndefined();
      expect(Array.isArray(answer.data.search)).toBe(true);
    },
  );

  it('finds NATO in a text wrapped in emoji and spaces', async () => {
    const data = await ok('query ($text: String!) { search(text: $text, first: 100) { entity { id } } }', { text: '  🚀 NATO 🇱🇹  ' });
    expect(data.search.map((h: { entity: { id: string } }) => h.entity.id)).toContain('nato');
  });
});

describe('entities', () => {
  const PAGE = `query ($first: Int, $after: String, $kind: EntityKind) {
    entities(first: $first, after: $after, kind: $kind) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;

  it('pages one by one through every entity, each exactly once, in id order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let totalCount = -1;
    for (let guard = 0; guard < 100; guard += 1) {
      const data = await ok(PAGE, { first: 1, after });
      const page = data.entities;
      totalCount = page.totalCount;
      expect(page.edges).toHaveLength(1);
      expect(page.pageInfo.endCursor).toBe(page.edges[0].cursor);
      seen.push(page.edges[0].node.id);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(totalCount);
    expect(totalCount).toBe(37);
    expect(totalCount).toBe(await cypherCount('MATCH (n:Entity) RETURN count(n) AS c'));
    expect(seen).toEqual([...seed.entities.map((e) => e.id)].sort());
    for (let i = 1; i < seen.length; i += 1) expect((seen[i - 1] as string) < (seen[i] as string)).toBe(true);
  });

  it('kind: COUNTRY gives the 8 countries', async () => {
    const data = await ok(PAGE, { kind: 'COUNTRY' });
    expect(data.entities.totalCount).toBe(8);
    expect(data.entities.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([
      'belgium', 'czechia', 'germany', 'lithuania', 'luxembourg', 'netherlands', 'norway', 'ukraine',
    ]);
    expect(data.entities.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a forged cursor, naming "after"', async () => {
    const error = await fails('{ entities(after: "abc") { totalCount } }', 'BAD_USER_INPUT');
    expect(error.message).toBe('Argument "after" must be an endCursor returned by this API; got "abc".');
    expect(error.extensions?.argument).toBe('after');
    expect(error.roundTrips).toBe(0);
  });

  it('keeps page 2 the same when an entity is added before the cursor', async () => {
    const all = (await ok(PAGE, { first: 100 })).entities.edges.map((e: { node: { id: string } }) => e.node.id) as string[];
    const first = (await ok(PAGE, { first: 5 })).entities;
    const lastId = first.edges[4].node.id as string;
    expect(first.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(all.slice(0, 5));
    expect('aaa-test' < lastId).toBe(true);
    await db.write("CREATE (:Entity:Country {id: 'aaa-test', kind: 'Country', name: 'Test country'})");
    try {
      const second = (await ok(PAGE, { first: 5, after: first.pageInfo.endCursor })).entities;
      expect(second.totalCount).toBe(all.length + 1); // the insert is visible...
      expect(second.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(all.slice(5, 10)); // ...but shifts nothing
      const restart = (await ok(PAGE, { first: 5 })).entities;
      expect(restart.edges[0].node.id).toBe('aaa-test');
    } finally {
      await db.write("MATCH (n:Entity {id: 'aaa-test'}) DETACH DELETE n");
    }
    expect(await cypherCount("MATCH (n:Entity {id: 'aaa-test'}) RETURN count(n) AS c")).toBe(0);
  });
});

describe('partners', () => {
  const PARTNERS = `query ($of: ID!, $status: [Status!], $asOf: Date, $domain: Domain) {
    partners(of: $of, status: $status, asOf: $asOf, domain: $domain) {
      partner { id }
      links { kind through { id } facts { id status isFactual domains } }
      domains statuses since { text } inForceFrom
      evidence { ${EVIDENCE_FIELDS} } } }`;

  type Link = { kind: string; through: { id: string } | null; facts: Array<{ id: string; status: string; isFactual: boolean; domains: string[] }> };
  type Partnership = { partner: { id: string }; links: Link[]; domains: string[]; statuses: string[]; since: { text: string } | null; inForceFrom: string; evidence: any[] };

  const partners = async (variables: Record<string, unknown>): Promise<Partnership[]> => (await ok(PARTNERS, variables)).partners;
  const ids = (list: Partnership[]) => list.map((p) => p.partner.id).sort();
  const links = (p: Partnership | undefined) => (p?.links ?? []).map((l) => `${l.kind} ${l.through?.id ?? '-'}`);
  const factIds = (p: Partnership | undefined) => [...new Set((p?.links ?? []).flatMap((l) => l.facts.map((f) => f.id)))].sort();

  it('of lithuania (facts only): Belgium and Ukraine, with every way Belgium is linked', async () => {
    const list = await partners({ of: 'lithuania' });
    expect(ids(list)).toEqual(['belgium', 'ukraine']);
    const belgium = list.find((p) => p.partner.id === 'belgium');
    expect(list[0]).toBe(belgium); // the most links first
    expect(new Set(links(belgium))).toEqual(
      new Set(['DIRECT -', 'SHARED_ORGANISATION nato', 'SHARED_INITIATIVE crrts-and-mutual-assistance-in-cyber']),
    );
    // DIRECT: Lithuania's cooperation with Belgium, and the special forces' (which belong to each country).
    const direct = (belgium?.links ?? []).filter((l) => l.kind === 'DIRECT').flatMap((l) => l.facts.map((f) => f.id)).sort();
    expect(direct).toEqual([
      'fact:cooperates-with:lithuania:belgium',
      'fact:cooperates-with:lithuanian-special-operations-forces:belgian-special-forces-group',
      'fact:trains-with:lithuanian-special-operations-forces:belgian-special-forces-group',
    ]);
    const nato = belgium?.links.find((l) => l.kind === 'SHARED_ORGANISATION');
    expect(nato?.facts.map((f) => f.id).sort()).toEqual(['fact:member-of:belgium:nato', 'fact:member-of:lithuania:nato']);
    const crrt = belgium?.links.find((l) => l.kind === 'SHARED_INITIATIVE');
    expect(crrt?.facts.map((f) => f.id).sort()).toEqual([
      'fact:participates-in:belgium:crrts-and-mutual-assistance-in-cyber:participant',
      'fact:participates-in:lithuania:crrts-and-mutual-assistance-in-cyber:coordinator',
    ]);
    expect(belgium?.domains).toEqual(expect.arrayContaining(['AIR', 'MARITIME', 'LAND', 'SPECIAL_OPERATIONS', 'CYBER', 'PROCUREMENT', 'MILITARY_QUALIFICATION']));
    expect(belgium?.statuses).toEqual(['ACTIVE']);
    // A link holds from its younger side; the partnership from its earliest link: the CRRT
    // project ("2023" coordination, latest day 2023-12-31), earlier than the undated ones (publication).
    expect(belgium?.since).toEqual({ text: '2023' });
    expect(belgium?.inForceFrom).toBe('2023-12-31');

    const ukraine = list.find((p) => p.partner.id === 'ukraine');
    expect(new Set(links(ukraine))).toEqual(new Set(['SHARED_INITIATIVE demining-coalition']));
    expect(factIds(ukraine)).toEqual([
      'fact:participates-in:lithuania:demining-coalition:lead',
      'fact:supports:demining-coalition:armed-forces-of-ukraine',
      'fact:supports:demining-coalition:ministry-of-defence-of-ukraine',
    ]);
  });

  it('uses facts only by default, each with its evidence', async () => {
    const list = await partners({ of: 'lithuania' });
    for (const p of list) {
      expect(p.statuses.every((s) => s === 'ACTIVE' || s === 'ENDED')).toBe(true);
      for (const link of p.links) {
        expect(link.facts.length).toBe(link.kind === 'DIRECT' ? 1 : 2);
        for (const f of link.facts) expect(f.isFactual).toBe(true);
      }
      expectSound(p.evidence);
      // One piece of evidence per fact here (each fact has one in the seed), none repeated.
      const evidenceIds = p.evidence.map((e: { id: string }) => e.id);
      expect(new Set(evidenceIds).size).toBe(evidenceIds.length);
      expect(evidenceIds).toHaveLength(factIds(p).length);
    }
    expect(links(list.find((p) => p.partner.id === 'belgium'))).not.toContain('SHARED_INITIATIVE resilience-work-group');
  });

  it('shows plans and proposals only when asked for, labelled as not factual', async () => {
    const list = await partners({ of: 'lithuania', status: ['ACTIVE', 'PLANNED', 'PROPOSED'] });
    const belgium = list.find((p) => p.partner.id === 'belgium');
    const resilience = belgium?.links.find((l) => l.through?.id === 'resilience-work-group');
    expect(resilience?.kind).toBe('SHARED_INITIATIVE');
    expect(resilience?.facts.map((f) => [f.id, f.status, f.isFactual]).sort()).toEqual([
      ['fact:participates-in:belgium:resilience-work-group:participant', 'PLANNED', false],
      ['fact:participates-in:lithuania:resilience-work-group:lead', 'ACTIVE', true],
    ]);
    const command = belgium?.links.find((l) => l.through?.id === 'special-operations-component-command');
    expect(command?.facts.map((f) => [f.status, f.isFactual])).toEqual([['PROPOSED', false], ['PROPOSED', false]]);
    expect(belgium?.statuses).toEqual(['ACTIVE', 'PLANNED', 'PROPOSED']);
    // Lithuania's planned support of Ukraine becomes a (planned) direct link.
    const ukraine = list.find((p) => p.partner.id === 'ukraine');
    const direct = ukraine?.links.filter((l) => l.kind === 'DIRECT').flatMap((l) => l.facts);
    expect(direct?.map((f) => [f.id, f.status, f.isFactual])).toEqual([['fact:supports:lithuania:ukraine', 'PLANNED', false]]);

    // And nothing planned or proposed without asking.
    const facts = (await partners({ of: 'lithuania' })).flatMap((p) => p.links.flatMap((l) => l.facts));
    expect(facts.length).toBeGreaterThan(0);
    expect(facts.filter((f) => !['ACTIVE', 'ENDED'].includes(f.status))).toEqual([]);
  });

  it('applies the as-of rule: "early 2017" is in force from 2017-04-30, not before', async () => {
    // Belgium's links: eFP (early 2017), CRRT (2023), NATO and direct (undated: publication 2024-03-25).
    expect(await partners({ of: 'belgium', asOf: '2016-06-01' })).toEqual([]);
    expect(await partners({ of: 'belgium', asOf: '2017-02-01' })).toEqual([]);
    const efp = ['czechia', 'germany', 'luxembourg', 'netherlands', 'norway'];
    for (const asOf of ['2017-04-30', '2017-05-01']) {
      const list = await partners({ of: 'belgium', asOf });
      expect(ids(list)).toEqual(efp);
      for (const p of list) {
        expect(links(p)).toEqual(['SHARED_UNIT efp-battle-group-lithuania']);
        expect(p.since).toEqual({ text: 'early 2017' });
        expect(p.inForceFrom).toBe('2017-04-30');
        expect(p.evidence.map((e: { quote: string }) => e.quote)).toEqual([EFP_QUOTE, EFP_QUOTE]);
      }
    }
    // Without a day, Lithuania joins them.
    expect(ids(await partners({ of: 'belgium' }))).toEqual([...efp, 'lithuania'].sort());
  });

  it('filters by domain: CYBER links Lithuania to Belgium through the CRRT project, not through NATO', async () => {
    const list = await partners({ of: 'lithuania', domain: 'CYBER' });
    expect(ids(list)).toEqual(['belgium']);
    const belgium = list[0];
    const kinds = links(belgium);
    expect(kinds).toContain('SHARED_INITIATIVE crrts-and-mutual-assistance-in-cyber');
    expect(kinds).not.toContain('SHARED_ORGANISATION nato');
    // The only other link is the bilateral cooperation, whose domains name cybersecurity.
    expect(kinds.filter((k) => k !== 'SHARED_INITIATIVE crrts-and-mutual-assistance-in-cyber')).toEqual(['DIRECT -']);
    for (const f of belgium?.links.flatMap((l) => l.facts) ?? []) expect(f.domains).toContain('CYBER');
    expect(belgium?.links.find((l) => l.kind === 'DIRECT')?.facts.map((f) => f.id)).toEqual(['fact:cooperates-with:lithuania:belgium']);
    // MARITIME: only the bilateral cooperation (the Belgian Navy's groups have no Lithuanian side).
    const maritime = await partners({ of: 'lithuania', domain: 'MARITIME' });
    expect(maritime.map((p) => [p.partner.id, links(p)])).toEqual([['belgium', ['DIRECT -']]]);
  });

  it('an unknown entity is NOT_FOUND, naming "of"', async () => {
    const error = await fails('{ partners(of: "atlantis") { partner { id } } }', 'NOT_FOUND');
    expect(error.message).toBe('Argument "of": no entity has the id "atlantis".');
    expect(error.extensions?.argument).toBe('of');
  });
});

describe('connections', () => {
  const CONNECTIONS = `query ($from: ID!, $to: ID!, $maxHops: Int) { connections(from: $from, to: $to, maxHops: $maxHops) {
    length hops { from { id } to { id } relation forward
      fact { id status validity { start { text precision earliest latest } } evidence { quote start end } } } } }`;

  it('links Luxembourg to Belgium in two hops through the eFP battle group', async () => {
    const data = await ok(CONNECTIONS, { from: 'luxembourg', to: 'belgium' });
    expect(data.connections).toHaveLength(1);
    const [path] = data.connections;
    expect(path.length).toBe(2);
    expect(path.hops.map((h: any) => [h.from.id, h.to.id, h.relation, h.forward])).toEqual([
      ['luxembourg', 'efp-battle-group-lithuania', 'PARTICIPATES_IN', true],
      ['efp-battle-group-lithuania', 'belgium', 'PARTICIPATES_IN', false],
    ]);
    expect(path.hops.map((h: any) => h.fact.id)).toEqual([
      'fact:participates-in:luxembourg:efp-battle-group-lithuania:contributor',
      'fact:participates-in:belgium:efp-battle-group-lithuania:contributor',
    ]);
    for (const hop of path.hops) {
      expect(hop.fact.status).toBe('ACTIVE');
      expect(hop.fact.validity.start).toEqual({ text: 'early 2017', precision: 'RANGE', earliest: '2017-01-01', latest: '2017-04-30' });
      expect(hop.fact.evidence).toHaveLength(1);
      expect(hop.fact.evidence[0].quote).toContain('Luxembourg’s military personnel');
      expect(slice(hop.fact.evidence[0].start, hop.fact.evidence[0].end)).toBe(hop.fact.evidence[0].quote);
    }
  });

  it('finds no path within one hop', async () => {
    expect((await ok(CONNECTIONS, { from: 'luxembourg', to: 'belgium', maxHops: 1 })).connections).toEqual([]);
  });

  it.each([0, 7, -1])('refuses maxHops %i, naming it and the value, before any Cypher', async (maxHops) => {
    const error = await fails(CONNECTIONS, 'BAD_USER_INPUT', { from: 'luxembourg', to: 'belgium', maxHops });
    expect(error.message).toBe(`Argument "maxHops" must be an integer from 1 to 6; got ${maxHops}.`);
    expect(error.extensions?.argument).toBe('maxHops');
    expect(error.roundTrips).toBe(0);
  });

  it('an unknown end is NOT_FOUND, naming the argument', async () => {
    const error = await fails(CONNECTIONS, 'NOT_FOUND', { from: 'luxembourg', to: 'atlantis' });
    expect(error.extensions?.argument).toBe('to');
  });
});

describe('timeline', () => {
  const TIMELINE = `query ($entity: ID, $from: Date, $to: Date, $status: [Status!]) {
    timeline(entity: $entity, from: $from, to: $to, status: $status) { date { text value precision earliest latest } moment fact { id status } } }`;
  const show = (entries: any[]) => entries.map((e) => `${e.date.text}|${e.date.precision}|${e.moment}|${e.fact.id}`);

  it('gives Belgium\'s dated facts in date order, each date at its precision', async () => {
    const data = await ok(TIMELINE, { entity: 'belgium' });
    expect(show(data.timeline)).toEqual([
      '2004|YEAR|START|fact:participates-in:belgium:nato-air-policing-mission:contributor',
      'early 2017|RANGE|START|fact:participates-in:belgium:efp-battle-group-lithuania:contributor',
      'February 2023|MONTH|START|fact:participates-in:belgium:crrts-and-mutual-assistance-in-cyber:participant',
    ]);
    expect(data.timeline.map((e: any) => e.date)).toEqual([
      { text: '2004', value: '2004', precision: 'YEAR', earliest: '2004-01-01', latest: '2004-12-31' },
      { text: 'early 2017', value: '2017', precision: 'RANGE', earliest: '2017-01-01', latest: '2017-04-30' },
      { text: 'February 2023', value: '2023-02', precision: 'MONTH', earliest: '2023-02-01', latest: '2023-02-28' },
    ]);
  });

  it('keeps the dates that can fall within from..to', async () => {
    const texts = async (from?: string, to?: string) => (await ok(TIMELINE, { entity: 'belgium', from, to })).timeline.map((e: any) => e.date.text);
    expect(await texts('2010-01-01', '2020-01-01')).toEqual(['early 2017']);
    expect(await texts('2017-04-30')).toEqual(['early 2017', 'February 2023']); // early 2017 can still fall on 04-30
    expect(await texts('2017-05-01')).toEqual(['February 2023']);
    expect(await texts(undefined, '2017-01-01')).toEqual(['2004', 'early 2017']); // ...and can fall on 01-01
    expect(await texts(undefined, '2016-12-31')).toEqual(['2004']);
    expect(await texts('2023-02-28', '2023-02-28')).toEqual(['February 2023']);
  });

  it('covers every dated fact of the graph without an entity, in order of earliest day', async () => {
    const data = await ok(TIMELINE, {});
    const dated = await cypherCount('MATCH (f:Fact) WHERE f.startValue IS NOT NULL OR f.endValue IS NOT NULL RETURN count(f) AS c');
    expect(data.timeline).toHaveLength(dated); // no fact in the seed has an end: one START each
    expect(dated).toBe(11);
    const earliest = data.timeline.map((e: any) => e.date.earliest);
    expect(earliest).toEqual([...earliest].sort());
  });

  it('refuses from after to, naming both days', async () => {
    const error = await fails(TIMELINE, 'BAD_USER_INPUT', { from: '2020-01-01', to: '2010-01-01' });
    expect(error.message).toBe('Argument "from" (2020-01-01) is after "to" (2010-01-01).');
    expect(error.roundTrips).toBe(0);
  });

  it('refuses from after to before looking the entity up', async () => {
    const error = await fails(TIMELINE, 'BAD_USER_INPUT', { entity: 'nope', from: '2020-01-01', to: '2010-01-01' });
    expect(error.roundTrips).toBe(0);
  });
});

describe('plans are labelled', () => {
  it('Belgium plans to join the Resilience Work Group: PLANNED, not factual, and only when asked', async () => {
    const data = await ok(`{ entity(id: "belgium") {
      planned: facts(status: [PLANNED]) { id type status isFactual role subject { id } object { id } }
      default: facts { id status isFactual } } }`);
    expect(data.entity.planned).toContainEqual({
      id: 'fact:participates-in:belgium:resilience-work-group:participant',
      type: 'PARTICIPATES_IN',
      status: 'PLANNED',
      isFactual: false,
      role: 'PARTICIPANT',
      subject: { id: 'belgium' },
      object: { id: 'resilience-work-group' },
    });
    for (const f of data.entity.planned) expect([f.status, f.isFactual]).toEqual(['PLANNED', false]);
    expect(data.entity.default.length).toBeGreaterThan(0);
    for (const f of data.entity.default) expect([f.status, f.isFactual]).toEqual(['ACTIVE', true]);
    expect(data.entity.default.map((f: { id: string }) => f.id)).not.toContain('fact:participates-in:belgium:resilience-work-group:participant');
  });

  it('the Lithuanian SOF lead of the Special Operations Component Command is PROPOSED', async () => {
    const data = await ok(`{ entity(id: "lithuanian-special-operations-forces") {
      facts(status: [PROPOSED], types: [PARTICIPATES_IN]) { id status isFactual role object { id } } } }`);
    expect(data.entity.facts).toEqual([
      {
        id: 'fact:participates-in:lithuanian-special-operations-forces:special-operations-component-command:lead',
        status: 'PROPOSED',
        isFactual: false,
        role: 'LEAD',
        object: { id: 'special-operations-component-command' },
      },
    ]);
  });

  it('the timeline of plans is empty: the release dates none of them', async () => {
    const data = await ok('{ timeline(status: [PLANNED, PROPOSED]) { fact { id } } }');
    expect(data.timeline).toEqual([]);
    expect(await cypherCount("MATCH (f:Fact) WHERE f.status IN ['PLANNED', 'PROPOSED'] RETURN count(f) AS c")).toBe(13);
  });
});

describe('cooperationNetwork', () => {
  const NETWORK = `query ($asOf: Date, $domain: Domain, $status: [Status!]) { cooperationNetwork(asOf: $asOf, domain: $domain, status: $status) {
    nodes { entity { id } degree weightedDegree sharedPartners directPartners }
    edges { source target weight shared { id } direct { id status } } } }`;
  type Edge = { source: string; target: string; weight: number; shared: Array<{ id: string }>; direct: Array<{ id: string; status: string }> };
  const pair = (edges: Edge[], a: string, b: string) => edges.find((e) => e.source === [a, b].sort()[0] && e.target === [a, b].sort()[1]);

  it('weighs Belgium–Lithuania by 2 shared entities and 3 direct facts', async () => {
    const { nodes, edges } = (await ok(NETWORK, {})).cooperationNetwork;
    const edge = pair(edges, 'belgium', 'lithuania');
    expect(edge?.shared.map((s) => s.id)).toEqual(['crrts-and-mutual-assistance-in-cyber', 'nato']);
    expect(edge?.direct.map((f) => f.id)).toEqual([
      'fact:cooperates-with:lithuania:belgium',
      'fact:cooperates-with:lithuanian-special-operations-forces:belgian-special-forces-group',
      'fact:trains-with:lithuanian-special-operations-forces:belgian-special-forces-group',
    ]);
    expect(edge?.weight).toBe(5);
    expect(pair(edges, 'lithuania', 'ukraine')).toEqual({ source: 'lithuania', target: 'ukraine', weight: 1, shared: [{ id: 'demining-coalition' }], direct: [] });
    // Countries only, and facts only.
    expect(nodes.map((n: any) => n.entity.id).sort()).toEqual(['belgium', 'czechia', 'germany', 'lithuania', 'luxembourg', 'netherlands', 'norway', 'ukraine']);
    for (const e of edges as Edge[]) for (const f of e.direct) expect(['ACTIVE', 'ENDED']).toContain(f.status);
  });

  it('links the eFP nations pairwise through the battle group, and nothing else', async () => {
    const { edges } = (await ok(NETWORK, {})).cooperationNetwork;
    for (const a of EFP_NATIONS) {
      for (const b of EFP_NATIONS) {
        if (a >= b) continue;
        expect(pair(edges, a, b)?.shared.map((s) => s.id)).toContain('efp-battle-group-lithuania');
      }
    }
    // 15 eFP pairs + Belgium–Lithuania + Lithuania–Ukraine.
    expect(edges).toHaveLength(17);
    for (const e of edges as Edge[]) expect(e.source < e.target).toBe(true);
  });

  it('gives each node the degree, weight and partner counts of the edges touching it', async () => {
    const { nodes, edges } = (await ok(NETWORK, {})).cooperationNetwork;
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      const touching = (edges as Edge[]).filter((e) => e.source === node.entity.id || e.target === node.entity.id);
      expect(node.degree).toBe(touching.length);
      expect(node.weightedDegree).toBe(touching.reduce((sum, e) => sum + e.weight, 0));
      expect(node.sharedPartners).toBe(touching.filter((e) => e.shared.length > 0).length);
      expect(node.directPartners).toBe(touching.filter((e) => e.direct.length > 0).length);
    }
    for (const e of edges as Edge[]) expect(e.weight).toBe(e.shared.length + e.direct.length);
    const belgium = nodes.find((n: any) => n.entity.id === 'belgium');
    expect(belgium).toEqual({ entity: { id: 'belgium' }, degree: 6, weightedDegree: 10, sharedPartners: 6, directPartners: 1 });
  });

  it('agrees with partners: each country\'s neighbours are its country partners', async () => {
    const { nodes, edges } = (await ok(NETWORK, {})).cooperationNetwork;
    for (const node of nodes) {
      const id = node.entity.id as string;
      const neighbours = (edges as Edge[]).filter((e) => e.source === id || e.target === id).map((e) => (e.source === id ? e.target : e.source));
      const list = (await ok(`{ partners(of: "${id}") { partner { id kind } } }`)).partners;
      const countries = list.filter((p: any) => p.partner.kind === 'COUNTRY').map((p: any) => p.partner.id);
      expect(countries.sort()).toEqual(neighbours.sort());
    }
  });

  it('on 2016-06-01 has no eFP edge (early 2017 is not yet in force); on 2017-05-01 it has them all', async () => {
    const before = (await ok(NETWORK, { asOf: '2016-06-01' })).cooperationNetwork;
    expect(before.edges.filter((e: Edge) => e.shared.some((s) => s.id === 'efp-battle-group-lithuania'))).toEqual([]);
    expect(before).toEqual({ nodes: [], edges: [] });
    const after = (await ok(NETWORK, { asOf: '2017-05-01' })).cooperationNetwork;
    expect(after.edges).toHaveLength(15);
    for (const e of after.edges as Edge[]) expect(e.shared.map((s) => s.id)).toEqual(['efp-battle-group-lithuania']);
  });

  it('with plans, Belgium–Lithuania also shares the Resilience Work Group and the SOF command', async () => {
    const { edges } = (await ok(NETWORK, { status: ['ACTIVE', 'PLANNED', 'PROPOSED'] })).cooperationNetwork;
    const edge = pair(edges, 'belgium', 'lithuania');
    expect(edge?.shared.map((s) => s.id)).toEqual([
      'crrts-and-mutual-assistance-in-cyber',
      'nato',
      'resilience-work-group',
      'special-operations-component-command',
    ]);
    expect(edge?.weight).toBe(7);
  });
});

describe('stats', () => {
  it('counts what the graph holds, and what the seed states', async () => {
    const { stats } = await ok(`{ stats { entitiesByKind { key count } factsByType { key count } factsByStatus { key count }
      factsByDomain { key count } sources evidence } }`);
    const cypher = async (query: string) => byKey((await db.read(query)) as Array<{ key: string; count: number }>);

    // Against Cypher counted by label (not the kind property the API uses).
    expect(byKey(stats.entitiesByKind)).toEqual(
      await cypher("MATCH (n:Entity) UNWIND [l IN labels(n) WHERE l <> 'Entity'] AS key RETURN key, count(*) AS count"),
    );
    expect(byKey(stats.factsByStatus)).toEqual(await cypher('MATCH (f:Fact) RETURN f.status AS key, count(*) AS count'));
    expect(byKey(stats.factsByType)).toEqual(await cypher('MATCH (s)-[r]->(o) WHERE r.factId IS NOT NULL RETURN type(r) AS key, count(*) AS count'));
    expect(byKey(stats.factsByDomain)).toEqual(await cypher('MATCH (:Fact)-[:IN_DOMAIN]->(d:Domain) RETURN d.id AS key, count(*) AS count'));
    expect(stats.sources).toBe(await cypherCount('MATCH (s:Source) RETURN count(s) AS c'));
    expect(stats.evidence).toBe(await cypherCount('MATCH (:Fact)-[:EVIDENCED_BY]->(e:Evidence)-[:FROM_SOURCE]->(:Source) RETURN count(DISTINCT e) AS c'));

    // Against the seed document itself.
    expect(byKey(stats.entitiesByKind)).toEqual(tally(seed.entities, (e) => [e.kind]));
    expect(byKey(stats.factsByType)).toEqual(tally(seed.facts, (f) => [f.type]));
    expect(byKey(stats.factsByStatus)).toEqual(tally(seed.facts, (f) => [f.status]));
    expect(byKey(stats.factsByDomain)).toEqual(tally(seed.facts, (f) => f.domains ?? []));
    expect(stats.sources).toBe(1);
    expect(stats.evidence).toBe(seed.facts.reduce((sum, f) => sum + f.evidence.length, 0));
    expect(stats.evidence).toBe(48);
    expect(byKey(stats.factsByStatus)).toEqual([
      { key: 'ACTIVE', count: 31 },
      { key: 'PLANNED', count: 11 },
      { key: 'PROPOSED', count: 2 },
    ]);
  });
});

describe('argument errors', () => {
  it('an empty search text names "text", the limit and the value, and runs no Cypher', async () => {
    for (const text of ['', '   ']) {
      const error = await fails('query ($text: String!) { search(text: $text) { score } }', 'BAD_USER_INPUT', { text });
      expect(error.message).toBe('Argument "text" must be 1 to 200 characters long (after trimming); got "".');
      expect(error.extensions).toMatchObject({ argument: 'text', value: '' });
      expect(error.roundTrips).toBe(0);
    }
  });

  it('a 201-character search text names "text", the limit and (the start of) the value', async () => {
    const text = 'abcdefghij'.repeat(20) + 'k';
    expect(text).toHaveLength(201);
    const error = await fails('query ($text: String!) { search(text: $text) { score } }', 'BAD_USER_INPUT', { text });
    expect(error.message).toBe(`Argument "text" must be 1 to 200 characters long (after trimming); got "${text.slice(0, 60)}…".`);
    expect(error.roundTrips).toBe(0);
    // 200 characters are fine.
    expect((await run('query ($text: String!) { search(text: $text) { score } }', { text: text.slice(0, 200) })).errors).toBeUndefined();
  });

  it.each([
    ['entities(first: 0) { totalCount }', 'Argument "first" must be an integer from 1 to 100; got 0.'],
    ['entities(first: 101) { totalCount }', 'Argument "first" must be an integer from 1 to 100; got 101.'],
    ['search(text: "NATO", first: 101) { score }', 'Argument "first" must be an integer from 1 to 100; got 101.'],
    ['search(text: "NATO\\u0001") { score }', 'Argument "text" must not contain control characters; got "NATO\\u0001".'],
    ['connections(from: "a", to: "b", maxHops: 0) { length }', 'Argument "maxHops" must be an integer from 1 to 6; got 0.'],
    ['entity(id: "") { id }', 'Argument "id" must be 1 to 200 characters long; got "".'],
  ])('{ %s } is BAD_USER_INPUT before any Cypher', async (field, message) => {
    const error = await fails(`{ ${field} }`, 'BAD_USER_INPUT');
    expect(error.message).toBe(message);
    expect(error.roundTrips).toBe(0);
  });

  it('every error carries a code', async () => {
    const queries = [
      '{ entities(after: "abc") { totalCount } }',
      '{ partners(of: "atlantis") { partner { id } } }',
      '{ timeline(from: "2020-01-01", to: "2010-01-01") { moment } }',
      '{ timeline(from: "2020-13-01") { moment } }',
      '{ country(code: "XX1") { id } }',
      '{ nosuchfield }',
      '{ search(text: 5) { score } }',
      '{ entities(',
    ];
    for (const query of queries) {
      const answer = await run(query);
      expect(answer.errors?.length).toBeGreaterThan(0);
      for (const error of answer.errors ?? []) expect(typeof error.extensions?.code).toBe('string');
    }
  });
});

describe('over HTTP', () => {
  let server: RunningServer;
  let base: string;

  beforeAll(async () => {
    server = await startServer({ db, logger, production: false, host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${server.port}/graphql`;
  });

  afterAll(async () => {
    await server?.close();
  });

  const LITHUANIA = `{ partners(of: "lithuania") { partner { id name } links { kind through { id } facts { id status } }
    domains statuses since { text } inForceFrom evidence { id quote start end source { title } } } }`;

  it('POST answers the Lithuania partners exactly as in-process', async () => {
    const response = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: LITHUANIA }) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: any; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual(await ok(LITHUANIA));
    expect(body.data.partners.map((p: any) => p.partner.id)).toEqual(['belgium', 'ukraine']);
  });

  it('GET (with the preflight header) answers as in-process', async () => {
    const query = '{ country(code: "BE") { id name } timeline(entity: "belgium") { date { text } } }';
    const response = await fetch(`${base}?query=${encodeURIComponent(query)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: any };
    expect(body.data).toEqual(await ok(query));
    expect(body.data.country).toEqual({ id: 'belgium', name: 'Belgium' });
  });

  it('POST with variables gives a user error with its code, as in-process', async () => {
    const query = 'query ($n: Int) { entities(first: $n) { totalCount } }';
    const response = await fetch(base, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { n: 101 } }),
    });
    const body = (await response.json()) as { errors: GraphQLFormattedError[] };
    expect(body.errors[0]?.message).toBe('Argument "first" must be an integer from 1 to 100; got 101.');
    expect(body.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
