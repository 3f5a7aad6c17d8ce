/**
 * Loading validated documents into Neo4j: constraints and indexes first, then each document in
 * one write transaction (all of it lands, or none of it). Inside it, the loader reads what is
 * stored (content hashes), then writes only the difference in batched UNWIND statements: new
 * nodes and relationships are created, changed ones updated, unchanged ones left alone, and the
 * source's evidence the document no longer gives is removed. A rerun changes nothing.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/executor';
import {
  createEntities,
  createEvidence,
  createFacts,
  deleteEvidence,
  pruneOrphanFacts,
  readStoredState,
  refreshInForce,
  updateEntities,
  updateEvidence,
  updateFacts,
  writeBelongsTo,
  writeSource,
  type EntityRow,
  type EvidenceRow,
  type FactRow,
  type NewFactRow,
} from '../db/ingest';
import { ensureSchema } from '../db/schema';
import { readDocument } from './read';
import { formatProblems, validateDocument, type Problem, type ValidDocument } from './validate';

/** Rows per statement: big enough that round trips do not count, small enough to keep each parameter list a few MB. */
const BATCH = 10_000;

export interface Tally {
  created: number;
  updated: number;
  unchanged: number;
}

export interface LoadReport {
  file: string;
  source: string;
  entities: Tally;
  facts: Tally;
  evidence: Tally;
  removed: { evidence: number; facts: number };
  relationshipsPerSecond: number;
  ms: number;
}

export class ValidationError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`${problems.length} problem(s); nothing was written:\n${formatProblems(problems)}`);
    this.name = 'ValidationError';
  }
}

