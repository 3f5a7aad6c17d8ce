/**
 * The rows the data-access layer returns, and the Cypher projections that produce them, side
 * by side so that a renamed column breaks the build.
 */
import type { Domain, EntityKind, Precision, RelationType, Role, Status } from '../ontology';
import type { Row } from './executor';

export interface EntityRecord {
  id: string;
  kind: EntityKind;
  subtype: string | null;
  name: string;
  aliases: string[];
  referenceAliases: string[];
  iso3166: string | null;
  wikidata: string | null;
  belongsTo: string | null;
}

/** Projection of an entity node `n`. */
export const ENTITY_PROJECTION = `n { .id, .kind, .subtype, .name, .iso3166, .wikidata, .belongsTo,
  aliases: coalesce(n.aliases, []), referenceAliases: coalesce(n.referenceAliases, []) }`;

export interface PartialDateRecord {
  text: string;
  value: string;
  precision: Precision;
  earliest: string;
  latest: string;
}

export interface FactRecord {
  id: string;
  type: RelationType;
  subject: string;
  object: string;
  role: Role | null;
  title: string | null;
  status: Status;
  domains: Domain[];
  note: string | null;
  start: PartialDateRecord | null;
  end: PartialDateRecord | null;
  inForceFrom: string | null;
  inForceUntil: string | null;
  /** Set on a fact read with knownOn: its view as the sources published by that day told it. */
  knownOn?: string;
}

/** When a fact, or one source's claim of it, holds. */
export type ValidityRecord = Pick<FactRecord, 'start' | 'end' | 'inForceFrom' | 'inForceUntil'>;

/** One source's claim of a fact (src/claims.ts Claim), with its fact and when it holds by itself. */
export interface ClaimRecord {
  fact: string;
  source: string;
  publisher: string;
  published: string;
  status: Status;
  title: string | null;
  domains: Domain[];
  note: string | null;
  start: PartialDateRecord | null;
  end: PartialDateRecord | null;
  inForceFrom: string;
  inForceUntil: string | null;
}

/** Projection of a claim node `c`: its stored properties, mapped by claimRecord(). */
export const CLAIM_PROJECTION = 'properties(c)';

/** A claim's start or end as stored on it (`startText`, `startValue`, ...), or null when it has none. */
export function storedDate(props: Record<string, unknown>, which: 'start' | 'end'): PartialDateRecord | null {
  if (props[`${which}Value`] == null) return null;
  return {
    text: props[`${which}Text`] as string,
    value: props[`${which}Value`] as string,
    precision: props[`${which}Precision`] as Precision,
    earliest: props[`${which}Earliest`] as string,
    latest: props[`${which}Latest`] as string,
  };
}

export function claimRecord(props: Record<string, unknown>): ClaimRecord {
  const start = storedDate(props, 'start');
  const end = storedDate(props, 'end');
  return {
    fact: props.fact as string,
    source: props.source as string,
    publisher: props.publisher as string,
    published: props.published as string,
    status: props.status as Status,
    title: (props.title as string | null) ?? null,
    domains: (props.domains as Domain[] | null) ?? [],
    note: (props.note as string | null) ?? null,
    start,
    end,
    inForceFrom: start?.latest ?? (props.published as string),
    inForceUntil: end?.earliest ?? null,
  };
}

/** Projection of a fact node `f`. */
export const FACT_PROJECTION = `f { .id, .type, .subject, .object, .role, .title, .status, .note,
  domains: coalesce(f.domains, []),
  start: CASE WHEN f.startValue IS NULL THEN null ELSE { text: f.startText, value: f.startValue,
    precision: f.startPrecision, earliest: toString(f.startEarliest), latest: toString(f.startLatest) } END,
  end: CASE WHEN f.endValue IS NULL THEN null ELSE { text: f.endText, value: f.endValue,
    precision: f.endPrecision, earliest: toString(f.endEarliest), latest: toString(f.endLatest) } END,
  inForceFrom: toString(f.inForceFrom), inForceUntil: toString(f.inForceUntil) }`;

export interface EvidenceRecord {
  id: string;
  fact: string;
  quote: string;
  start: number;
  end: number;
  source: string;
}

export interface SourceRecord {
  id: string;
  title: string;
  url: string;
  publisher: string;
  language: string;
  sha256: string;
  text: string;
  published: PartialDateRecord;
  /** JSON object of the publisher's notes. */
  notes: string | null;
  factCount: number | null;
  entityCount: number | null;
}

export const SOURCE_PROJECTION = `s { .id, .title, .url, .publisher, .language, .sha256, .text, .notes, .factCount, .entityCount,
  published: { text: s.publishedText, value: s.publishedValue, precision: s.publishedPrecision,
    earliest: toString(s.publishedEarliest), latest: toString(s.publishedLatest) } }`;

export function column<T>(rows: Row[], name: string): T[] {
  return rows.map((row) => row[name] as T);
}
