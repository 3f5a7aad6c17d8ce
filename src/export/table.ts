/**
 * The columns every export format shares: one flat row per entity (node) and per fact (edge),
 * lists joined into one text, so GraphML keys, CSV headers and their order agree.
 */
import type { ExportFactRecord } from '../db/export';
import type { EntityRecord } from '../db/records';

export interface Column<T> {
  name: string;
  value(row: T): string | null;
}

/** Separator of list values (aliases, domains) inside one field. */
export const LIST_SEPARATOR = ';';
/** Separator of evidence quotes, and of their sources, inside one field. */
export const EVIDENCE_SEPARATOR = ' | ';

const joined = (values: readonly string[] | null | undefined): string | null => (values && values.length > 0 ? values.join(LIST_SEPARATOR) : null);

export const NODE_COLUMNS: ReadonlyArray<Column<EntityRecord>> = [
  { name: 'id', value: (e) => e.id },
  { name: 'kind', value: (e) => e.kind },
  { name: 'subtype', value: (e) => e.subtype },
  { name: 'name', value: (e) => e.name },
  { name: 'aliases', value: (e) => joined(e.aliases) },
  { name: 'referenceAliases', value: (e) => joined(e.referenceAliases) },
  { name: 'iso3166', value: (e) => e.iso3166 },
  { name: 'wikidata', value: (e) => e.wikidata },
  { name: 'belongsTo', value: (e) => e.belongsTo },
];

/** Evidence fields are aligned: the n-th quote comes from the n-th source id and url. */
export const EDGE_COLUMNS: ReadonlyArray<Column<ExportFactRecord>> = [
  { name: 'id', value: (f) => f.id },
  { name: 'source', value: (f) => f.subject },
  { name: 'target', value: (f) => f.object },
  { name: 'type', value: (f) => f.type },
  { name: 'status', value: (f) => f.status },
  { name: 'role', value: (f) => f.role },
  { name: 'title', value: (f) => f.title },
  { name: 'domains', value: (f) => joined(f.domains) },
  { name: 'startText', value: (f) => f.start?.text ?? null },
  { name: 'startPrecision', value: (f) => f.start?.precision ?? null },
  { name: 'startEarliest', value: (f) => f.start?.earliest ?? null },
  { name: 'startLatest', value: (f) => f.start?.latest ?? null },
  { name: 'endText', value: (f) => f.end?.text ?? null },
  { name: 'endPrecision', value: (f) => f.end?.precision ?? null },
  { name: 'endEarliest', value: (f) => f.end?.earliest ?? null },
  { name: 'endLatest', value: (f) => f.end?.latest ?? null },
  { name: 'inForceFrom', value: (f) => f.inForceFrom },
  { name: 'inForceUntil', value: (f) => f.inForceUntil },
  { name: 'note', value: (f) => f.note },
  { name: 'evidence', value: (f) => (f.evidence.length > 0 ? f.evidence.map((e) => e.quote).join(EVIDENCE_SEPARATOR) : null) },
  { name: 'evidenceSources', value: (f) => (f.evidence.length > 0 ? f.evidence.map((e) => e.source).join(EVIDENCE_SEPARATOR) : null) },
  { name: 'evidenceUrls', value: (f) => (f.evidence.length > 0 ? f.evidence.map((e) => e.url).join(EVIDENCE_SEPARATOR) : null) },
];
