/**
 * Writing an extraction as a draft document in the format `dcg validate` and `dcg load` read
 * (src/ingest/document.ts), with the draft mark at its top and `review: {rule, confidence}` on
 * every entity and fact. Validation refuses the mark and every `review` still present, so a
 * person accepts each proposal by deleting its `review` (or edits or deletes it), then removes
 * the mark.
 */
import crypto from 'node:crypto';
import YAML from 'yaml';
import type { EntityInput, FactInput, PartialDateInput, SourceInput } from '../ingest/document';
import { factId } from '../ingest/document';
import type { Extraction, ProposedEntity, Review } from './extract';
import { SourceText } from './text';

/** What a draft's top-level mark says; its presence is what validation refuses. */
export const DRAFT_MARK = {
  by: 'dcg extract',
  note: 'Machine-proposed: review every entry. Delete an entry\'s `review` to accept it, edit or delete it otherwise, then delete this `draft` mark.',
} as const;

export type DraftEntity = EntityInput & { review: Review };
export type DraftFact = FactInput & { review: Review };

export interface DraftDocument {
  draft: typeof DRAFT_MARK;
  source: SourceInput;
  entities: DraftEntity[];
  facts: DraftFact[];
}

/**
 * How a draft declares an entity the graph already holds. Today a document declares every
 * entity it uses, so a known entity is written out in full, with its graph id, name and aliases
 * (loading it again changes nothing but the aliases a reviewer accepts).
 */
function declareKnown(entity: ProposedEntity): DraftEntity {
  return declare(entity);
}

function declare(entity: ProposedEntity): DraftEntity {
  const reference = entity.reference && Object.keys(entity.reference).length > 0 ? { reference: entity.reference } : {};
  return {
    id: entity.id,
    kind: entity.kind,
    ...(entity.subtype ? { subtype: entity.subtype } : {}),
    name: entity.name,
    aliases: entity.aliases,
    ...reference,
    ...(entity.belongsTo ? { belongsTo: entity.belongsTo } : {}),
    review: entity.review,
  };
}

export interface SourceMeta {
  id: string;
  title: string;
  publisher: string;
  url: string;
  published: PartialDateInput;
  language: string;
  /** The text file, relative to where the draft is written. */
  textFile: string;
  notes?: Record<string, string>;
}

export function buildDraft(extraction: Extraction, text: string, bytes: Buffer, meta: SourceMeta): DraftDocument {
  const source = new SourceText(text);
  const sourceInput: SourceInput = {
    ...meta,
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    notes: meta.notes ?? {},
  };
  // Every entity the text names is declared, used by a fact or not: the reviewer sees them all.
  const entities = extraction.entities.map((e) => (e.origin === 'text' ? declare(e) : declareKnown(e)));

  const facts = new Map<string, DraftFact>();
  for (const f of extraction.facts) {
    const id = factId(f);
    const evidence = { source: meta.id, ...source.evidence(f.sentence.start, f.sentence.end) };
    const existing = facts.get(id);
    if (existing) {
      if (!existing.evidence.some((e) => e.start === evidence.start && e.end === evidence.end)) existing.evidence.push(evidence);
      // A status a cue states ("have agreed to") outweighs one no cue states (a headline's present tense).
      if (f.statusRule && !existing.review.rule.includes('+status.') && f.status !== existing.status) {
        existing.status = f.status;
        existing.review = { rule: `${f.rule}+${f.statusRule}`, confidence: f.confidence };
      }
      continue;
    }
    facts.set(id, {
      type: f.type,
      subject: f.subject,
      object: f.object,
      ...(f.role ? { role: f.role } : {}),
      ...(f.title ? { title: f.title } : {}),
      domains: f.domains,
      status: f.status,
      ...(f.start ? { start: f.start } : {}),
      ...(f.end ? { end: f.end } : {}),
      evidence: [evidence],
      review: { rule: f.statusRule ? `${f.rule}+${f.statusRule}` : f.rule, confidence: f.confidence },
    });
  }
  return { draft: DRAFT_MARK, source: sourceInput, entities, facts: [...facts.values()] };
}

/** The draft as YAML, one entity per line as the seed writes them, facts in blocks. */
export function draftYaml(draft: DraftDocument): string {
  const header = [
    '# Draft made by `dcg extract`: every entity and fact is a proposal with the rule that made it.',
    '# Review each one: delete its `review` to accept it, edit or delete it otherwise; then delete',
    '# the `draft` mark. `dcg validate` and `dcg load` refuse the document until then.',
    '',
  ].join('\n');
  const doc = new YAML.Document(draft, { aliasDuplicateObjects: false });
  YAML.visit(doc, {
    Map(_, node, path) {
      const parent = path[path.length - 1];
      const grand = path[path.length - 2];
      if (YAML.isSeq(parent) && YAML.isPair(grand) && YAML.isScalar(grand.key) && grand.key.value === 'entities') node.flow = true;
      if (YAML.isPair(parent) && YAML.isScalar(parent.key) && ['review', 'start', 'end', 'published'].includes(String(parent.key.value))) node.flow = true;
    },
    Seq(_, node, path) {
      const parent = path[path.length - 1];
      if (YAML.isPair(parent) && YAML.isScalar(parent.key) && ['domains', 'aliases'].includes(String(parent.key.value))) node.flow = true;
    },
  });
  return header + doc.toString({ lineWidth: 0 });
}