function hashOf(value: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Turns a validated document into the rows the Cypher writes, each with its content hash. */
export interface Rows {
  entities: Array<EntityRow & { kind: string }>;
  facts: Array<FactRow & { type: string }>;
  evidence: EvidenceRow[];
}

export function toRows(doc: ValidDocument): Rows {
  const entities = doc.entities.map((e) => {
    const props = {
      kind: e.kind,
      subtype: e.subtype ?? null,
      name: e.name,
      aliases: e.aliases,
      referenceAliases: e.reference?.aliases ?? [],
      searchText: [e.name, ...e.aliases, ...(e.reference?.aliases ?? [])].join(' | '),
      iso3166: e.reference?.iso3166 ?? null,
      wikidata: e.reference?.wikidata ?? null,
      belongsTo: e.belongsTo ?? null,
    };
    return { id: e.id, kind: e.kind, belongsTo: e.belongsTo ?? null, props: { ...props, contentHash: hashOf(props) } };
  });
  const facts = doc.facts.map((f) => {
    const props = {
      type: f.type,
      subject: f.subject,
      object: f.object,
      status: f.status,
      role: f.role ?? null,
      title: f.title ?? null,
      domains: [...f.domains].sort(),
      note: f.note ?? null,
      startText: f.start?.text ?? null,
      startValue: f.start?.value ?? null,
      startPrecision: f.start?.precision ?? null,
      endText: f.end?.text ?? null,
      endValue: f.end?.value ?? null,
      endPrecision: f.end?.precision ?? null,
    };
    const dates = {
      startEarliest: f.start?.earliest ?? null,
      startLatest: f.start?.latest ?? null,
      endEarliest: f.end?.earliest ?? null,
      endLatest: f.end?.latest ?? null,
    };
    return {
      id: f.id,
      type: f.type,
      subject: f.subject,
      object: f.object,
      domains: props.domains,
      ...dates,
      props: { ...props, contentHash: hashOf({ props, dates, subject: f.subject, object: f.object }) },
    };
  });
  const evidence = doc.facts.flatMap((f) =>
    f.evidence.map((e) => {
      const props = { quote: e.quote, start: e.start, end: e.end };
      return { id: e.id, fact: f.id, source: e.source, props: { ...props, contentHash: hashOf(props) } };
    }),
  );
  return { entities, facts, evidence };
}

export type Progress = (message: string) => void;

type Change = 'created' | 'updated' | 'unchanged';

function changeOf(stored: Map<string, string>, id: string, hash: unknown): Change {
  const before = stored.get(id);
  if (before === undefined) return 'created';
  return before === hash ? 'unchanged' : 'updated';
}

export interface LoadOptions {
  /** toRows(doc), if already made. */
  rows?: Rows;
  /** Called once the commit is sent, while Neo4j works on it: loadFiles() prepares the next document then. */
  whileCommitting?: () => void;
}

export async function loadDocument(db: Db, doc: ValidDocument, progress: Progress = () => {}, options: LoadOptions = {}): Promise<LoadReport> {
  const started = performance.now();
  const rows = options.rows ?? toRows(doc);
  const { source } = doc;
  const sourceProps = {
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
  };

  const outcome = await db.inWriteTransaction(async (tx) => {
    // What is stored, read in this transaction, decides what to write and the tallies.
    const stored = await readStoredState(
      tx,
      source.id,
      rows.entities.map((r) => r.id),
      rows.facts.map((r) => r.id),
    );
    const entityChange = rows.entities.map((r) => changeOf(stored.entities, r.id, r.props.contentHash));
    const factChange = new Map(rows.facts.map((r) => [r.id, changeOf(stored.facts, r.id, r.props.contentHash)]));
    const evidenceChange = rows.evidence.map((r) => changeOf(stored.evidence, r.id, r.props.contentHash));

    await writeSource(tx, {
      id: source.id,
      props: sourceProps,
      publishedEarliest: source.published.earliest,
      publishedLatest: source.published.latest,
    });

    // Entities: create the new ones, update the changed ones (kind by kind: the label is part
    // of the statement), then their BELONGS_TO edges, once every entity exists.
    const newEntities = rows.entities.filter((_, i) => entityChange[i] === 'created');
    const changedEntities = rows.entities.filter((_, i) => entityChange[i] === 'updated');
    let done = 0;
    for (const [kind, group] of groupBy(newEntities, (r) => r.kind)) {
      for (const batch of chunks(group)) {
        await createEntities(tx, kind, batch);
        done += batch.length;
        progress(`entities ${done}/${newEntities.length + changedEntities.length}`);
      }
    }
    for (const [kind, group] of groupBy(changedEntities, (r) => r.kind)) {
      for (const batch of chunks(group)) {
        await updateEntities(tx, kind, batch);
        done += batch.length;
        progress(`entities ${done}/${newEntities.length + changedEntities.length}`);
      }
    }
    for (const batch of chunks(newEntities.filter((r) => r.belongsTo !== null))) await writeBelongsTo(tx, batch, false);
    for (const batch of chunks(changedEntities)) await writeBelongsTo(tx, batch, true);

    // Facts: new ones with all their links and evidence in one statement per batch; changed
    // ones updated. Then the evidence of facts that were already stored.
    const evidenceByFact = groupBy(rows.evidence, (r) => r.fact);
    const newFacts: Array<NewFactRow & { type: string }> = rows.facts
      .filter((r) => factChange.get(r.id) === 'created')
      .map((r) => ({ ...r, evidence: (evidenceByFact.get(r.id) ?? []).map((e) => ({ id: e.id, props: e.props })) }));
    const changedFacts = rows.facts.filter((r) => factChange.get(r.id) === 'updated');
    done = 0;
    for (const [type, group] of groupBy(newFacts, (r) => r.type)) {
      for (const batch of chunks(group)) {
        await createFacts(tx, type, source.id, batch);
        done += batch.length;
        progress(`facts ${done}/${newFacts.length + changedFacts.length}`);
      }
    }
    for (const [type, group] of groupBy(changedFacts, (r) => r.type)) {
      for (const batch of chunks(group)) {
        await updateFacts(tx, type, batch);
        done += batch.length;
        progress(`facts ${done}/${newFacts.length + changedFacts.length}`);
      }
    }
    const newEvidence = rows.evidence.filter((r) => factChange.get(r.fact) !== 'created' && !stored.evidence.has(r.id));
    const changedEvidence = rows.evidence.filter((_, i) => evidenceChange[i] === 'updated');
    for (const batch of chunks(newEvidence)) await createEvidence(tx, source.id, batch);
    for (const batch of chunks(changedEvidence)) await updateEvidence(tx, batch);

    // The source's evidence the document no longer gives, and facts left with none.
    const given = new Set(rows.evidence.map((r) => r.id));
    const dropped = [...stored.evidence.keys()].filter((id) => !given.has(id));
    const removed = { evidence: 0, facts: 0 };
    const touched: Array<{ id: string; type: string }> = [];
    for (const batch of chunks(dropped)) {
      const result = await deleteEvidence(tx, batch);
      removed.evidence += result.evidence;
      touched.push(...result.touchedFacts);
    }
    for (const [type, group] of groupBy(touched, (f) => f.type)) {
      for (const batch of chunks(group.map((f) => f.id))) removed.facts += await pruneOrphanFacts(tx, type, batch);
    }

    // When stored facts are in force may have moved: a changed start (updated facts), an
    // earlier first statement (new evidence, or this source re-dated), or a lost one (pruned).
    // New facts got theirs when they were created.
    const sourceRedated = stored.sourcePublishedLatest !== null && stored.sourcePublishedLatest !== source.published.latest;
    const refresh = new Map<string, string>();
    for (const r of rows.facts) {
      const change = factChange.get(r.id);
      if (change === 'updated' || (change === 'unchanged' && sourceRedated)) refresh.set(r.id, r.type);
    }
    const typeOf = new Map(rows.facts.map((r) => [r.id, r.type]));
    for (const r of newEvidence) refresh.set(r.fact, typeOf.get(r.fact) as string);
    for (const f of touched) refresh.set(f.id, f.type);
    for (const [type, group] of groupBy([...refresh], ([, t]) => t)) {
      for (const batch of chunks(group.map(([id]) => id))) await refreshInForce(tx, type, batch);
    }

    const count = (changes: Change[]): Tally => ({
      created: changes.filter((c) => c === 'created').length,
      updated: changes.filter((c) => c === 'updated').length,
      unchanged: changes.filter((c) => c === 'unchanged').length,
    });
    // The driver sends the commit as soon as this function returns, before this callback runs.
    if (options.whileCommitting) setImmediate(options.whileCommitting);
    return {
      entities: count(entityChange),
      facts: count([...factChange.values()]),
      evidence: count(evidenceChange),
      removed,
    };
  });

  const ms = performance.now() - started;
  // The relationships the document states: per fact SUBJECT, OBJECT, the direct edge and one
  // IN_DOMAIN per domain; per evidence EVIDENCED_BY and FROM_SOURCE; per entity its BELONGS_TO.
  const relationships =
    rows.facts.reduce((n, r) => n + 3 + r.domains.length, 0) +
    rows.evidence.length * 2 +
    rows.entities.filter((r) => r.belongsTo !== null).length;
  return {
    file: doc.file,
    source: source.id,
    ...outcome,
    relationshipsPerSecond: Math.round(relationships / (ms / 1000)),
    ms: Math.round(ms),
  };
}

/**
 * Validates every file first; if any has a problem, throws ValidationError listing all of them
 * and writes nothing. Otherwise loads them in order.
 */
export async function loadFiles(db: Db, files: string[], progress: Progress = () => {}): Promise<LoadReport[]> {
  const documents: ValidDocument[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const result = validateDocument(readDocument(file));
    if (result.ok) documents.push(result.document);
    else problems.push(...result.problems);
  }
  if (problems.length > 0) throw new ValidationError(problems);
  await ensureSchema(db);
  const reports: LoadReport[] = [];
  // Each document's rows are made while Neo4j commits the one before (the two cores overlap).
  let rows = documents.length > 0 ? toRows(documents[0]!) : undefined;
  for (let i = 0; i < documents.length; i += 1) {
    let next: Rows | undefined;
    const prepareNext = () => {
      if (i + 1 < documents.length) next ??= toRows(documents[i + 1]!);
    };
    reports.push(await loadDocument(db, documents[i]!, progress, { rows, whileCommitting: prepareNext }));
    prepareNext();
    rows = next;
  }
  return reports;
}
