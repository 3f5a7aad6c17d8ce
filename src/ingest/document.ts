/**
 * The shape of a source document: one source's metadata and text file, and the entities and
 * facts curated from it. seed/*.yaml follow it; so must every document given to `dcg load`.
 * This file checks shape only; validate.ts checks meaning (references, quotes, dates).
 */
import { z } from 'zod';
import { DOMAINS, ENTITY_KINDS, PRECISIONS, RELATION_TYPES, ROLES, STATUSES } from '../ontology';

/** Lower-case words joined by hyphens: stable, readable, safe in URLs and CSV. */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const id = z.string().regex(ID_PATTERN, 'must be lower-case words joined by hyphens, e.g. "belgian-navy"').max(80);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, YYYY-MM-DD');

export const partialDateSchema = z
  .object({
    /** The source's own wording, e.g. "early 2017". */
    text: z.string().min(1).max(200),
    /** The date as precisely as known: "2017", "2023-02" or "2024-03-25". */
    value: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD'),
    precision: z.enum(PRECISIONS),
    /** First and last day the date can mean. Derived for DAY, MONTH and YEAR; required for RANGE. */
    earliest: isoDay.optional(),
    latest: isoDay.optional(),
  })
  .strict();

export const evidenceSchema = z
  .object({
    /** Id of the document's own source: evidence quotes the text that travels with the document. */
    source: id,
    /** The exact words of the source, as they stand at [start, end). */
    quote: z.string().min(1).max(2000),
    /** Offsets in Unicode code points into the source text; end is exclusive. */
    start: z.number().int().nonnegative(),
    end: z.number().int().positive(),
  })
  .strict();

export const referenceSchema = z
  .object({
    iso3166: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code').optional(),
    wikidata: z.string().regex(/^Q\d+$/, 'must be a Wikidata item id such as Q37').optional(),
    /** Names in common use that the sources do not write (e.g. NATO's acronym "eFP"), for search. */
    aliases: z.array(z.string().min(1).max(200)).max(20).optional(),
  })
  .strict();

export const entitySchema = z
  .object({
    id,
    kind: z.enum(ENTITY_KINDS),
    subtype: z.string().regex(/^[A-Z_]+$/).optional(),
    name: z.string().min(1).max(200),
    /** Other names and acronyms exactly as the sources write them. */
    aliases: z.array(z.string().min(1).max(200)).max(50).default([]),
    /** Identifiers from reference datasets: not claims of any source. */
    reference: referenceSchema.optional(),
    /** The country or organisation the entity belongs to, when its name says so (Belgian Navy -> belgium). */
    belongsTo: id.optional(),
  })
  .strict();

export const factSchema = z
  .object({
    type: z.enum(RELATION_TYPES),
    subject: id,
    object: id,
    role: z.enum(ROLES).optional(),
    /** For HOLDS_POSITION: the position held, e.g. "Chief of Defence". */
    title: z.string().min(1).max(200).optional(),
    domains: z.array(z.enum(DOMAINS)).max(DOMAINS.length).default([]),
    status: z.enum(STATUSES),
    start: partialDateSchema.optional(),
    end: partialDateSchema.optional(),
    /** The curator's reading of the evidence, where it needs one. */
    note: z.string().max(1000).optional(),
    evidence: z.array(evidenceSchema).min(1, 'a fact needs at least one piece of evidence'),
  })
  .strict();

export const sourceSchema = z
  .object({
    id,
    title: z.string().min(1).max(500),
    publisher: z.string().min(1).max(500),
    url: z.url(),
    /** When it was published, as precisely as known. */
    published: partialDateSchema,
    language: z.string().regex(/^[a-z]{2}$/, 'must be an ISO 639-1 code'),
    /** The text file, relative to the document, kept byte for byte. */
    textFile: z.string().min(1),
    /** SHA-256 of the text file's bytes, in hex. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
    /** Anything else the publisher states about the document (photo credit, nature). */
    notes: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export const documentSchema = z
  .object({
    source: sourceSchema,
    entities: z.array(entitySchema).max(100_000),
    facts: z.array(factSchema).max(1_000_000),
  })
  .strict();

export type PartialDateInput = z.infer<typeof partialDateSchema>;
export type EvidenceInput = z.infer<typeof evidenceSchema>;
export type EntityInput = z.infer<typeof entitySchema>;
export type FactInput = z.infer<typeof factSchema>;
export type SourceInput = z.infer<typeof sourceSchema>;
export type DocumentInput = z.infer<typeof documentSchema>;

/**
 * The identity of a fact: the same type, subject, object and role from any source is the
 * same fact, and a second source adds evidence to it rather than a second relationship.
 */
export function factId(fact: Pick<FactInput, 'type' | 'subject' | 'object' | 'role'>): string {
  const parts = [fact.type.toLowerCase().replace(/_/g, '-'), fact.subject, fact.object];
  if (fact.role) parts.push(fact.role.toLowerCase());
  return `fact:${parts.join(':')}`;
}
