/**
 * The first half of a load: planChanges(stored, document) decides, without a database, every
 * write that brings the graph from what is stored to what the sources now say. The second half,
 * applyChanges() in ./load.ts, sends the plan to Neo4j.
 *
 * A document is the whole statement of its source: its claims replace that source's claims,
 * its evidence that source's evidence, and its entity definitions that source's definitions.
 * Facts and entities are then derived from every source's claims and definitions (src/claims.ts),
 * never from the last document loaded. A plan with nothing in it writes nothing at all.
 */
import crypto from 'node:crypto';
import { deriveView, knownSteps, type Claim, type FactView } from '../claims';
import {
  CLAIM_PROPERTIES,
  claimOf,
  type ClaimRow,
  type EntityDefinition,
  type EntityRow,
  type EvidenceRow,
  type FactRow,
  type NewFactRow,
  type SourceRow,
  type StoredClaim,
  type StoredEntity,
  type StoredFact,
  type StoredState,
} from '../db/ingest';
import type { Problem, ValidDocument } from './validate';

export { CLAIM_PROPERTIES, claimOf };
export type { ClaimRow, EntityDefinition, EntityRow, EvidenceRow, FactRow, NewFactRow, SourceRow, StoredClaim, StoredEntity, StoredFact, StoredState };

