/**
 * Pure validation of a source document: shape (document.ts), then meaning: unique ids, known
 * references, subtypes that fit their kind, quotes found verbatim at their offsets, dates
 * well-formed and in order. Every problem is reported with its place; nothing touches a database.
 */
import crypto from 'node:crypto';
import { SUBTYPES } from '../ontology';
import type { KnownEntity } from '../db/ingest';
import { completeDate, type PartialDate } from './dates';
import { z } from 'zod';
import { entitySchema, factId, factSchema, sourceSchema, type EntityInput, type FactInput, type SourceInput } from './document';

/** The document's outline: its three parts, each record's shape checked on its own below. */
const DOCUMENT_KEYS = ['source', 'entities', 'facts', 'draft'];
const documentOutline = z.object({
  source: z.unknown(),
  entities: z.array(z.unknown()).max(100_000),
  facts: z.array(z.unknown()).max(1_000_000),
});

export interface Problem {
  file: string;
  /** The record the problem is in: "source", "entity <id>", "fact <id>", or "entities[3]". */
  record: string;
  /** Dotted path of the field inside the record. */
  field: string;
  value: unknown;
  message: string;
}

export interface Evidence {
  id: string;
  source: string;
  quote: string;
  start: number;
  end: number;
}

export interface Fact extends Omit<FactInput, 'start' | 'end' | 'evidence'> {
  id: string;
  start?: PartialDate;
  end?: PartialDate;
  evidence: Evidence[];
}

export interface Source extends Omit<SourceInput, 'published'> {
  published: PartialDate;
  text: string;
}

export interface ValidDocument {
  file: string;
  source: Source;
  entities: EntityInput[];
  facts: Fact[];
  /** Ids of entities the document uses but does not declare: another document or the graph must (crossCheck). */
  references: string[];
}

export interface RawDocument {
  file: string;
  /** The parsed YAML or JSON. */
  data: unknown;
  /** The source text file's bytes, or a reason it could not be read. */
  textBytes: Buffer | string;
  /** Set when the file is not valid YAML or JSON. */
  parseError?: string;
}

export type ValidationResult = { ok: true; document: ValidDocument } | { ok: false; problems: Problem[] };

export function evidenceId(fact: string, evidence: { source: string; start: number; end: number }): string {
  const digest = crypto.createHash('sha256').update(`${fact}|${evidence.source}|${evidence.start}|${evidence.end}`).digest('hex');
  return `evidence:${digest.slice(0, 24)}`;
}

/** A field path as the other messages write it: `evidence[0].start`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('');
}

function recordName(data: unknown, path: readonly PropertyKey[]): { record: string; field: string } {
  const [section, index, ...rest] = path;
  if (section === 'source') return { record: 'source', field: fieldPath(path.slice(1)) || '(record)' };
  if ((section === 'entities' || section === 'facts') && typeof index === 'number') {
    const item = (data as Record<string, unknown[]> | undefined)?.[section]?.[index] as Record<string, unknown> | undefined;
    let record = `${section}[${index}]`;
    if (section === 'entities' && typeof item?.id === 'string') record = `entity ${item.id}`;
    if (section === 'facts' && typeof item?.type === 'string' && typeof item.subject === 'string' && typeof item.object === 'string') {
      record = `fact ${factId(item as Pick<FactInput, 'type' | 'subject' | 'object' | 'role'>)}`;
    }
    return { record, field: fieldPath(rest) || '(record)' };
  }
  return { record: '(document)', field: fieldPath(path) || '(document)' };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** The problem of an id that names no entity; crossCheck() and validateDocument() say it alike. */
export const UNKNOWN_ENTITY = 'is not an entity declared in this document, in the other documents loaded with it, or in the graph';

/**
 * Validates one document. Ids it uses but does not declare are returned as `references`, for
 * crossCheck() against the other documents and the graph; with `isKnown`, they are checked here
 * instead, each problem reported at its place.
 */
