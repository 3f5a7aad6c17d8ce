/**
 * Loading validated documents into Neo4j: constraints and indexes first, then each document in
 * one write transaction (all of it lands, or none of it), MERGE on ids so a rerun changes nothing.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/executor';
import {
  pruneSource,
  refreshInForce,
  storedHashes,
  writeEntities,
  writeBelongsTo,
  writeEvidence,
  writeFacts,
  writeSource,
  type EntityRow,
  type EvidenceRow,
  type FactRow,
} from '../db/ingest';
import { ensureSchema } from '../db/schema';
import { readDocument } from './read';
import { formatProblems, validateDocument, type Problem, type ValidDocument } from './validate';

const BATCH = 2000;

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

function tally(ids: string[], hashes: Map<string, string>, stored: Map<string, string>): Tally {
  const result: Tally = { created: 0, updated: 0, unchanged: 0 };
  for (const id of ids) {
    const before = stored.get(id);
    if (before === undefined) result.created += 1;
    else if (before === hashes.get(id)) result.unchanged += 1;
    else result.updated += 1;
  }
  return result;
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
export function toRows(doc: ValidDocument): { entities: Array<EntityRow & { kind: string }>; facts: Array<FactRow & { type: string }>; evidence: EvidenceRow[] } {
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

export async function loadDocument(db: Db, doc: ValidDocument, progress: Progress = () => {}): Promise<LoadReport> {
  const started = performance.now();
  const rows = toRows(doc);
  const [entityHashes, factHashes, evidenceHashes] = await Promise.all([
    storedHashes(db, 'Entity', rows.entities.map((r) => r.id)),
    storedHashes(db, 'Fact', rows.facts.map((r) => r.id)),
    storedHashes(db, 'Evidence', rows.evidence.map((r) => r.id)),
  ]);
  const own = (items: Array<{ id: string; props: Record<string, unknown> }>) =>
    new Map(items.map((item) => [item.id, item.props.contentHash as string]));

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

  const removed = await db.inWriteTransaction(async (tx) => {
    await writeSource(tx, {
      id: source.id,
      props: sourceProps,
      publishedEarliest: source.published.earliest,
      publishedLatest: source.published.latest,
    });
    let done = 0;
    for (const [kind, group] of groupBy(rows.entities, (r) => r.kind)) {
      for (const batch of chunks(group)) {
        await writeEntities(tx, kind, batch);
        done += batch.length;
        progress(`entities ${done}/${rows.entities.length}`);
      }
    }
    for (const batch of chunks(rows.entities)) await writeBelongsTo(tx, batch);
    done = 0;
    for (const [type, group] of groupBy(rows.facts, (r) => r.type)) {
      for (const batch of chunks(group)) {
        await writeFacts(tx, type, batch);
        done += batch.length;
        progress(`facts ${done}/${rows.facts.length}`);
      }
    }
    done = 0;
    for (const batch of chunks(rows.evidence)) {
      await writeEvidence(tx, batch);
      done += batch.length;
      progress(`evidence ${done}/${rows.evidence.length}`);
    }
    const pruned = await pruneSource(tx, source.id, rows.evidence.map((r) => r.id));
    // The document's facts, and facts of other sources that lost this source's evidence.
    const refresh = new Set([...rows.facts.map((r) => r.id), ...pruned.touchedFacts]);
    for (const batch of chunks([...refresh])) await refreshInForce(tx, batch);
    return { evidence: pruned.evidence, facts: pruned.facts };
  });

  const ms = performance.now() - started;
  // Each fact is three relationships (subject, object, direct edge); each evidence two.
  const relationships = rows.facts.length * 3 + rows.evidence.length * 2;
  return {
    file: doc.file,
    source: source.id,
    entities: tally(rows.entities.map((r) => r.id), own(rows.entities), entityHashes),
    facts: tally(rows.facts.map((r) => r.id), own(rows.facts), factHashes),
    evidence: tally(rows.evidence.map((r) => r.id), own(rows.evidence), evidenceHashes),
    removed,
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
  for (const doc of documents) reports.push(await loadDocument(db, doc, progress));
  return reports;
}
