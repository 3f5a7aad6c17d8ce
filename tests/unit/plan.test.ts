/**
 * The first half of the loader (src/ingest/plan.ts), without a database: what a document
 * creates, updates, removes and derives again, given what is stored.
 */
import path from 'node:path';
import { Neo4jError } from 'neo4j-driver';
import { toAppError, type Db } from '../../src/db/executor';
import { AppError } from '../../src/errors';
import { loadDocument } from '../../src/ingest/load';
import { claimOf, isEmptyPlan, planChanges, type EntityDefinition, type Plan, type StoredState } from '../../src/ingest/plan';
import { readDocument } from '../../src/ingest/read';
import { validateDocument, type ValidDocument } from '../../src/ingest/validate';
import { PROJECT_ROOT, SEED_DIR } from '../../src/paths';

const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures');

function load(file: string): ValidDocument {
  const result = validateDocument(readDocument(file));
  if (!result.ok) throw new Error(`${file} does not validate: ${JSON.stringify(result.problems)}`);
  return result.document;
}

const seed = load(path.join(SEED_DIR, 'lt-mod-2024-03-25-chod-belgium.yaml'));
const followUp = load(path.join(FIXTURES, 'synthetic-2024-06-follow-up.yaml'));
const secondFollowUp = load(path.join(FIXTURES, 'synthetic-2024-06-second-follow-up.yaml'));

const empty = (): StoredState => ({ source: null, entities: new Map(), facts: new Map(), evidence: new Map() });

/** The stored state once a plan that only creates (a first load) is applied. */
function storedAfter(plan: Plan): StoredState {
  const stored = empty();
  if (plan.source) stored.source = { id: plan.source.id, contentHash: plan.source.props.contentHash as string };
  for (const e of plan.entities.create) {
    const definitions = (e.props.definitions as string[]).map((d) => JSON.parse(d) as EntityDefinition);
    stored.entities.set(e.id, { id: e.id, kind: e.kind, contentHash: e.props.contentHash as string, definitions, facts: 0 });
  }
  for (const f of plan.facts.create) {
    stored.facts.set(f.id, {
      id: f.id,
      type: f.type,
      subject: f.subject,
      object: f.object,
      role: f.props.role as string | null,
      contentHash: f.props.contentHash as string,
      claims: [claimOf(f.claim.props)],
    });
    for (const end of [f.subject, f.object]) stored.entities.get(end)!.facts += 1;
    for (const e of f.evidence) stored.evidence.set(e.id, e.props.contentHash as string);
  }
  return stored;
}

const seedPlan = planChanges(empty(), seed);
const afterSeed = storedAfter(seedPlan);

