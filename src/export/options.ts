/**
 * Export options, checked before any query. The CLI and the HTTP route name their options
 * differently (--as-of, asOf), so each failure carries the option's key and the adapter says
 * it in its own words: the option, the allowed values and the value given.
 */
import { DOMAINS, ENTITY_KINDS, STATUSES, type Domain, type EntityKind, type Status } from '../ontology';

export const EXPORT_FORMATS = ['graphml', 'json', 'csv-nodes', 'csv-edges'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  format: ExportFormat;
  /** Only facts in force on this day, YYYY-MM-DD (the API's as-of rule). */
  asOf?: string | null;
  /** With asOf: also the facts whose being in force that day is UNKNOWN (the API's includeUnknown). */
  includeUnknown?: boolean | string | null;
  /** Only facts in this domain (AIR, LAND, …). */
  domain?: string | null;
  /** Entity kinds to export (labels: Country, Unit); default every kind. */
  kinds?: string[] | null;
  /** Statuses of the facts to export; default ACTIVE and ENDED. */
  status?: string[] | null;
  /** When set, the JSON export's meta.exportedAt (left out otherwise, so exports compare). */
  exportedAt?: Date;
}

export type ExportOptionKey = 'format' | 'asOf' | 'includeUnknown' | 'domain' | 'kinds' | 'status';

export class ExportOptionError extends Error {
  constructor(
    readonly option: ExportOptionKey,
    readonly rule: string,
    readonly value: unknown,
    /** How the adapter names the option, e.g. "--as-of" or "asOf". */
    readonly optionName: string = option,
  ) {
    super(`Option ${optionName} ${rule}; got ${JSON.stringify(value)}.`);
    this.name = 'ExportOptionError';
  }
}

/** Raw values as an adapter receives them: strings, comma-separated lists, or repeated values; null or undefined for none. */
export interface RawExportOptions {
  format?: string | undefined;
  asOf?: string | null | undefined;
  /** A boolean (CLI flag) or the text true or false (HTTP). */
  includeUnknown?: boolean | string | null | undefined;
  domain?: string | null | undefined;
  kinds?: string | string[] | null | undefined;
  status?: string | string[] | null | undefined;
}

export interface CheckedExportOptions {
  format: ExportFormat;
  asOf: string | null;
  includeUnknown: boolean;
  domain: Domain | null;
  /** Labels, sorted; null for every kind. */
  kinds: EntityKind[] | null;
  status: Status[] | null;
}

function list(value: string | string[] | null | undefined): string[] {
  const parts = (Array.isArray(value) ? value : [value ?? '']).flatMap((v) => v.split(','));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Checks raw options; `names` maps each key to the name the user typed (default: the key).
 * Kinds are accepted in any case (country, COUNTRY, Country) and returned as labels.
 */
export function checkExportOptions(raw: RawExportOptions, names: Partial<Record<ExportOptionKey, string>> = {}): CheckedExportOptions {
  const fail = (option: ExportOptionKey, rule: string, value: unknown) => new ExportOptionError(option, rule, value, names[option] ?? option);
  const format = raw.format?.trim().toLowerCase();
  if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw fail('format', `must be one of ${EXPORT_FORMATS.join(', ')}`, raw.format ?? null);
  }
  const asOf = raw.asOf?.trim() || null;
  if (asOf !== null && !isDay(asOf)) throw fail('asOf', 'must be a calendar day written YYYY-MM-DD', raw.asOf);
  let includeUnknown = false;
  if (typeof raw.includeUnknown === 'boolean') includeUnknown = raw.includeUnknown;
  else if (typeof raw.includeUnknown === 'string') {
    const given = raw.includeUnknown.trim().toLowerCase();
    if (given !== 'true' && given !== 'false') throw fail('includeUnknown', 'must be true or false', raw.includeUnknown);
    includeUnknown = given === 'true';
  }
  const givenDomain = raw.domain?.trim().toUpperCase() || null;
  const domain = givenDomain === null ? null : (DOMAINS.find((d) => d === givenDomain) ?? null);
  if (givenDomain !== null && domain === null) {
    throw fail('domain', `must be one of ${DOMAINS.join(', ')}`, raw.domain);
  }
  let kinds: EntityKind[] | null = null;
  const kindList = list(raw.kinds);
  if (kindList.length > 0) {
    kinds = [];
    for (const given of kindList) {
      const kind = ENTITY_KINDS.find((k) => k.toLowerCase() === given.toLowerCase());
      if (!kind) throw fail('kinds', `takes a comma-separated list of ${ENTITY_KINDS.join(', ')}`, given);
      if (!kinds.includes(kind)) kinds.push(kind);
    }
    kinds.sort();
  }
  let status: Status[] | null = null;
  const statusList = list(raw.status);
  if (statusList.length > 0) {
    status = [];
    for (const given of statusList) {
      const value = STATUSES.find((s) => s === given.toUpperCase());
      if (!value) throw fail('status', `takes a comma-separated list of ${STATUSES.join(', ')}`, given);
      if (!status.includes(value)) status.push(value);
    }
    status.sort();
  }
  return { format: format as ExportFormat, asOf, includeUnknown, domain, kinds, status };
}