export function hashOf(value: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

export interface Tally {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
}

export interface Plan {
  /** Problems found against the stored graph; a plan with problems must not be applied. */
  problems: Problem[];
  sourceId: string;
  /** The source to write, null when unchanged (or removed). */
  source: SourceRow | null;
  removeSource: boolean;
  entities: {
    create: EntityRow[];
    update: EntityRow[];
    /** Same view, other definitions: only `definitions` and `definedBy` are written. */
    redefine: EntityRow[];
    remove: string[]; /** Kept, since other sources' facts name them, with no definition left. */ undefine: string[] };
  facts: { create: NewFactRow[]; update: FactRow[]; remove: Array<{ id: string; type: string }> };
  claims: { create: ClaimRow[]; update: ClaimRow[]; remove: Array<{ fact: string; source: string }> };
  evidence: { create: EvidenceRow[]; update: EvidenceRow[]; remove: string[] };
  tally: { entities: Tally; facts: Tally; claims: Tally; evidence: Tally };
}

/** True when applying the plan would write nothing. */
export function isEmptyPlan(plan: Plan): boolean {
  return (
    plan.source === null &&
    !plan.removeSource &&
    [plan.entities, plan.facts, plan.claims, plan.evidence].every((part) => Object.values(part).every((list) => (list as unknown[]).length === 0))
  );
}

// ---------------------------------------------------------------------------------------------
// Derivations

/** Sentinels for an open end and an unknown start in the `known` lists (Neo4j lists cannot hold null). */
export const OPEN_END = '9999-12-31';
export const OPEN_START = '0001-01-01';

/** A claim as the Claim node's properties (dates as 'YYYY-MM-DD' strings). */
export function claimProps(claim: Claim): Record<string, unknown> {
  const props = {
    source: claim.source,
    publisher: claim.publisher,
    published: claim.published,
    status: claim.status,
    title: claim.title,
    domains: claim.domains,
    note: claim.note,
    startText: claim.start?.text ?? null,
    startValue: claim.start?.value ?? null,
    startPrecision: claim.start?.precision ?? null,
    startEarliest: claim.start?.earliest ?? null,
    startLatest: claim.start?.latest ?? null,
    endText: claim.end?.text ?? null,
    endValue: claim.end?.value ?? null,
    endPrecision: claim.end?.precision ?? null,
    endEarliest: claim.end?.earliest ?? null,
    endLatest: claim.end?.latest ?? null,
  };
  return { ...props, contentHash: hashOf(props) };
}

/** The Fact row for a fact with these claims (at least one). */
export function factRow(fact: { id: string; type: string; subject: string; object: string; role: string | null }, claims: Claim[]): FactRow {
  const view: FactView = deriveView(claims);
  const steps = knownSteps(claims);
  const props = {
    type: fact.type,
    subject: fact.subject,
    object: fact.object,
    role: fact.role,
    status: view.status,
    title: view.title,
    domains: view.domains,
    note: view.note,
    startText: view.start?.text ?? null,
    startValue: view.start?.value ?? null,
    startPrecision: view.start?.precision ?? null,
    endText: view.end?.text ?? null,
    endValue: view.end?.value ?? null,
    endPrecision: view.end?.precision ?? null,
    sources: new Set(claims.map((c) => c.source)).size,
    conflicts: view.conflicts.length,
  };
  const dates = {
    startEarliest: view.start?.earliest ?? null,
    startLatest: view.start?.latest ?? null,
    endEarliest: view.end?.earliest ?? null,
    endLatest: view.end?.latest ?? null,
    firstStated: view.firstStated,
    inForceFrom: view.inForceFrom,
    inForceUntil: view.inForceUntil,
  };
  const known = {
    from: steps.map((s) => s.knownFrom),
    status: steps.map((s) => s.view.status),
    inForceFrom: steps.map((s) => s.view.inForceFrom),
    inForceUntil: steps.map((s) => s.view.inForceUntil ?? OPEN_END),
    startEarliest: steps.map((s) => s.view.start?.earliest ?? OPEN_START),
    endLatest: steps.map((s) => s.view.end?.latest ?? OPEN_END),
    domains: steps.map((s) => s.view.domains.join(' ')),
  };
  return {
    id: fact.id,
    type: fact.type,
    subject: fact.subject,
    object: fact.object,
    domains: view.domains,
    props: { ...props, contentHash: hashOf({ props, dates, known }) },
    dates,
    known,
  };
}

/**
 * An entity's stored properties from its definitions: the earliest-published definition gives
 * the name, subtype and reference ids (the next ones fill what it leaves out); names and aliases
 * of every definition are kept as aliases, in publication order.
 */
export function entityRow(id: string, definitions: EntityDefinition[]): EntityRow {
  const defs = [...definitions].sort((a, b) => (a.published !== b.published ? (a.published < b.published ? -1 : 1) : a.source < b.source ? -1 : 1));
  const first = defs[0]!;
  const name = first.name;
  const unique = (values: string[]) => [...new Set(values)];
  const aliases = unique(defs.flatMap((d) => [d.name, ...d.aliases])).filter((a) => a !== name);
  const referenceAliases = unique(defs.flatMap((d) => d.referenceAliases));
  const pick = <K extends 'subtype' | 'iso3166' | 'wikidata' | 'belongsTo'>(key: K) => defs.find((d) => d[key] !== null)?.[key] ?? null;
  const props = {
    kind: first.kind,
    subtype: pick('subtype'),
    name,
    aliases,
    referenceAliases,
    searchText: [name, ...aliases, ...referenceAliases].join(' | '),
    iso3166: pick('iso3166'),
    wikidata: pick('wikidata'),
    belongsTo: pick('belongsTo'),
    definitions: defs.map((d) => JSON.stringify(d)),
    definedBy: defs.map((d) => d.source),
  };
  // The hash covers what readers see, not who defined it: a second source repeating a
  // definition changes only `definitions` (redefineEntities), not the entity's view.
  const { definitions: _definitions, definedBy: _definedBy, ...view } = props;
  return { id, kind: first.kind, belongsTo: props.belongsTo, props: { ...props, contentHash: hashOf(view) } };
}

/** The document's definition of each entity it declares. */
export function definitionsOf(doc: ValidDocument): Array<[string, EntityDefinition]> {
  return doc.entities.map((e) => [e.id, {
    source: doc.source.id,
    published: doc.source.published.latest,
    kind: e.kind,
    subtype: e.subtype ?? null,
    name: e.name,
    aliases: e.aliases,
    referenceAliases: e.reference?.aliases ?? [],
    iso3166: e.reference?.iso3166 ?? null,
    wikidata: e.reference?.wikidata ?? null,
    belongsTo: e.belongsTo ?? null,
  }]);
}

/** The source's claim of each fact of the document. */
export function claimsOf(doc: ValidDocument): Map<string, Claim> {
  const { source } = doc;
  return new Map(
    doc.facts.map((f) => [
      f.id,
      {
        source: source.id,
        publisher: source.publisher,
        published: source.published.latest,
        status: f.status,
        title: f.title ?? null,
        domains: [...f.domains].sort(),
        note: f.note ?? null,
        start: f.start ? { text: f.start.text, value: f.start.value, precision: f.start.precision, earliest: f.start.earliest, latest: f.start.latest } : null,
        end: f.end ? { text: f.end.text, value: f.end.value, precision: f.end.precision, earliest: f.end.earliest, latest: f.end.latest } : null,
      },
    ]),
  );
}

export function sourceRow(doc: ValidDocument): SourceRow {
  const { source } = doc;
  const props = {
    title: source.title,
    publisher: source.publisher,
    url: source.url,
    language: source.language,
    sha256: source.sha256,
    publishedText: source.published.text,
    publishedValue: source.published.value,
    publishedPrecision: source.published.precision,
    notes: JSON.stringify(source.notes),
    text: source.text,
    defines: doc.entities.map((e) => e.id),
    factCount: doc.facts.length,
    entityCount: new Set([...doc.entities.map((e) => e.id), ...doc.facts.flatMap((f) => [f.subject, f.object])]).size,
  };
  return {
    id: source.id,
    props: { ...props, contentHash: hashOf({ props, earliest: source.published.earliest, latest: source.published.latest }) },
    publishedEarliest: source.published.earliest,
    publishedLatest: source.published.latest,
  };
}

// ---------------------------------------------------------------------------------------------
// The plan

const tally = (): Tally => ({ created: 0, updated: 0, unchanged: 0, removed: 0 });

/**
 * The changes that bring the stored graph to what the sources say once `document` is the whole
 * statement of its source; with `document` null, once `sourceId` is removed (`dcg unload`).
 * Pure: `stored` must hold what StoredState says, read in the transaction that applies the plan.
 */
export function planChanges(stored: StoredState, document: ValidDocument | null, sourceId = document?.source.id ?? ''): Plan {
  const plan: Plan = {
    problems: [],
    sourceId,
    source: null,
    removeSource: false,
    entities: { create: [], update: [], redefine: [], remove: [], undefine: [] },
    facts: { create: [], update: [], remove: [] },
    claims: { create: [], update: [], remove: [] },
    evidence: { create: [], update: [], remove: [] },
    tally: { entities: tally(), facts: tally(), claims: tally(), evidence: tally() },
  };
  const file = document?.file ?? sourceId;
  const problem = (record: string, field: string, value: unknown, message: string) => plan.problems.push({ file, record, field, value, message });

  // The source itself.
  if (document) {
    const row = sourceRow(document);
    if (stored.source?.contentHash !== row.props.contentHash) plan.source = row;
  } else if (stored.source) {
    plan.removeSource = true;
  }

  // Entities: this source's definitions replace the ones it gave before.
  const newDefinitions = new Map(document ? definitionsOf(document) : []);
  const entityIds = new Set<string>([...newDefinitions.keys()]);
  for (const [id, e] of stored.entities) if (e.definitions.some((d) => d.source === sourceId)) entityIds.add(id);
  // Fact counts after the plan, for entities that may lose their last definition.
  const factDelta = new Map<string, number>();
  const entityRows = new Map<string, EntityRow | null>();
  for (const id of [...entityIds].sort()) {
    const before = stored.entities.get(id);
    const others = (before?.definitions ?? []).filter((d) => d.source !== sourceId);
    const mine = newDefinitions.get(id);
    for (const other of others) {
      if (!mine) break;
      if (other.kind !== mine.kind) {
        problem(`entity ${id}`, 'kind', mine.kind, `conflicts with source ${other.source}, which defines ${id} as ${other.kind}`);
      }
      if (other.belongsTo !== null && mine.belongsTo !== null && other.belongsTo !== mine.belongsTo) {
        problem(`entity ${id}`, 'belongsTo', mine.belongsTo, `conflicts with source ${other.source}, which gives ${id} to ${other.belongsTo}`);
      }
    }
    const definitions = mine ? [...others, mine] : others;
    entityRows.set(id, definitions.length > 0 ? entityRow(id, definitions) : null);
  }

  // References to entities the document does not define must be to stored entities.
  if (document) {
    const defined = new Set(document.entities.map((e) => e.id));
    const check = (record: string, field: string, id: string) => {
      if (!defined.has(id) && !stored.entities.has(id)) problem(record, field, id, 'is not an entity declared in this document or in the graph');
    };
    for (const e of document.entities) if (e.belongsTo) check(`entity ${e.id}`, 'belongsTo', e.belongsTo);
    for (const f of document.facts) for (const end of ['subject', 'object'] as const) check(`fact ${f.id}`, end, f[end]);
  }

  // Claims, facts and evidence.
  const claims = document ? claimsOf(document) : new Map<string, Claim>();
  const docFacts = new Map((document?.facts ?? []).map((f) => [f.id, f]));
  const factIds = new Set<string>([...docFacts.keys()]);
  for (const [id, f] of stored.facts) if (f.claims.some((c) => c.source === sourceId)) factIds.add(id);
  const evidenceByFact = new Map<string, Array<{ id: string; props: Record<string, unknown> }>>();
  for (const f of document?.facts ?? []) {
    evidenceByFact.set(
      f.id,
      f.evidence.map((e) => {
        const props = { quote: e.quote, start: e.start, end: e.end };
        return { id: e.id, props: { ...props, contentHash: hashOf(props) } };
      }),
    );
  }
  for (const id of factIds) {
    const before = stored.facts.get(id);
    const input = docFacts.get(id);
    const mine = claims.get(id);
    const others: Claim[] = (before?.claims ?? []).filter((c) => c.source !== sourceId);
    const storedMine = before?.claims.find((c) => c.source === sourceId);
    const identity = input
      ? { id, type: input.type, subject: input.subject, object: input.object, role: input.role ?? null }
      : { id, type: before!.type, subject: before!.subject, object: before!.object, role: before!.role };

    // The claim.
    let claimRow: ClaimRow | null = null;
    if (mine) {
      claimRow = { fact: id, source: sourceId, props: claimProps(mine) };
      if (!storedMine) {
        if (before) plan.claims.create.push(claimRow);
        plan.tally.claims.created += 1;
      } else if (storedMine.contentHash !== claimRow.props.contentHash) {
        plan.claims.update.push(claimRow);
        plan.tally.claims.updated += 1;
      } else plan.tally.claims.unchanged += 1;
    } else if (storedMine) {
      plan.claims.remove.push({ fact: id, source: sourceId });
      plan.tally.claims.removed += 1;
    }

    // The fact's view, from every claim it now has.
    const all = mine ? [...others, mine] : others;
    if (all.length === 0) {
      if (before) {
        plan.facts.remove.push({ id, type: before.type });
        plan.tally.facts.removed += 1;
        for (const end of [before.subject, before.object]) factDelta.set(end, (factDelta.get(end) ?? 0) - 1);
      }
      continue;
    }
    const row = factRow(identity, all);
    if (!before) {
      plan.facts.create.push({ ...row, claim: claimRow!, evidence: evidenceByFact.get(id) ?? [] });
      plan.tally.facts.created += 1;
      for (const end of [row.subject, row.object]) factDelta.set(end, (factDelta.get(end) ?? 0) + 1);
    } else if (before.contentHash !== row.props.contentHash) {
      plan.facts.update.push(row);
      plan.tally.facts.updated += 1;
    } else plan.tally.facts.unchanged += 1;
  }

  // Evidence of the source: new facts carry theirs; the rest is created, updated or removed here.
  const createdFacts = new Set(plan.facts.create.map((f) => f.id));
  const givenEvidence = new Set<string>();
  for (const [fact, list] of evidenceByFact) {
    for (const e of list) {
      givenEvidence.add(e.id);
      const before = stored.evidence.get(e.id);
      if (before === undefined) {
        if (!createdFacts.has(fact)) plan.evidence.create.push({ id: e.id, fact, source: sourceId, props: e.props });
        plan.tally.evidence.created += 1;
      } else if (before !== e.props.contentHash) {
        plan.evidence.update.push({ id: e.id, fact, source: sourceId, props: e.props });
        plan.tally.evidence.updated += 1;
      } else plan.tally.evidence.unchanged += 1;
    }
  }
  for (const id of stored.evidence.keys()) {
    if (!givenEvidence.has(id)) {
      plan.evidence.remove.push(id);
      plan.tally.evidence.removed += 1;
    }
  }

  // Entities: written once their definitions are known; removed when no source defines them
  // and no fact is left about them.
  for (const [id, row] of entityRows) {
    const before = stored.entities.get(id);
    if (row === null) {
      const facts = (before?.facts ?? 0) + (factDelta.get(id) ?? 0);
      if (before && facts <= 0) {
        plan.entities.remove.push(id);
        plan.tally.entities.removed += 1;
      } else if (before) {
        // Still stated by other sources' facts: kept as it was, with no definition left.
        plan.entities.undefine.push(id);
        plan.tally.entities.updated += 1;
      }
      continue;
    }
    if (!before) {
      plan.entities.create.push(row);
      plan.tally.entities.created += 1;
    } else if (before.contentHash !== row.props.contentHash) {
      plan.entities.update.push(row);
      plan.tally.entities.updated += 1;
    } else if (before.definitions.map((d) => JSON.stringify(d)).join('\n') !== (row.props.definitions as string[]).join('\n')) {
      plan.entities.redefine.push(row);
      plan.tally.entities.updated += 1;
    } else plan.tally.entities.unchanged += 1;
  }
  // Any change rewrites the source, which gives it a new load stamp: the graph version
  // (src/db/version.ts) moves, and cached answers are dropped.
  if (document && plan.source === null && !isEmptyPlan(plan)) plan.source = sourceRow(document);
  return plan;
}

