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

/** Each column of an entity's projection, for the node bound to `v`. */
const ENTITY_COLUMNS: Record<keyof EntityRecord, (v: string) => string> = {
  id: () => '.id',
  kind: () => '.kind',
  subtype: () => '.subtype',
  name: () => '.name',
  iso3166: () => '.iso3166',
  wikidata: () => '.wikidata',
  belongsTo: () => '.belongsTo',
  aliases: (v) => `aliases: coalesce(${v}.aliases, [])`,
  referenceAliases: (v) => `referenceAliases: coalesce(${v}.referenceAliases, [])`,
};
const ALL_ENTITY_COLUMNS = Object.keys(ENTITY_COLUMNS) as Array<keyof EntityRecord>;

/**
 * Projection of an entity node bound to `n` (or to `v`): all of its columns, or only `columns`
 * (the query compiler's, src/db/compile, which reads what a selection needs), with `extra` map
 * entries after them.
 */
export function entityProjection(v: string, extra = '', columns: readonly (keyof EntityRecord)[] = ALL_ENTITY_COLUMNS): string {
  return `${v} { ${columns.map((c) => ENTITY_COLUMNS[c](v)).join(', ')}${extra} }`;
}

export const ENTITY_PROJECTION = entityProjection('n');

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

const partialDate = (v: string, which: 'start' | 'end') =>
  `${which}: CASE WHEN ${v}.${which}Value IS NULL THEN null ELSE { text: ${v}.${which}Text, value: ${v}.${which}Value,
    precision: ${v}.${which}Precision, earliest: toString(${v}.${which}Earliest), latest: toString(${v}.${which}Latest) } END`;

/** Each column of a fact's projection, for the node bound to `v`. */
const FACT_COLUMNS: Record<Exclude<keyof FactRecord, 'knownOn'>, (v: string) => string> = {
  id: () => '.id',
  type: () => '.type',
  subject: () => '.subject',
  object: () => '.object',
  role: () => '.role',
  title: () => '.title',
  status: () => '.status',
  note: () => '.note',
  domains: (v) => `domains: coalesce(${v}.domains, [])`,
  start: (v) => partialDate(v, 'start'),
  end: (v) => partialDate(v, 'end'),
  inForceFrom: (v) => `inForceFrom: toString(${v}.inForceFrom)`,
  inForceUntil: (v) => `inForceUntil: toString(${v}.inForceUntil)`,
};
export type FactColumn = keyof typeof FACT_COLUMNS;
const ALL_FACT_COLUMNS = Object.keys(FACT_COLUMNS) as FactColumn[];

/** Projection of a fact node bound to `f` (or to `v`): all of its columns or only `columns`, with `extra` map entries after them. */
export function factProjection(v: string, extra = '', columns: readonly FactColumn[] = ALL_FACT_COLUMNS): string {
  return `${v} { ${columns.map((c) => FACT_COLUMNS[c](v)).join(',\n  ')}${extra} }`;
}

export const FACT_PROJECTION = factProjection('f');

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

/** Each column of a source's projection, for the node bound to `v`. */
const SOURCE_COLUMNS: Record<keyof SourceRecord, (v: string) => string> = {
  id: () => '.id',
  title: () => '.title',
  url: () => '.url',
  publisher: () => '.publisher',
  language: () => '.language',
  sha256: () => '.sha256',
  text: () => '.text',
  notes: () => '.notes',
  factCount: () => '.factCount',
  entityCount: () => '.entityCount',
  published: (v) => `published: { text: ${v}.publishedText, value: ${v}.publishedValue, precision: ${v}.publishedPrecision,
    earliest: toString(${v}.publishedEarliest), latest: toString(${v}.publishedLatest) }`,
};
const ALL_SOURCE_COLUMNS = Object.keys(SOURCE_COLUMNS) as Array<keyof SourceRecord>;

/** Projection of a source node bound to `s` (or to `v`): all of its columns or only `columns`, with `extra` map entries after them. */
export function sourceProjection(v: string, extra = '', columns: ReadonlyArray<keyof SourceRecord> = ALL_SOURCE_COLUMNS): string {
  return `${v} { ${columns.map((c) => SOURCE_COLUMNS[c](v)).join(', ')}${extra} }`;
}

export const SOURCE_PROJECTION = sourceProjection('s');

export function column<T>(rows: Row[], name: string): T[] {
  return rows.map((row) => row[name] as T);
}
