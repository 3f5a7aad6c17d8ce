/**
 * Loading validated documents into Neo4j: constraints and indexes first, then each document in
 * one write transaction (all of it lands, or none of it). Inside it the loader reads what is
 * stored, plans the difference without a database (planChanges, ./plan.ts), then applies it
 * (applyChanges): batched UNWIND statements for what is new, changed or gone, nothing for what
 * is unchanged. A rerun of an unchanged document writes nothing at all, not even a load stamp.
 * `dcg unload` is the same path with no document: the source's claims, evidence and definitions
 * go, the facts and entities they touched are derived again from what the other sources say.
 */
import type { Db } from '../db/executor';
import { AppError, ErrorCode } from '../errors';
import {
  createClaims,
  createEntities,
  createEvidence,
  createFacts,
  knownEntities,
  readStoredState,
  redefineEntities,
  removeClaims,
  removeEntities,
  removeEvidence,
  removeFacts,
  removeSource,
  undefineEntities,
  updateClaims,
  updateEntities,
  updateEvidence,
  updateFacts,
  writeBelongsTo,
  writeSource,
  type WriteTransaction,
} from '../db/ingest';
import { ensureSchema } from '../db/schema';
import { isEmptyPlan, planChanges, type Plan } from './plan';
import { readDocument } from './read';
import { crossCheck, formatProblems, validateDocument, type Problem, type ValidDocument } from './validate';

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
  claims: Tally;
  evidence: Tally;
  removed: { evidence: number; facts: number; claims: number; entities: number };
  /** False when the document was already loaded as it is: nothing was written. */
  wrote: boolean;
  relationshipsPerSecond: number;
  ms: number;
}

export class ValidationError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`${problems.length} problem(s); nothing was written:\n${formatProblems(problems)}`);
    this.name = 'ValidationError';
  }
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

export type Progress = (message: string) => void;

/**
 * The second half of a load: sends a plan to Neo4j in the transaction its stored state was
 * read in. Order matters: the source before its evidence, entities before the facts that name
 * them, facts removed before the entities they leave unnamed.
 */
export async function applyChanges(tx: WriteTransaction, plan: Plan, progress: Progress = () => {}): Promise<void> {
  if (plan.problems.length > 0) throw new ValidationError(plan.problems);
  if (plan.source) await writeSource(tx, plan.source);

  const { entities, facts, claims, evidence } = plan;
  let done = 0;
  const entityTotal = entities.create.length + entities.update.length;
  for (const batch of chunks(entities.create)) {
    await createEntities(tx, batch);
    done += batch.length;
    progress(`entities ${done}/${entityTotal}`);
  }
  for (const [kind, group] of groupBy(entities.update, (r) => r.kind)) {
    for (const batch of chunks(group)) {
      await updateEntities(tx, kind, batch);
      done += batch.length;
      progress(`entities ${done}/${entityTotal}`);
    }
  }
  for (const batch of chunks(entities.redefine)) await redefineEntities(tx, batch);
  for (const batch of chunks(entities.undefine)) await undefineEntities(tx, batch);
  for (const batch of chunks(entities.create.filter((r) => r.belongsTo !== null))) await writeBelongsTo(tx, batch, false);
  for (const batch of chunks(entities.update)) await writeBelongsTo(tx, batch, true);

  done = 0;
  const factTotal = facts.create.length + facts.update.length;
  for (const batch of chunks(facts.create)) {
    await createFacts(tx, plan.sourceId, batch);
    done += batch.length;
    progress(`facts ${done}/${factTotal}`);
  }
  for (const batch of chunks(claims.create)) await createClaims(tx, batch);
  for (const batch of chunks(claims.update)) await updateClaims(tx, batch);
  for (const batch of chunks(claims.remove)) await removeClaims(tx, batch);
  for (const [type, group] of groupBy(facts.update, (r) => r.type)) {
    for (const batch of chunks(group)) {
      await updateFacts(tx, type, batch);
      done += batch.length;
      progress(`facts ${done}/${factTotal}`);
    }
  }
  for (const batch of chunks(evidence.create)) await createEvidence(tx, plan.sourceId, batch);
  for (const batch of chunks(evidence.update)) await updateEvidence(tx, batch);
  for (const batch of chunks(evidence.remove)) await removeEvidence(tx, batch);
  for (const [type, group] of groupBy(facts.remove, (f) => f.type)) {
    for (const batch of chunks(group.map((f) => f.id))) await removeFacts(tx, type, batch);
  }
  for (const batch of chunks(entities.remove)) await removeEntities(tx, batch);
  if (plan.removeSource) await removeSource(tx, plan.sourceId);
}