describe('planChanges', () => {
  it('creates every entity, fact, claim and piece of evidence of a first document, and the source', () => {
    expect(seedPlan.problems).toEqual([]);
    expect(seedPlan.source?.id).toBe('lt-mod-2024-03-25-chod-belgium');
    expect(seedPlan.entities.create).toHaveLength(37);
    expect(seedPlan.facts.create).toHaveLength(44);
    expect(seedPlan.facts.create.every((f) => f.claim.source === 'lt-mod-2024-03-25-chod-belgium')).toBe(true);
    expect(seedPlan.facts.create.reduce((n, f) => n + f.evidence.length, 0)).toBe(48);
    expect(seedPlan.tally).toMatchObject({ entities: { created: 37 }, facts: { created: 44 }, claims: { created: 44 }, evidence: { created: 48 } });
  });

  it('plans nothing at all for an unchanged document: no write, no new stamp', () => {
    const plan = planChanges(afterSeed, seed);
    expect(isEmptyPlan(plan)).toBe(true);
    expect(plan.tally).toMatchObject({ entities: { unchanged: 37 }, facts: { unchanged: 44 }, claims: { unchanged: 44 }, evidence: { unchanged: 48 } });
  });

  it('adds a follow-up: its claims on stored facts, the facts it re-derives, its new facts and entities', () => {
    const plan = planChanges(afterSeed, followUp);
    expect(plan.problems).toEqual([]);
    expect(plan.entities.create.map((e) => e.id)).toEqual(['estonia']);
    expect(plan.entities.update).toEqual([]);
    expect(plan.claims.create.map((c) => c.fact).sort()).toEqual([
      'fact:member-of:lithuania:nato',
      'fact:participates-in:belgium:resilience-work-group:participant',
      'fact:participates-in:czechia:efp-battle-group-lithuania:contributor',
      'fact:participates-in:lithuania:resilience-work-group:lead',
    ]);
    expect(plan.facts.create.map((f) => f.id)).toEqual(['fact:participates-in:estonia:resilience-work-group:participant']);
    const belgium = plan.facts.update.find((f) => f.id === 'fact:participates-in:belgium:resilience-work-group:participant');
    expect(belgium?.props).toMatchObject({ status: 'ACTIVE', startValue: '2024-05', sources: 2, conflicts: 0 });
    expect(belgium?.dates).toMatchObject({ inForceFrom: '2024-05-31', firstStated: '2024-03-25' });
    expect(belgium?.known).toEqual({
      from: ['2024-03-25', '2024-06-14'],
      status: ['PLANNED', 'ACTIVE'],
      inForceFrom: ['2024-03-25', '2024-05-31'],
      inForceUntil: ['9999-12-31', '9999-12-31'],
      startEarliest: ['0001-01-01', '2024-05-01'],
      endLatest: ['9999-12-31', '9999-12-31'],
      domains: ['CYBER RESILIENCE', 'CYBER RESILIENCE'],
    });
    expect(plan.evidence.create).toHaveLength(4);
  });

  it("adds a second definition's names to an entity another source defines", () => {
    const plan = planChanges(afterSeed, secondFollowUp);
    expect(plan.problems).toEqual([]);
    const belgium = plan.entities.update.find((e) => e.id === 'belgium');
    expect(belgium?.props.aliases).toEqual(['Kingdom of Belgium', 'Belgian', 'Belgium’s', 'Royaume de Belgique']);
    expect((belgium?.props.definitions as string[]).map((d) => (JSON.parse(d) as EntityDefinition).source)).toEqual([
      'lt-mod-2024-03-25-chod-belgium',
      'synthetic-2024-06-second-follow-up',
    ]);
  });

  it('refuses a definition of another kind or owner, naming both sources', () => {
    const doc = structuredClone(secondFollowUp);
    doc.entities = doc.entities.map((e) => (e.id === 'belgium' ? { ...e, kind: 'Organisation' as const, subtype: undefined, reference: undefined, belongsTo: 'nato' } : e));
    const plan = planChanges(afterSeed, doc);
    expect(plan.problems.map((p) => `${p.record} ${p.field} ${String(p.value)}: ${p.message}`)).toEqual([
      'entity belgium kind Organisation: conflicts with source lt-mod-2024-03-25-chod-belgium, which defines belgium as Country',
    ]);
  });

  it('refuses a reference to an entity neither the document nor the graph has', () => {
    const plan = planChanges(empty(), followUp);
    expect(plan.problems).toContainEqual(
      expect.objectContaining({ record: 'fact fact:participates-in:belgium:resilience-work-group:participant', field: 'subject', value: 'belgium' }),
    );
  });

  it('removes a fact, its claim and evidence when the document no longer states it, and re-derives none else', () => {
    const doc = structuredClone(seed);
    doc.facts = doc.facts.filter((f) => f.id !== 'fact:member-of:belgium:nato');
    const plan = planChanges(afterSeed, doc);
    expect(plan.facts.remove).toEqual([{ id: 'fact:member-of:belgium:nato', type: 'MEMBER_OF' }]);
    expect(plan.claims.remove).toEqual([{ fact: 'fact:member-of:belgium:nato', source: 'lt-mod-2024-03-25-chod-belgium' }]);
    expect(plan.evidence.remove).toHaveLength(1);
    expect(plan.facts.update).toEqual([]);
    // The source changed (its fact count), so it is written again.
    expect(plan.source?.props.factCount).toBe(43);
  });

  it('unloads a source: every claim, evidence and definition it alone gave goes, and the source', () => {
    const plan = planChanges(afterSeed, null, 'lt-mod-2024-03-25-chod-belgium');
    expect(plan.removeSource).toBe(true);
    expect(plan.facts.remove).toHaveLength(44);
    expect(plan.entities.remove).toHaveLength(37);
    expect(plan.evidence.remove).toHaveLength(48);
    expect(plan.problems).toEqual([]);
  });
});

describe('a document too large for Neo4j\'s transaction memory', () => {
  it('is refused naming the file, its size, the limit and what to do', async () => {
    const message = 'The allocation of an extra 2.0 MiB would use more than the limit 358.4 MiB. Currently using 358.0 MiB. dbms.memory.transaction.total.max threshold reached';
    // What Db.inWriteTransaction throws when Neo4j refuses the transaction's memory.
    const db = { inWriteTransaction: async () => Promise.reject(toAppError(new Neo4jError(message, 'Neo.TransientError.General.MemoryPoolOutOfMemoryError', '50N42', 'memory', {} as never))) } as unknown as Db;
    const error = await loadDocument(db, seed).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const text = (error as AppError).message;
    const evidence = seed.facts.reduce((n, f) => n + f.evidence.length, 0);
    expect(text).toContain(seed.file);
    expect(text).toContain(`(${seed.facts.length} facts, ${seed.entities.length} entities, ${evidence} evidence)`);
    expect(text).toContain("Neo4j's limit of 358.4 MiB (dbms.memory.transaction.total.max)");
    expect(text).toContain('nothing of it was written');
    expect(text).toContain('NEO4J_LOCAL_HEAP_MB');
    expect((error as AppError).extensions).toMatchObject({ file: seed.file, source: seed.source.id, facts: seed.facts.length, limit: '358.4 MiB' });
  });

  it('leaves other failures of the transaction as they are', async () => {
    const failure = new Error('boom');
    const db = { inWriteTransaction: async () => Promise.reject(failure) } as unknown as Db;
    await expect(loadDocument(db, seed)).rejects.toBe(failure);
  });
});
