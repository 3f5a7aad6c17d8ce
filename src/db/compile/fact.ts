/**
 * A Fact, its Evidence and its Claims as Cypher maps: the records of records.ts
 * (factProjection, the evidence row of EVIDENCE_OF_FACTS, CLAIM_PROJECTION) and, under
 * COMPILED, what the selection asks of them below.
 */
import { factProjection, type FactColumn } from '../records';
import { entityMap } from './entity';
import { QueryBuilder, compiledEntry, COMPILED } from './query';
import { fieldsOn, runtimeTypes, type Field, type Position } from './selection';
import { sourceMap } from './source';

/** Where a fact is read: with knownOn (its claims come along, to derive its view), and the body it is via. */
export interface FactContext {
  knownOn: string | null;
  /** The Cypher variable holding the id of the body the fact is via (facts(includeBodies: true)), or null. */
  via: string | null;
}

const TODAY: FactContext = { knownOn: null, via: null };

/** Hidden entry: the fact's claims, for knownOn views, corroboration and conflicts. */
export const CLAIMS = '__claims';

function claimsOf(q: QueryBuilder, f: string, position: Position | null): string {
  const c = q.variable('c');
  return `COLLECT { MATCH (${f})-[:CLAIMED_IN]->(${c}:Claim) WITH ${c} ORDER BY ${c}.published, ${c}.source RETURN ${position ? claimMap(q, c, position) : `properties(${c})`} }`;
}

const DATES: readonly FactColumn[] = ['start', 'end', 'inForceFrom', 'inForceUntil'];

/** The record columns each field reads (its resolver or the default one); id is always read. */
const NEEDS: Record<string, readonly FactColumn[]> = {
  type: ['type'],
  subject: ['subject'],
  object: ['object'],
  role: ['role'],
  title: ['title'],
  status: ['status'],
  isFactual: ['status'],
  note: ['note'],
  domains: ['domains'],
  validity: DATES,
  inForceOn: DATES,
};

/**
 * The map of the fact bound to `f`, for the selection at `position`: the record columns it
 * reads (and `also`, which the caller reads itself), and its nested fields under COMPILED.
 * With no position (no field of the fact is asked for), only `also` and what `context` needs.
 */
export function factMap(q: QueryBuilder, f: string, position: Position | null, context: FactContext = TODAY, also: readonly FactColumn[] = []): string {
  const entries: Array<[string, string]> = [];
  const columns = new Set<FactColumn>(['id', ...also]);
  let needsClaims = context.knownOn !== null;
  for (const type of position ? runtimeTypes(position) : []) {
    for (const field of fieldsOn(position as Position, type)) {
      if (field.name === 'corroboration' || field.name === 'conflicts') needsClaims = true;
      for (const column of NEEDS[field.name] ?? []) columns.add(column);
      const expr = factField(q, f, field, context);
      if (expr !== null) entries.push([field.key, expr]);
    }
  }
  let extra = compiledEntry(entries);
  if (context.via !== null) extra = `, viaBody: ${context.via}${extra}`;
  if (needsClaims) extra = `, ${CLAIMS}: ${claimsOf(q, f, null)}${extra}`;
  return factProjection(f, extra, [...columns]);
}

function factField(q: QueryBuilder, f: string, field: Field, context: FactContext): string | null {
  const x = q.variable('e');
  switch (field.name) {
    // Its ends by relationship (each fact has one SUBJECT and one OBJECT), cheaper than a seek by id.
    case 'subject':
      return `COLLECT { MATCH (${f})-[:SUBJECT]->(${x}:Entity) RETURN ${entityMap(q, x, field.below)} }[0]`;
    case 'object':
      return `COLLECT { MATCH (${f})-[:OBJECT]->(${x}:Entity) RETURN ${entityMap(q, x, field.below)} }[0]`;
    case 'viaBody':
      return context.via === null ? 'null' : `COLLECT { MATCH (${x}:Entity {id: ${context.via}}) RETURN ${entityMap(q, x, field.below)} }[0]`;
    case 'evidence': {
      const e = q.variable('ev');
      const s = q.variable('s');
      return `COLLECT { MATCH (${f})-[:EVIDENCED_BY]->(${e}:Evidence)-[:FROM_SOURCE]->(${s}:Source) WITH ${e}, ${s} ORDER BY ${s}.publishedLatest, ${e}.start
        RETURN ${evidenceMap(q, e, null, s, field.below)} }`;
    }
    case 'claims':
      return claimsOf(q, f, field.below);
    default:
      return null;
  }
}

/** The columns of an evidence row each Evidence field reads (`source`: its id, should its compiled answer be missing). */
const EVIDENCE_NEEDS: Record<string, string> = { quote: '.quote', start: '.start', end: '.end', source: 'source' };

/**
 * An evidence row (as EVIDENCE_OF_FACTS returns it) of `e`, from the source `s`, with the columns
 * the selection at `position` reads; `factId` (the fact it states) is added when given.
 */
export function evidenceMap(q: QueryBuilder, e: string, factId: string | null, s: string, position: Position): string {
  const entries: Array<[string, string]> = [];
  const columns = new Set(['.id']);
  if (factId !== null) columns.add(`fact: ${factId}`);
  for (const type of runtimeTypes(position)) {
    for (const field of fieldsOn(position, type)) {
      const column = EVIDENCE_NEEDS[field.name];
      if (column !== undefined) columns.add(column === 'source' ? `source: ${s}.id` : column);
      if (field.name === 'source') entries.push([field.key, sourceMap(q, s, field.below)]);
    }
  }
  return `${e} { ${[...columns].join(', ')}${compiledEntry(entries)} }`;
}

/** A claim node `c` as its stored properties (CLAIM_PROJECTION), for claimRecord(). */
export function claimMap(q: QueryBuilder, c: string, position: Position): string {
  const entries: Array<[string, string]> = [];
  for (const type of runtimeTypes(position)) {
    for (const field of fieldsOn(position, type)) {
      const x = q.variable('x');
      if (field.name === 'fact') entries.push([field.key, `COLLECT { MATCH (${x}:Fact {id: ${c}.fact}) RETURN ${factMap(q, x, field.below)} }[0]`]);
      if (field.name === 'source') entries.push([field.key, `COLLECT { MATCH (${x}:Source {id: ${c}.source}) RETURN ${sourceMap(q, x, field.below)} }[0]`]);
      if (field.name === 'evidence') {
        const e = q.variable('ev');
        entries.push([
          field.key,
          `COLLECT { MATCH (:Fact {id: ${c}.fact})-[:EVIDENCED_BY]->(${e}:Evidence)-[:FROM_SOURCE]->(${x}:Source {id: ${c}.source}) WITH ${e}, ${x} ORDER BY ${x}.publishedLatest, ${e}.start
            RETURN ${evidenceMap(q, e, null, x, field.below)} }`,
        ]);
      }
    }
  }
  return entries.length === 0 ? `properties(${c})` : `${c} { .*${compiledEntry(entries)} }`;
}

export { COMPILED };