function report(file: string, plan: Plan, started: number, relationships: number): LoadReport {
  const ms = performance.now() - started;
  const t = (x: Plan['tally']['facts']): Tally => ({ created: x.created, updated: x.updated, unchanged: x.unchanged });
  return {
    file,
    source: plan.sourceId,
    entities: t(plan.tally.entities),
    facts: t(plan.tally.facts),
    claims: t(plan.tally.claims),
    evidence: t(plan.tally.evidence),
    removed: {
      evidence: plan.tally.evidence.removed,
      facts: plan.tally.facts.removed,
      claims: plan.tally.claims.removed,
      entities: plan.tally.entities.removed,
    },
    wrote: !isEmptyPlan(plan),
    relationshipsPerSecond: Math.round(relationships / (ms / 1000)),
    ms: Math.round(ms),
  };
}

export interface LoadOptions {
  /** Called once the commit is sent, while Neo4j works on it: loadFiles() prepares the next document then. */
  whileCommitting?: () => void;
}

/**
 * A document whose one transaction needs more memory than Neo4j lets transactions take: named
 * with its size and what to do, since trying again alone fails alike. Nothing of it is written.
 */
function tooLargeForNeo4j(doc: ValidDocument, error: unknown): AppError | null {
  if (!(error instanceof AppError) || error.extensions.memoryLimit !== true) return null;
  const { limit, setting } = error.extensions as { limit?: string; setting?: string };
  const evidence = doc.facts.reduce((n, f) => n + f.evidence.length, 0);
  const allowed = limit && setting ? `Neo4j's limit of ${limit} (${setting})` : "Neo4j's transaction memory limit";
  return new AppError(
    ErrorCode.SERVICE_UNAVAILABLE,
    `${doc.file}: loading source ${JSON.stringify(doc.source.id)} (${doc.facts.length} facts, ${doc.entities.length} entities, ${evidence} evidence) in one transaction needs more memory than ${allowed}, and nothing of it was written. ` +
      'Give Neo4j a larger heap (NEO4J_LOCAL_HEAP_MB for the local one, whose transactions may take 70% of it), or split the document; then load it again.',
    { ...error.extensions, file: doc.file, source: doc.source.id, facts: doc.facts.length },
  );
}

export async function loadDocument(db: Db, doc: ValidDocument, progress: Progress = () => {}, options: LoadOptions = {}): Promise<LoadReport> {
  const started = performance.now();
  const entityIds = [...new Set([...doc.entities.map((e) => e.id), ...doc.entities.flatMap((e) => (e.belongsTo ? [e.belongsTo] : [])), ...doc.facts.flatMap((f) => [f.subject, f.object])])];
  const plan = await db
    .inWriteTransaction(async (tx) => {
      const stored = await readStoredState(tx, doc.source.id, entityIds, doc.facts.map((f) => f.id));
      const planned = planChanges(stored, doc);
      await applyChanges(tx, planned, progress);
      // The driver sends the commit as soon as this function returns, before this callback runs.
      if (options.whileCommitting) setImmediate(options.whileCommitting);
      return planned;
    })
    .catch((error: unknown) => {
      throw tooLargeForNeo4j(doc, error) ?? error;
    });
  // The relationships the document states: per fact SUBJECT, OBJECT, the direct edge, its claim
  // and one IN_DOMAIN per domain; per evidence EVIDENCED_BY and FROM_SOURCE; per entity its BELONGS_TO.
  const relationships =
    doc.facts.reduce((n, f) => n + 4 + f.domains.length + 2 * f.evidence.length, 0) + doc.entities.filter((e) => e.belongsTo).length;
  return report(doc.file, plan, started, relationships);
}

/**
 * Removes a source: its claims, evidence and entity definitions, atomically; the facts and
 * entities it touched are derived again from the other sources, and those no other source
 * states are removed. Throws when the graph has no such source.
 */
export async function unloadSource(db: Db, sourceId: string): Promise<LoadReport> {
  const started = performance.now();
  const plan = await db.inWriteTransaction(async (tx) => {
    const stored = await readStoredState(tx, sourceId, [], []);
    if (!stored.source) throw new ValidationError([{ file: sourceId, record: 'source', field: 'id', value: sourceId, message: 'is not a source in the graph' }]);
    const planned = planChanges(stored, null, sourceId);
    await applyChanges(tx, planned);
    return planned;
  });
  return report(sourceId, plan, started, 0);
}

/** Every id the documents declare or use. */
function idsOf(documents: ValidDocument[]): string[] {
  return [...new Set(documents.flatMap((d) => [...d.entities.map((e) => e.id), ...d.references]))];
}

/**
 * Checks the documents against each other and the graph (crossCheck); throws ValidationError
 * on a problem, else returns them in an order that loads definitions before their uses.
 */
export async function crossCheckWithGraph(db: Db, documents: ValidDocument[]): Promise<ValidDocument[]> {
  const result = crossCheck(documents, await knownEntities(db, idsOf(documents)));
  if (result.problems.length > 0) throw new ValidationError(result.problems);
  return result.order;
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
  const ordered = await crossCheckWithGraph(db, documents);
  const reports: LoadReport[] = [];
  for (const doc of ordered) reports.push(await loadDocument(db, doc, progress));
  return reports;
}