export function validateDocument(raw: RawDocument, isKnown?: (id: string) => boolean): ValidationResult {
  const problems: Problem[] = [];
  const add = (record: string, field: string, value: unknown, message: string): void => {
    problems.push({ file: raw.file, record, field, value, message });
  };

  if (raw.parseError !== undefined) {
    add('(document)', '(document)', raw.file, `is not valid YAML or JSON: ${raw.parseError}`);
    return { ok: false, problems };
  }
  // Shape first, record by record, so that one malformed record does not hide the problems of
  // the others: every record that has its shape is then checked for meaning.
  if (raw.data !== null && typeof raw.data === 'object' && !Array.isArray(raw.data)) {
    const unknown = Object.keys(raw.data).filter((key) => !DOCUMENT_KEYS.includes(key));
    if (unknown.length > 0) {
      add('(document)', '(document)', unknown, `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => `"${k}"`).join(', ')}`);
    }
  }
  refuseDraft(raw.data, add);
  const outline = documentOutline.safeParse(raw.data);
  if (!outline.success) {
    for (const issue of outline.error.issues) {
      const { record, field } = recordName(raw.data, issue.path);
      const value = issue.code === 'unrecognized_keys' ? issue.keys : valueAt(raw.data, issue.path);
      add(record, field, value, issue.message);
    }
    return { ok: false, problems };
  }
  function shaped<T>(schema: z.ZodType<T>, value: unknown, at: Array<string | number>): T | undefined {
    const result = schema.safeParse(withoutReview(value));
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const path = [...at, ...issue.path];
      const { record, field } = recordName(raw.data, path);
      add(record, field, issue.code === 'unrecognized_keys' ? issue.keys : valueAt(raw.data, path), issue.message);
    }
    return undefined;
  }
  const sourceInput = shaped(sourceSchema, outline.data.source, ['source']);
  const entityInputs = outline.data.entities
    .map((entity, i) => shaped(entitySchema, entity, ['entities', i]))
    .filter((entity): entity is EntityInput => entity !== undefined);
  const factInputs = outline.data.facts
    .map((fact, i) => shaped(factSchema, fact, ['facts', i]))
    .filter((fact): fact is FactInput => fact !== undefined);
  // Ids of entities that lost their shape still count as declared: no knock-on problems.
  const declaredIds = new Set(
    outline.data.entities.map((e) => (e as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string'),
  );
  const sourceId = typeof (outline.data.source as { id?: unknown } | null)?.id === 'string' ? (outline.data.source as { id: string }).id : undefined;

  const source = checkSource(raw, sourceInput);
  problems.push(...source.problems);
  const known = isKnown ? (id: string) => declaredIds.has(id) || isKnown(id) : undefined;
  problems.push(...checkEntities(raw.file, entityInputs, known));
  const facts = checkFacts(raw.file, factInputs, sourceId, source.text, known);
  problems.push(...facts.problems);
  const references = [
    ...new Set([
      ...entityInputs.flatMap((e) => (e.belongsTo && !declaredIds.has(e.belongsTo) ? [e.belongsTo] : [])),
      ...facts.facts.flatMap((f) => [f.subject, f.object].filter((id) => !declaredIds.has(id))),
    ]),
  ].sort();
  const published = source.published;
  const text = source.text?.text ?? '';

  if (problems.length > 0 || !sourceInput || !published) return { ok: false, problems };
  return {
    ok: true,
    document: { file: raw.file, source: { ...sourceInput, published, text }, entities: entityInputs, facts: facts.facts, references },
  };
}

type Add = (record: string, field: string, value: unknown, message: string) => void;

function collector(file: string): { problems: Problem[]; add: Add } {
  const problems: Problem[] = [];
  return { problems, add: (record, field, value, message) => problems.push({ file, record, field, value, message }) };
}

interface SourceText {
  text: string;
  codePoints: string[];
}

/**
 * The source and its text. Without a readable UTF-8 text (reported once here), evidence
 * offsets and quotes cannot be checked, so checkFacts() does not report them one by one.
 */
export function checkSource(raw: RawDocument, sourceInput: SourceInput | undefined): { problems: Problem[]; published?: PartialDate; text?: SourceText } {
  const { problems, add } = collector(raw.file);
  let text: SourceText | undefined;
  let published: PartialDate | undefined;
  if (sourceInput) {
    if (typeof raw.textBytes === 'string') {
      add('source', 'textFile', sourceInput.textFile, raw.textBytes);
    } else {
      const sha256 = crypto.createHash('sha256').update(raw.textBytes).digest('hex');
      if (sha256 !== sourceInput.sha256) {
        add('source', 'sha256', sourceInput.sha256, `does not match the text file, whose SHA-256 is ${sha256}`);
      }
      try {
        const decoded = new TextDecoder('utf-8', { fatal: true }).decode(raw.textBytes);
        text = { text: decoded, codePoints: Array.from(decoded) };
      } catch {
        add('source', 'textFile', sourceInput.textFile, 'is not valid UTF-8');
      }
    }
    const completed = completeDate(sourceInput.published);
    if (Array.isArray(completed)) for (const p of completed) add('source', `published.${p.field}`, p.value, p.message);
    else published = completed;
  }
  return { problems, published, text };
}

/** Entities: unique ids, subtypes that fit the kind, reference data that fits, no repeated alias. */
export function checkEntities(file: string, entityInputs: EntityInput[], isKnown?: (id: string) => boolean): Problem[] {
  const { problems, add } = collector(file);
  const entityIds = new Set<string>();
  for (const entity of entityInputs) {
    const record = `entity ${entity.id}`;
    if (entityIds.has(entity.id)) add(record, 'id', entity.id, 'is declared more than once');
    entityIds.add(entity.id);
    if (entity.subtype && !SUBTYPES[entity.kind].includes(entity.subtype)) {
      add(record, 'subtype', entity.subtype, `is not a subtype of ${entity.kind}; allowed: ${SUBTYPES[entity.kind].join(', ')}`);
    }
    if (entity.reference?.iso3166 && entity.kind !== 'Country') {
      add(record, 'reference.iso3166', entity.reference.iso3166, 'is only for entities of kind Country');
    }
    if (new Set(entity.aliases).size !== entity.aliases.length) {
      add(record, 'aliases', entity.aliases, 'lists an alias more than once');
    }
  }
  if (isKnown) {
    for (const entity of entityInputs) {
      if (entity.belongsTo && !isKnown(entity.belongsTo)) add(`entity ${entity.id}`, 'belongsTo', entity.belongsTo, UNKNOWN_ENTITY);
    }
  }
  return problems;
}

/** Facts: one record per fact, quotes at their offsets, dates in order, fields that fit the type. */
export function checkFacts(
  file: string,
  factInputs: FactInput[],
  sourceId: string | undefined,
  source: SourceText | undefined,
  isKnown?: (id: string) => boolean,
): { problems: Problem[]; facts: Fact[] } {
  const { problems, add } = collector(file);
  const textKnown = source !== undefined;
  const text = source?.text ?? '';
  const codePoints = source?.codePoints ?? [];
  const facts: Fact[] = [];
  const factIds = new Set<string>();
  factInputs.forEach((input) => {
    const id = factId(input);
    const record = `fact ${id}`;
    if (factIds.has(id)) add(record, '(record)', id, 'states the same fact twice; give one record with several pieces of evidence');
    factIds.add(id);
    if (isKnown) for (const end of ['subject', 'object'] as const) if (!isKnown(input[end])) add(record, end, input[end], UNKNOWN_ENTITY);
    if (input.subject === input.object) add(record, 'object', input.object, 'is the same entity as the subject');
    if (input.title && input.type !== 'HOLDS_POSITION') add(record, 'title', input.title, 'is only for HOLDS_POSITION facts');
    if (input.type === 'HOLDS_POSITION' && !input.title) add(record, 'title', input.title, 'is required for HOLDS_POSITION facts');
    if (new Set(input.domains).size !== input.domains.length) add(record, 'domains', input.domains, 'lists a domain more than once');

    const dates: { start?: PartialDate; end?: PartialDate } = {};
    for (const which of ['start', 'end'] as const) {
      const given = input[which];
      if (!given) continue;
      const completed = completeDate(given);
      if (Array.isArray(completed)) for (const p of completed) add(record, `${which}.${p.field}`, p.value, p.message);
      else dates[which] = completed;
    }
    if (dates.start && dates.end && dates.start.earliest > dates.end.latest) {
      add(record, 'start', dates.start.text, `is after the end (${dates.end.text})`);
    }
    if (input.status === 'ENDED' && !input.end) add(record, 'end', undefined, 'is required when status is ENDED');

    const evidence: Evidence[] = [];
    const evidenceKeys = new Set<string>();
    input.evidence.forEach((piece, i) => {
      const field = `evidence[${i}]`;
      if (piece.source !== sourceId) {
        add(record, `${field}.source`, piece.source, `must be this document's source (${sourceId})`);
        return;
      }
      const key = `${piece.start}:${piece.end}`;
      if (evidenceKeys.has(key)) add(record, field, key, 'repeats another piece of evidence');
      evidenceKeys.add(key);
      if (piece.end <= piece.start) {
        add(record, `${field}.end`, piece.end, `must be greater than start (${piece.start})`);
      } else if (!textKnown) {
        // Nothing to check the offsets against.
      } else if (piece.end > codePoints.length) {
        add(record, `${field}.end`, piece.end, `is past the end of the source text (${codePoints.length} characters)`);
      } else {
        const found = codePoints.slice(piece.start, piece.end).join('');
        if (found !== piece.quote) {
          const at = text.indexOf(piece.quote);
          const hint = at < 0 ? 'the quote does not occur in the text' : `the quote occurs at ${Array.from(text.slice(0, at)).length}`;
          add(record, `${field}.quote`, piece.quote, `is not the text at ${piece.start}..${piece.end} (${JSON.stringify(found.slice(0, 60))}); ${hint}`);
        }
      }
      evidence.push({ id: evidenceId(id, piece), ...piece });
    });
    const { start: _start, end: _end, evidence: _evidence, ...rest } = input;
    facts.push({ ...rest, ...dates, id, evidence });
  });

  return { problems, facts };
}

/**
 * A draft from `dcg extract` is refused until a person has reviewed it: its top-level `draft`
 * mark, and the `review` each proposal carries until it is accepted, are problems here, so that
 * `dcg validate` and `dcg load` say what is left to review and nothing machine-proposed is loaded.
 */
function refuseDraft(data: unknown, add: (record: string, field: string, value: unknown, message: string) => void): void {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return;
  const doc = data as Record<string, unknown>;
  const pending = (['entities', 'facts'] as const).flatMap((section) =>
    (Array.isArray(doc[section]) ? (doc[section] as unknown[]) : []).map((item, i) => ({ section, item, i })).filter(({ item }) => hasReview(item)),
  );
  if ('draft' in doc) {
    add('(document)', 'draft', doc.draft, `marks an unreviewed draft made by \`dcg extract\` (${pending.length} proposal(s) still carry \`review\`): review every entity and fact, then delete the \`draft\` mark`);
  }
  for (const { section, item, i } of pending) {
    const { record } = recordName(data, [section, i]);
    add(record, 'review', (item as { review: unknown }).review, 'is a machine proposal not yet accepted: delete `review` to accept it, or edit or delete the record');
  }
}

function hasReview(item: unknown): boolean {
  return item !== null && typeof item === 'object' && !Array.isArray(item) && 'review' in item;
}

/** The record without its `review` (reported by refuseDraft), so its shape is checked as the reviewer will leave it. */
function withoutReview(value: unknown): unknown {
  if (!hasReview(value)) return value;
  const { review: _review, ...rest } = value as Record<string, unknown>;
  return rest;
}

/** One line per problem, for terminals and logs. */
export function formatProblems(problems: Problem[]): string {
  return problems
    .map((p) => `${p.file}: ${p.record}: ${p.field} = ${JSON.stringify(p.value)}: ${p.message}`)
    .join('\n');
}

export type { KnownEntity };

export interface CrossCheck {
  problems: Problem[];
  /** The documents in an order where each comes after those defining entities it uses. */
  order: ValidDocument[];
  /** References neither the documents nor the graph could confirm, because no graph was reachable. */
  unchecked: Array<{ file: string; id: string }>;
}

/**
 * Checks documents against each other and against the graph (when `graph` is given): every
 * entity a document uses but does not declare must be declared by another document of the
 * same load or be in the graph; an entity declared by several sources must have one kind and
 * one owner, and a problem names both sources when it does not.
 */
export function crossCheck(documents: ValidDocument[], graph: Map<string, KnownEntity> | null): CrossCheck {
  const problems: Problem[] = [];
  const unchecked: Array<{ file: string; id: string }> = [];
  const declaredBy = new Map<string, Array<{ doc: ValidDocument; kind: string; belongsTo: string | null }>>();
  for (const doc of documents) {
    for (const e of doc.entities) {
      const list = declaredBy.get(e.id) ?? [];
      list.push({ doc, kind: e.kind, belongsTo: e.belongsTo ?? null });
      declaredBy.set(e.id, list);
    }
  }
  for (const doc of documents) {
    const add = (record: string, field: string, value: unknown, message: string) => problems.push({ file: doc.file, record, field, value, message });
    for (const e of doc.entities) {
      const others = [
        ...(declaredBy.get(e.id) ?? []).filter((d) => d.doc !== doc).map((d) => ({ source: d.doc.source.id, kind: d.kind, belongsTo: d.belongsTo })),
        ...(graph?.get(e.id)?.definitions ?? []).filter((d) => d.source !== doc.source.id && !documents.some((x) => x.source.id === d.source)),
      ];
      for (const other of others) {
        if (other.kind !== e.kind) add(`entity ${e.id}`, 'kind', e.kind, `conflicts with source ${other.source}, which defines ${e.id} as ${other.kind}`);
        if (other.belongsTo !== null && e.belongsTo && other.belongsTo !== e.belongsTo) {
          add(`entity ${e.id}`, 'belongsTo', e.belongsTo, `conflicts with source ${other.source}, which gives ${e.id} to ${other.belongsTo}`);
        }
      }
    }
    for (const id of doc.references) {
      if (declaredBy.has(id) || graph?.has(id)) continue;
      if (graph === null) {
        unchecked.push({ file: doc.file, id });
        continue;
      }
      const uses = [
        ...doc.entities.filter((e) => e.belongsTo === id).map((e) => ({ record: `entity ${e.id}`, field: 'belongsTo' })),
        ...doc.facts.flatMap((f) => (['subject', 'object'] as const).filter((end) => f[end] === id).map((field) => ({ record: `fact ${f.id}`, field }))),
      ];
      for (const use of uses) add(use.record, use.field, id, UNKNOWN_ENTITY);
    }
  }

  // Definers before users; documents keep their given order otherwise.
  const order: ValidDocument[] = [];
  const placed = new Set<ValidDocument>();
  const visiting = new Set<ValidDocument>();
  const place = (doc: ValidDocument): void => {
    if (placed.has(doc)) return;
    if (visiting.has(doc)) {
      problems.push({ file: doc.file, record: '(document)', field: 'references', value: doc.source.id, message: 'uses entities of a document that uses entities it declares: load them together as one document, or declare the entities in both' });
      return;
    }
    visiting.add(doc);
    for (const id of doc.references) for (const d of declaredBy.get(id) ?? []) if (d.doc !== doc) place(d.doc);
    visiting.delete(doc);
    placed.add(doc);
    order.push(doc);
  };
  for (const doc of documents) place(doc);
  return { problems, order, unchecked };
}
