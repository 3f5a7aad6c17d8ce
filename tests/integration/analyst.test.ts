/**
 * What a new analyst trips over, against the real Neo4j holding the seed: the three answers to
 * "in force on D" and includeUnknown, counts of what a filter left out, fields that explain the
 * structure (bodies and members, a country's bodies' facts, an event's date and place, partners'
 * kinds, stats keyed by the enums), and search as analysts type it (folded, exact first,
 * subtypes, evidence).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import YAML from 'yaml';
import { createContext, type Context } from '../../src/context';
import type { Db } from '../../src/db/executor';
import { inForceCypher, inForceOn } from '../../src/db/filters';
import { FULLTEXT_STOP_WORDS } from '../../src/db/schema';
import { FACT_PROJECTION, type FactRecord } from '../../src/db/records';
import { logger } from '../../src/logger';
import { DOMAINS, ENTITY_KINDS, RELATION_TYPES, STATUSES } from '../../src/ontology';
import { startSeededApollo } from '../helpers/graph';

const SOURCE_ID = 'lt-mod-2024-03-25-chod-belgium';
const SOURCE_TEXT = fs.readFileSync(path.join(__dirname, '..', '..', 'seed', 'sources', `${SOURCE_ID}.txt`), 'utf8');
const SEED = YAML.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'seed', `${SOURCE_ID}.yaml`), 'utf8')) as {
  entities: Array<{ id: string; kind: string; belongsTo?: string }>;
  facts: Array<{ type: string; subject: string; object: string; status: string; domains?: string[] }>;
};

let db: Db;
let apollo: ApolloServer<Context>;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, apollo, close } = await startSeededApollo());
}, 180_000);

afterAll(() => close());

async function run(query: string, variables?: Record<string, unknown>): Promise<{ data: any; errors: readonly GraphQLFormattedError[] | undefined }> {
  const response = await apollo.executeOperation({ query, variables }, { contextValue: createContext(db, logger) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  return { data: data === undefined ? undefined : JSON.parse(JSON.stringify(data)), errors };
}

async function ok(query: string, variables?: Record<string, unknown>): Promise<any> {
  const answer = await run(query, variables);
  expect(answer.errors).toBeUndefined();
  return answer.data;
}

async function fails(query: string, code: string): Promise<GraphQLFormattedError> {
  const answer = await run(query);
  expect(answer.errors).toHaveLength(1);
  const error = answer.errors?.[0] as GraphQLFormattedError;
  expect(error.extensions?.code).toBe(code);
  return error;
}

function slice(start: number, end: number): string {
  return [...SOURCE_TEXT].slice(start, end).join('');
}

const ids = (list: Array<{ id: string }>) => list.map((e) => e.id);
const COUNTS = 'total shown hidden byStatus { status total shown } byInForce { inForce total shown } outsideDomain';

/** Days that fall before, inside and after the seed's dates and spans, and around its publication. */
const DAYS = ['2003-06-01', '2004-06-01', '2005-01-01', '2016-06-01', '2017-02-01', '2017-05-01', '2023-01-15', '2023-02-15', '2023-06-01', '2024-01-01', '2024-03-24', '2024-03-25', '2026-01-01'];

