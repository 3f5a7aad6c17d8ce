/** A Source as one Cypher map: its record (records.ts sourceProjection) and, under COMPILED, its passages and claims. */
import { sourceProjection, type SourceRecord } from '../records';
import { pageSize } from './args';
import { claimMap, factMap } from './fact';
import { QueryBuilder, compiledEntry } from './query';
import { childPosition, fieldsOn, runtimeTypes, type Field, type Position } from './selection';

/** The fields that read a record column of the same name; the rest read none (id is always read). */
const COLUMNS: ReadonlySet<string> = new Set(['title', 'url', 'publisher', 'language', 'sha256', 'text', 'notes', 'factCount', 'entityCount', 'published']);

/** The map of the source bound to `s`: the record columns the selection reads, and its nested fields under COMPILED. */
export function sourceMap(q: QueryBuilder, s: string, position: Position): string {
  const entries: Array<[string, string]> = [];
  const columns = new Set<keyof SourceRecord>(['id']);
  for (const type of runtimeTypes(position)) {
    for (const field of fieldsOn(position, type)) {
      if (COLUMNS.has(field.name)) columns.add(field.name as keyof SourceRecord);
      const expr = sourceField(q, s, field);
      if (expr !== null) entries.push([field.key, expr]);
    }
  }
  return sourceProjection(s, compiledEntry(entries), [...columns]);
}

function sourceField(q: QueryBuilder, s: string, field: Field): string | null {
  switch (field.name) {
    case 'passages': {
      // As PASSAGES_OF_SOURCES, each passage with its facts (the objects of every `facts` alias).
      const [e, f, start, end, quote, fact, factIds, fid, x] = ['ev', 'f', 'start', 'end', 'quote', 'fact', 'factIds', 'fid', 'x'].map((name) => q.variable(name)) as [string, string, string, string, string, string, string, string, string];
      const facts = childPosition(field.below, 'facts');
      const keys = runtimeTypes(field.below).flatMap((type) => fieldsOn(field.below, type)).filter((child) => child.name === 'facts').map((child) => child.key);
      const list = facts ? `COLLECT { UNWIND ${factIds} AS ${fid} MATCH (${x}:Fact {id: ${fid}}) RETURN ${factMap(q, x, facts)} }` : null;
      const nested = list === null ? '' : compiledEntry(keys.map((key) => [key, list]));
      // Grouped by DISTINCT, not collect(): no aggregation in a nested subquery (see entity.ts bodiesOf).
      const e2 = q.variable('ev');
      return `COLLECT { MATCH (${s})<-[:FROM_SOURCE]-(${e}:Evidence)<-[:EVIDENCED_BY]-(:Fact)
        WITH DISTINCT ${e}.start AS ${start}, ${e}.end AS ${end}, ${e}.quote AS ${quote} ORDER BY ${start}, ${end}
        WITH ${start}, ${end}, ${quote}, COLLECT { MATCH (${s})<-[:FROM_SOURCE]-(${e2}:Evidence)<-[:EVIDENCED_BY]-(${f}:Fact)
          WHERE ${e2}.start = ${start} AND ${e2}.end = ${end} AND ${e2}.quote = ${quote} RETURN DISTINCT ${f}.id AS ${fact} ORDER BY ${fact} } AS ${factIds}
        RETURN { start: ${start}, end: ${end}, quote: ${quote}, factIds: ${factIds}${nested} } }`;
    }
    case 'claims': {
      const first = pageSize(field.args.first);
      if (first === null) return null;
      const c = q.variable('c');
      return `COLLECT { MATCH (${c}:Claim {source: ${s}.id}) WHERE ${q.param(field.args.after ?? null)} IS NULL OR ${c}.fact > ${q.param(field.args.after ?? null)}
        WITH ${c} ORDER BY ${c}.fact LIMIT ${q.param(first)} RETURN ${claimMap(q, c, field.below)} }`;
    }
    default:
      return null;
  }
}
