/**
 * Checks on arguments, run before any Cypher. Each failure names the argument, the limit and
 * the value (BAD_USER_INPUT).
 */
import { badInput } from '../errors';
import { SUBTYPES } from '../ontology';

export const LIMITS = {
  first: { min: 1, max: 100 },
  maxHops: { min: 1, max: 6 },
  searchText: { min: 1, max: 200 },
  id: { max: 200 },
} as const;

export function checkRange(argument: string, value: number, range: { min: number; max: number }): number {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw badInput(argument, `must be an integer from ${range.min} to ${range.max}`, value);
  }
  return value;
}

export function checkId(argument: string, value: string): string {
  if (value.length === 0 || value.length > LIMITS.id.max) {
    throw badInput(argument, `must be 1 to ${LIMITS.id.max} characters long`, value.length > 60 ? `${value.slice(0, 60)}…` : value);
  }
  return value;
}

// Control characters other than ordinary whitespace.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function checkSearchText(value: string): string {
  const trimmed = value.trim();
  const { min, max } = LIMITS.searchText;
  if (trimmed.length < min || trimmed.length > max) {
    throw badInput('text', `must be ${min} to ${max} characters long (after trimming)`, trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed);
  }
  if (CONTROL.test(trimmed)) throw badInput('text', 'must not contain control characters', trimmed);
  return trimmed;
}

/** A Date scalar value (a JS Date at UTC midnight) as the day it names. */
export function day(value: Date | null | undefined): string | null {
  return value ? value.toISOString().slice(0, 10) : null;
}


/** Opaque keyset cursors: the last id of a page, encoded. */
export function encodeCursor(id: string): string {
  return Buffer.from(`entity:${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith('entity:') || encodeCursor(decoded.slice(7)) !== cursor) {
    throw badInput('after', 'must be an endCursor returned by this API', cursor);
  }
  return decoded.slice(7);
}

/** Keyset cursors of the sources page: the last source id of a page, encoded. */
export function encodeSourceCursor(id: string): string {
  return Buffer.from(`source:${id}`, 'utf8').toString('base64url');
}

export function decodeSourceCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith('source:') || encodeSourceCursor(decoded.slice(7)) !== cursor) {
    throw badInput('after', 'must be an endCursor returned by this API', cursor);
  }
  return decoded.slice(7);
}

const KNOWN_SUBTYPES: readonly string[] = [...new Set(Object.values(SUBTYPES).flat())].sort();

/** Subtypes as the ontology names them (docs/ontology.md). */
export function checkSubtypes(values: readonly string[]): string[] {
  for (const value of values) {
    if (!KNOWN_SUBTYPES.includes(value)) throw badInput('subtypes', `must list subtypes of the ontology (${KNOWN_SUBTYPES.join(', ')})`, value);
  }
  return [...new Set(values)];
}

/** Keyset cursors of a partnerships page: the last partner's number of links and id, encoded. */
export function encodePartnerCursor(key: { n: number; id: string }): string {
  return Buffer.from(`partner:${key.n}:${key.id}`, 'utf8').toString('base64url');
}

export function decodePartnerCursor(cursor: string): { n: number; id: string } {
  const match = /^partner:(\d+):(.+)$/s.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const key = match ? { n: Number(match[1]), id: match[2] as string } : null;
  if (!key || encodePartnerCursor(key) !== cursor) throw badInput('after', 'must be an endCursor returned by this API', cursor);
  return key;
}