describe('Fact.inForceOn and includeUnknown', () => {
  it('answers YES, NO or UNKNOWN: "early 2017", a year, and an undated fact before its source', async () => {
    const data = await ok(`{
      efp: entity(id: "belgium") { facts(types: [PARTICIPATES_IN]) { object { id } a: inForceOn(day: "2016-06-01") b: inForceOn(day: "2017-02-01") c: inForceOn(day: "2017-05-01") } }
      lt: node(id: "fact:member-of:lithuania:nato") { ... on Fact { a: inForceOn(day: "2003-06-01") b: inForceOn(day: "2004-06-01") c: inForceOn(day: "2004-12-31") } }
      be: entity(id: "belgium") { facts(types: [MEMBER_OF]) { a: inForceOn(day: "2016-06-01") b: inForceOn(day: "2024-03-24") c: inForceOn(day: "2024-03-25") } }
    }`);
    expect(data.efp.facts.find((f: any) => f.object.id === 'efp-battle-group-lithuania')).toEqual({ object: { id: 'efp-battle-group-lithuania' }, a: 'NO', b: 'UNKNOWN', c: 'YES' });
    expect(data.lt).toEqual({ a: 'NO', b: 'UNKNOWN', c: 'YES' });
    expect(data.be.facts).toEqual([{ a: 'UNKNOWN', b: 'UNKNOWN', c: 'YES' }]);
  });

  it('is the same rule in TypeScript, in Cypher on the Fact node, and in Cypher on the direct relationship', async () => {
    const rows = await db.read(`MATCH (f:Fact) MATCH ()-[r {factId: f.id}]->() UNWIND $days AS day
      RETURN ${FACT_PROJECTION} AS fact, day, ${inForceCypher('f', 'date(day)')} AS onNode, ${inForceCypher('r', 'date(day)')} AS onEdge`, { days: DAYS });
    expect(rows.length).toBe(SEED.facts.length * DAYS.length);
    const states = new Set<string>();
    for (const row of rows) {
      const expected = inForceOn(row.fact as FactRecord, row.day as string);
      states.add(expected);
      expect({ id: (row.fact as FactRecord).id, day: row.day, onNode: row.onNode, onEdge: row.onEdge }).toEqual({ id: (row.fact as FactRecord).id, day: row.day, onNode: expected, onEdge: expected });
    }
    expect([...states].sort()).toEqual(['NO', 'UNKNOWN', 'YES']);
  });

  it('keeps Belgium in NATO on 2016-06-01 only when UNKNOWN is asked for', async () => {
    const data = await ok(`{ e: entity(id: "belgium") {
      strict: facts(types: [MEMBER_OF], asOf: "2016-06-01") { id }
      open: facts(types: [MEMBER_OF], asOf: "2016-06-01", includeUnknown: true) { id }
      members: memberEntities(asOf: "2016-06-01") { id } }
      nato: entity(id: "nato") { strict: memberEntities(asOf: "2016-06-01") { id } open: memberEntities(asOf: "2016-06-01", includeUnknown: true) { id } } }`);
    expect(data.e.strict).toEqual([]);
    expect(data.e.open).toEqual([{ id: 'fact:member-of:belgium:nato' }]);
    expect(data.nato.strict).toEqual([{ id: 'lithuania' }]);
    expect(data.nato.open).toEqual([{ id: 'belgium' }, { id: 'lithuania' }]);
  });

  it("gives the CRRT project its coordinator on 2023-06-01 with includeUnknown, and not before 2023", async () => {
    const q = (day: string, open: boolean) => `{ entity(id: "crrts-and-mutual-assistance-in-cyber") { facts(asOf: "${day}", includeUnknown: ${open}) { subject { id } role } } }`;
    const strict = await ok(q('2023-06-01', false));
    expect(strict.entity.facts).toEqual([{ subject: { id: 'belgium' }, role: 'PARTICIPANT' }]);
    const open = await ok(q('2023-06-01', true));
    expect(open.entity.facts).toEqual(expect.arrayContaining([{ subject: { id: 'lithuania' }, role: 'COORDINATOR' }, { subject: { id: 'belgium' }, role: 'PARTICIPANT' }]));
    expect(open.entity.facts).toHaveLength(2);
    const before = await ok(q('2022-12-31', true));
    expect(before.entity.facts).toEqual([]);
  });

  it('fills the 2016 network and partners with includeUnknown, and only then', async () => {
    const data = await ok(`{
      strict: cooperationNetwork(asOf: "2016-06-01") { nodes { entity { id } } edges { source target } }
      open: cooperationNetwork(asOf: "2016-06-01", includeUnknown: true) { nodes { entity { id } } edges { source target } }
      p: partners(of: "belgium", asOf: "2016-06-01") { partner { id } }
      q: partners(of: "belgium", asOf: "2016-06-01", includeUnknown: true) { partner { id } } }`);
    expect(data.strict.edges).toEqual([]);
    expect(data.open.edges).toContainEqual({ source: 'belgium', target: 'lithuania' });
    expect(data.p).toEqual([]);
    expect(ids(data.q.map((p: any) => p.partner))).toContain('lithuania');
  });
});

