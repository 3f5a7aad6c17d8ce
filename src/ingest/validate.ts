/**
 * Pure validation of a source document: shape (document.ts), then meaning: unique ids, known
 * references, subtypes that fit their kind, quotes found verbatim at their offsets, dates
 * well-formed and in order. Every problem is reported with its place; nothing touches a database.
 */
import crypto from 'node:crypto';
import { SUBTYPES } from '../ontology';
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

export function validateDocument(raw: RawDocument): ValidationResult {
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

  // The source and its text. Without a readable UTF-8 text (reported once here), evidence
  // offsets and quotes cannot be checked, so they are not reported one by one below.
  let text = '';
  let textKnown = false;
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
        text = new TextDecoder('utf-8', { fatal: true }).decode(raw.textBytes);
        textKnown = true;
      } catch {
        add('source', 'textFile', sourceInput.textFile, 'is not valid UTF-8');
      }
    }
    const completed = completeDate(sourceInput.published);
    if (Array.isArray(completed)) for (const p of completed) add('source', `published.${p.field}`, p.value, p.message);
    else published = completed;
  }
  const codePoints = Array.from(text);

  // Entities: unique ids, subtypes that fit the kind, known countries.
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
  for (const entity of entityInputs) {
    if (entity.belongsTo && !declaredIds.has(entity.belongsTo)) {
      add(`entity ${entity.id}`, 'belongsTo', entity.belongsTo, 'is not an entity declared in this document');
    }
  }

  // Facts: references, one record per fact, quotes at their offsets, dates in order.
  const facts: Fact[] = [];
  const factIds = new Set<string>();
  factInputs.forEach((input) => {
    const id = factId(input);
    const record = `fact ${id}`;
    if (factIds.has(id)) add(record, '(record)', id, 'states the same fact twice; give one record with several pieces of evidence');
    factIds.add(id);
    for (const end of ['subject', 'object'] as const) {
      if (!declaredIds.has(input[end])) add(record, end, input[end], 'is not an entity declared in this document');
    }
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

  if (problems.length > 0 || !sourceInput || !published) return { ok: false, problems };
  return {
    ok: true,
    document: { file: raw.file, source: { ...sourceInput, published, text }, entities: entityInputs, facts },
  };
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