describe('factCounts: what a filter left out', () => {
  it("says that every fact of the Special Operations Component Command is a plan or proposal", async () => {
    const data = await ok(`{ entity(id: "special-operations-component-command") { facts { id } factCounts { ${COUNTS} } } }`);
    const expected = SEED.facts.filter((f) => f.subject === 'special-operations-component-command' || f.object === 'special-operations-component-command');
    expect(data.entity.facts).toEqual([]);
    const counts = data.entity.factCounts;
    expect(counts).toMatchObject({ total: expected.length, shown: 0, hidden: expected.length, byInForce: [], outsideDomain: 0 });
    expect(counts.byStatus).toEqual(STATUSES.map((status) => ({ status, total: expected.filter((f) => f.status === status).length, shown: 0 })));
    expect(counts.byStatus.find((s: any) => s.status === 'PROPOSED').total).toBeGreaterThan(0);
    expect(counts.byStatus.find((s: any) => s.status === 'PLANNED').total).toBeGreaterThan(0);
  });

  it('counts by in-force state with asOf, and the facts outside a domain', async () => {
    const data = await ok(`{ entity(id: "belgium") { factCounts(asOf: "2017-02-01", domain: LAND) { ${COUNTS} } all: factCounts { total } } }`);
    const c = data.entity.factCounts;
    expect(c.total).toBe(data.entity.all.total);
    expect(c.byInForce.map((s: any) => s.inForce)).toEqual(['YES', 'NO', 'UNKNOWN']);
    expect(c.byInForce.reduce((n: number, s: any) => n + s.total, 0)).toBe(c.total);
    // The eFP contribution (LAND, since early 2017) is UNKNOWN on 2017-02-01, so left out.
    expect(c.byInForce.find((s: any) => s.inForce === 'UNKNOWN').total).toBeGreaterThanOrEqual(1);
    expect(c.outsideDomain).toBe(SEED.facts.filter((f) => (f.subject === 'belgium' || f.object === 'belgium') && !(f.domains ?? []).includes('LAND')).length);
    const open = await ok('{ entity(id: "belgium") { facts(asOf: "2017-02-01", domain: LAND, includeUnknown: true) { id } factCounts(asOf: "2017-02-01", domain: LAND, includeUnknown: true) { shown } } }');
    expect(open.entity.factCounts.shown).toBe(open.entity.facts.length);
    expect(open.entity.factCounts.shown).toBeGreaterThan(c.shown);
  });

  it('agrees with facts for every entity and every combination of the filter', async () => {
    const variants = [
      '',
      'status: [PLANNED, PROPOSED]',
      'asOf: "2017-02-01"',
      'asOf: "2017-02-01", includeUnknown: true',
      'asOf: "2016-06-01", includeUnknown: true, status: [ACTIVE, ENDED, PLANNED, PROPOSED, ANNOUNCED]',
      'domain: TRAINING, status: [ACTIVE, PLANNED]',
      'types: [MEMBER_OF, PARTICIPATES_IN], asOf: "2024-03-25"',
      'includeBodies: true',
      'includeBodies: true, asOf: "2023-06-01", includeUnknown: true',
    ];
    const all = SEED.entities.map((e) => e.id);
    for (const args of variants) {
      const a = args ? `(${args})` : '';
      for (let i = 0; i < all.length; i += 10) {
        const chunk = all.slice(i, i + 10);
        const data = await ok(`{ ${chunk.map((id, j) => `e${j}: entity(id: "${id}") { id facts${a} { id } factCounts${a} { total shown hidden byStatus { total shown } } }`).join(' ')} }`);
        for (const node of Object.values(data) as any[]) {
        const c = node.factCounts;
        expect({ id: node.id, args, shown: c.shown }).toEqual({ id: node.id, args, shown: node.facts.length });
        expect(c.hidden).toBe(c.total - c.shown);
        expect(c.byStatus.reduce((n: number, s: any) => n + s.total, 0)).toBe(c.total);
        expect(c.byStatus.reduce((n: number, s: any) => n + s.shown, 0)).toBe(c.shown);
        }
      }
    }
  });

  it('counts what partners left out, agreeing with partners for each filter', async () => {
    for (const args of ['', 'status: [ACTIVE, ENDED, PLANNED, PROPOSED]', 'asOf: "2016-06-01"', 'asOf: "2016-06-01", includeUnknown: true', 'domain: CYBER', 'domain: SPECIAL_OPERATIONS, status: [PROPOSED]']) {
      for (const of of ['belgium', 'lithuania', 'nato', 'lithuanian-special-operations-forces']) {
        const a = args ? `, ${args}` : '';
        const data = await ok(`{ partners(of: "${of}"${a}) { partner { id } } partnerCounts(of: "${of}"${a}) { shown hidden facts { total shown hidden } }
          all: partners(of: "${of}", status: [ACTIVE, ENDED, PLANNED, PROPOSED, ANNOUNCED]) { partner { id } } }`);
        expect({ of, args, shown: data.partnerCounts.shown }).toEqual({ of, args, shown: data.partners.length });
        expect(data.partnerCounts.shown + data.partnerCounts.hidden).toBe(data.all.length);
        expect(data.partnerCounts.facts.hidden).toBe(data.partnerCounts.facts.total - data.partnerCounts.facts.shown);
      }
    }
    const so = await ok('{ partnerCounts(of: "lithuania", domain: SPECIAL_OPERATIONS) { shown hidden facts { byStatus { status total shown } } } }');
    expect(so.partnerCounts.hidden).toBeGreaterThan(0);
    expect(so.partnerCounts.facts.byStatus.find((s: any) => s.status === 'PROPOSED').total).toBeGreaterThan(0);
  });

  it("counts the network's facts: what it used and what it left out", async () => {
    const data = await ok(`{ strict: cooperationNetwork(asOf: "2016-06-01") { factCounts { ${COUNTS} } } all: cooperationNetwork { factCounts { ${COUNTS} } } }`);
    const networkTypes = ['MEMBER_OF', 'PARTICIPATES_IN', 'SUPPORTS', 'COOPERATES_WITH', 'TRAINS_WITH'];
    const expectedTotal = SEED.facts.filter((f) => networkTypes.includes(f.type)).length;
    expect(data.all.factCounts.total).toBe(expectedTotal);
    expect(data.all.factCounts.shown).toBe(SEED.facts.filter((f) => networkTypes.includes(f.type) && ['ACTIVE', 'ENDED'].includes(f.status)).length);
    expect(data.strict.factCounts.total).toBe(expectedTotal);
    expect(data.strict.factCounts.byInForce.find((s: any) => s.inForce === 'UNKNOWN').total).toBeGreaterThan(0);
    expect(data.strict.factCounts.shown).toBeLessThan(data.all.factCounts.shown);
  });
});

describe('structure that explains itself', () => {
  it("splits members into NATO's bodies and its member states; members stays, deprecated", async () => {
    const data = await ok('{ entity(id: "nato") { bodies { id } memberEntities { id } members { id } } }');
    const bodies = SEED.entities.filter((e) => e.belongsTo === 'nato').map((e) => e.id).sort();
    expect(ids(data.entity.bodies)).toEqual(bodies);
    expect(ids(data.entity.members)).toEqual(bodies);
    expect(ids(data.entity.memberEntities)).toEqual(SEED.facts.filter((f) => f.type === 'MEMBER_OF' && f.object === 'nato').map((f) => f.subject).sort());
    const schema = await ok('{ __type(name: "Country") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }');
    const members = schema.__type.fields.find((f: any) => f.name === 'members');
    expect(members.isDeprecated).toBe(true);
    expect(members.deprecationReason).toContain('bodies');
    expect(members.deprecationReason).toContain('memberEntities');
  });

  it("adds a country's bodies' facts with includeBodies, each marked by viaBody", async () => {
    const data = await ok(`{ entity(id: "lithuania") {
      own: facts(types: [TRAINS_WITH]) { id }
      all: facts(types: [TRAINS_WITH], includeBodies: true) { id subject { id } viaBody { id } }
      every: facts(includeBodies: true, status: [ACTIVE, ENDED, PLANNED, PROPOSED, ANNOUNCED]) { id viaBody { id } } } }`);
    expect(data.entity.own).toEqual([]);
    expect(data.entity.all.length).toBeGreaterThan(0);
    for (const f of data.entity.all) expect(f.viaBody).toEqual({ id: 'lithuanian-special-operations-forces' });
    const bodies = SEED.entities.filter((e) => e.belongsTo === 'lithuania').map((e) => e.id);
    const about = (f: { subject: string; object: string }, id: string) => f.subject === id || f.object === id;
    const expected = SEED.facts.filter((f) => about(f, 'lithuania') || bodies.some((b) => about(f, b)));
    expect(data.entity.every).toHaveLength(expected.length);
    const own = new Set(data.entity.every.filter((f: any) => f.viaBody === null).map((f: any) => f.id));
    expect(own.size).toBe(SEED.facts.filter((f) => about(f, 'lithuania')).length);
    // The same facts elsewhere carry no mark.
    const plain = await ok(`{ node(id: "${data.entity.all[0].id}") { ... on Fact { viaBody { id } } } }`);
    expect(plain.node.viaBody).toBeNull();
  });

  it('refuses partners of a kind it does not serve, naming the kinds it does', async () => {
    for (const [of, kind] of [['rukla', 'PLACE'], ['exercise-open-spirit', 'INITIATIVE'], ['valdemaras-rupsys', 'PERSON']]) {
      const error = await fails(`{ partners(of: "${of}") { partner { id } } }`, 'BAD_USER_INPUT');
      expect(error.message).toBe(`Argument "of" must name an entity of kind COUNTRY, ORGANISATION or UNIT, the kinds that have partners; got "${of} (${kind})".`);
      await fails(`{ partnerCounts(of: "${of}") { shown } }`, 'BAD_USER_INPUT');
    }
    await ok('{ partners(of: "snmcmg1") { partner { id } } }');
  });

  it("gives an event its place from its facts (the CHODs' meeting: Belgium hosts it), and no date when none is given", async () => {
    const data = await ok('{ entity(id: "lithuania-belgium-chods-meeting-2024") { ... on Event { date { text } place { id } } } }');
    expect(data.entity).toEqual({ date: null, place: { id: 'belgium' } });
  });

  it('keys stats by the enums, every value once, zeros included', async () => {
    const { stats } = await ok(`{ stats { entityCounts { kind count } factCountsByType { type count } factCountsByStatus { status count }
      factCountsByDomain { domain count } factsByStatus { key count } } }`);
    const tally = (keys: string[], all: readonly string[]) => all.map((k) => keys.filter((x) => x === k).length);
    expect(stats.entityCounts.map((c: any) => c.kind)).toEqual(ENTITY_KINDS.map((k) => k.toUpperCase()));
    expect(stats.entityCounts.map((c: any) => c.count)).toEqual(tally(SEED.entities.map((e) => e.kind), ENTITY_KINDS));
    expect(stats.factCountsByType.map((c: any) => c.type)).toEqual([...RELATION_TYPES]);
    expect(stats.factCountsByType.map((c: any) => c.count)).toEqual(tally(SEED.facts.map((f) => f.type), RELATION_TYPES));
    expect(stats.factCountsByStatus).toEqual(STATUSES.map((status) => ({ status, count: SEED.facts.filter((f) => f.status === status).length })));
    expect(stats.factCountsByDomain.map((c: any) => c.domain)).toEqual([...DOMAINS]);
    expect(stats.factCountsByDomain.map((c: any) => c.count)).toEqual(tally(SEED.facts.flatMap((f) => f.domains ?? []), DOMAINS));
    expect(stats.factCountsByType.some((c: any) => c.count === 0)).toBe(true);
    // The old fields still answer.
    expect(stats.factsByStatus.length).toBeGreaterThan(0);
  });
});

describe('search as analysts type', () => {
  it('folds case and accents: "Rupsys" and "RUPŠYS" find Rupšys', async () => {
    for (const text of ['Rupsys', 'RUPŠYS', 'valdemaras rupsys']) {
      const data = await ok(`{ search(text: "${text}") { entity { id } exact } }`);
      expect(data.search[0].entity.id).toBe('valdemaras-rupsys');
    }
  });

  it('puts an exact name or alias first: "Lithuanian" is an alias of Lithuania', async () => {
    const data = await ok('{ search(text: "lithuanian") { entity { id } exact } }');
    expect(data.search[0]).toEqual({ entity: { id: 'lithuania' }, exact: true });
    expect(data.search.slice(1).every((hit: any) => hit.exact === false)).toBe(true);
    expect(data.search.length).toBeGreaterThan(1);
    const nato = await ok('{ search(text: "nato") { entity { id } exact } }');
    expect(nato.search[0]).toEqual({ entity: { id: 'nato' }, exact: true });
  });

  it('finds entities by the words of their subtype, and filters by subtype', async () => {
    const data = await ok('{ search(text: "working group") { entity { id subtype } score } groups: search(text: "working groups") { entity { id } } }');
    expect(data.search.map((h: any) => h.entity.id)).toContain('resilience-work-group');
    expect(data.groups.map((h: any) => h.entity.id)).toContain('resilience-work-group');
    const sf = await ok('{ search(text: "forces", subtypes: ["SPECIAL_FORCES"]) { entity { id subtype } } }');
    expect(sf.search.length).toBeGreaterThan(0);
    for (const hit of sf.search) expect(hit.entity.subtype).toBe('SPECIAL_FORCES');
    const error = await fails('{ search(text: "x", subtypes: ["FLEET"]) { score } }', 'BAD_USER_INPUT');
    expect(error.message).toContain('Argument "subtypes" must list subtypes of the ontology (');
    expect(error.message).toContain('WORKING_GROUP');
    expect(error.message).toContain('got "FLEET"');
  });

  it('searchEvidence finds the passages: quote, offsets, source and the facts they state, best first', async () => {
    for (const [text, word] of [['F-16', 'F-16'], ['ordnance disposal', 'ordinance disposal'], ['Rupsys', 'Rupšys'], ['Rukla since early 2017', 'Rukla since early 2017']]) {
      const data = await ok(`{ searchEvidence(text: "${text}", first: 5) { quote start end score source { id } facts { id evidence { quote start end } } } }`);
      expect({ text, hits: data.searchEvidence.length > 0 }).toEqual({ text, hits: true });
      const best = data.searchEvidence[0];
      expect(best.quote).toContain(word);
      expect(slice(best.start, best.end)).toBe(best.quote);
      expect(best.source).toEqual({ id: SOURCE_ID });
      expect(best.facts.length).toBeGreaterThan(0);
      for (const f of best.facts) expect(f.evidence).toContainEqual({ quote: best.quote, start: best.start, end: best.end });
      const scores = data.searchEvidence.map((h: any) => h.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      // One hit per passage, however many facts it states.
      const spans = data.searchEvidence.map((h: any) => `${h.start}-${h.end}`);
      expect(new Set(spans).size).toBe(spans.length);
    }
    const none = await ok('{ searchEvidence(text: "the of and") { quote } }');
    expect(none.searchEvidence).toEqual([]);
    await fails('{ searchEvidence(text: "x", first: 101) { quote } }', 'BAD_USER_INPUT');
  });

  it("lists a source's passages in text order, each span once with every fact it states", async () => {
    const data = await ok(`{ node(id: "${SOURCE_ID}") { ... on Source { passages { quote start end facts { id evidence { start end } } } } } }`);
    const passages = data.node.passages as Array<{ quote: string; start: number; end: number; facts: Array<{ id: string; evidence: Array<{ start: number; end: number }> }> }>;
    const spans = new Set(SEED.facts.flatMap((f) => (f as unknown as { evidence: Array<{ start: number; end: number }> }).evidence.map((e) => `${e.start}-${e.end}`)));
    expect(passages.map((p) => `${p.start}-${p.end}`)).toEqual([...spans].sort((a, b) => {
      const [as, ae] = a.split('-').map(Number) as [number, number];
      const [bs, be] = b.split('-').map(Number) as [number, number];
      return as - bs || ae - be;
    }));
    for (const p of passages) {
      expect(slice(p.start, p.end)).toBe(p.quote);
      expect(p.facts.map((f) => f.id)).toEqual([...p.facts.map((f) => f.id)].sort());
      for (const f of p.facts) expect(f.evidence).toContainEqual({ start: p.start, end: p.end });
    }
    const stated = passages.reduce((n, p) => n + p.facts.length, 0);
    expect(stated).toBe(SEED.facts.reduce((n, f) => n + new Set((f as unknown as { evidence: Array<{ start: number; end: number }> }).evidence.map((e) => `${e.start}-${e.end}`)).size, 0));
  });

  it("drops the same stop words as Neo4j's analyzer", async () => {
    const [row] = await db.read("CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer, stopwords WHERE analyzer = 'standard-folding' RETURN stopwords");
    expect([...(row?.stopwords as string[])].sort()).toEqual([...FULLTEXT_STOP_WORDS].sort());
  });
});
