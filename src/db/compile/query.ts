/**
 * A Cypher query being built: its parameters (every value is one; equal values share a name)
 * and fresh variable names, so that nested subqueries never shadow each other.
 */
import type { Db } from '../executor';
import { factPredicateOf, FILTER_PARAMS, type FactFilter, type FilterParamNames } from '../filters';

export class QueryBuilder {
  readonly params: Record<string, unknown> = {};
  private readonly byValue = new Map<string, string>();
  private variables = 0;

  /** The parameter (`$p0`, ...) holding `value`. */
  param(value: unknown): string {
    const key = JSON.stringify(value === undefined ? null : value);
    let name = this.byValue.get(key);
    if (name === undefined) {
      name = `p${this.byValue.size}`;
      this.byValue.set(key, name);
      this.params[name] = value === undefined ? null : value;
    }
    return `$${name}`;
  }

  /** The parameter `$name` holding `value`, never shared with an equal value: one a caller may replace. */
  own(name: string, value: unknown): string {
    this.params[name] = value;
    return `$${name}`;
  }

  /** A variable name not used elsewhere in the query. */
  variable(prefix: string): string {
    this.variables += 1;
    return `${prefix}${this.variables}`;
  }

  /** The parameters of a fact filter, for factPredicate(); only those the filter uses are sent. */
  filter(filter: FactFilter): FilterParamNames {
    const names = { ...FILTER_PARAMS };
    names.status = this.param(filter.status);
    if (filter.asOf !== null) names.asOf = this.param(filter.asOf);
    if (filter.includeUnknown) names.includeUnknown = this.param(filter.includeUnknown);
    if (filter.domain !== null) names.domain = this.param(filter.domain);
    if (filter.knownOn !== null) names.knownOn = this.param(filter.knownOn);
    return names;
  }

  /** A predicate on the fact (or direct relationship) `x` for `filter`: factPredicateOf() with its parameters. */
  predicate(x: string, filter: FactFilter): string {
    return factPredicateOf(x, filter, this.filter(filter));
  }
}

/** A compiled root field: one Cypher query and its parameters. */
export interface CompiledQuery {
  cypher: string;
  params: Record<string, unknown>;
}

/** The key under which a compiled object holds its nested fields' answers, by response key. */
export const COMPILED = '__compiled';

/** A map entry of nested answers, or nothing when there are none. */
export function compiledEntry(entries: ReadonlyArray<[string, string]>): string {
  if (entries.length === 0) return '';
  return `, ${COMPILED}: { ${entries.map(([key, expr]) => `\`${key}\`: ${expr}`).join(', ')} }`;
}

/**
 * `UNWIND list AS v` without repeats. Inside a subquery, `WITH DISTINCT v` is keyed on the
 * variables the subquery imports as well, so an imported list of every row would be hashed once
 * per element; the DISTINCT of a subquery's RETURN is keyed on what it returns alone.
 */
export function unwindDistinct(list: string, v: string): string {
  return `UNWIND COLLECT { UNWIND ${list} AS ${v} RETURN DISTINCT ${v} } AS ${v}`;
}

/**
 * Lists of more items than this, together, are sent one item per record by spreadLists();
 * shorter ones ride in the head record.
 */
export const SPREAD_ABOVE = 64;

/**
 * The end of a root query whose answer holds lists that can be long. When the lists hold more
 * than SPREAD_ABOVE items together, one record per list item (columns `list`, the index of its
 * list in `lists`, and `item`), in list order, after a record of `list` -1 that carries the
 * `head` columns; else that head record alone, its `item` the lists themselves. neo4j-driver
 * decodes each string of a record larger than one Bolt chunk across all of the record's chunks,
 * so one record holding hundreds of maps costs more to read than the same maps one per record,
 * while a few dozen cost less in one record than apart. Every variable named must be bound; a
 * null list counts as empty. readSpread() puts the answer back together.
 */
export function spreadLists(q: QueryBuilder, head: readonly string[], lists: readonly string[]): string {
  const [part, v, apart] = [q.variable('part'), q.variable('v'), q.variable('apart')];
  const returned = `RETURN ${[...head.map((h) => `CASE WHEN ${part}[0] = -1 THEN ${h} END AS ${h}`), `${part}[0] AS list`, `${part}[1] AS item`].join(', ')}`;
  if (lists.length === 0) return `UNWIND [[-1, null]] AS ${part}\n${returned}`;
  const whole = lists.map((list) => `coalesce(${list}, [])`);
  const items = lists.map((list, i) => `[${v} IN ${whole[i]} | [${i}, ${v}]]`).join(' + ');
  return `WITH *, ${whole.map((list) => `size(${list})`).join(' + ')} > ${q.param(SPREAD_ABOVE)} AS ${apart}
UNWIND CASE WHEN ${apart} THEN [[-1, null]] + ${items} ELSE [[-1, [${whole.join(', ')}]]] END AS ${part}
${returned}`;
}

/** A spreadLists() answer: its head columns, and its lists by name (a list with no items is empty). */
export interface Spread<L extends string> {
  head: Record<string, unknown>;
  lists: Record<L, unknown[]>;
}

/** Runs a query that ends with spreadLists(`lists`) and puts its answer back together. */
export async function readSpread<L extends string>(db: Db, compiled: CompiledQuery, lists: readonly L[]): Promise<Spread<L>> {
  return spreadOf(await db.read(compiled.cypher, compiled.params), lists);
}

/** The answer of spreadLists() from its records. */
export function spreadOf<L extends string>(records: ReadonlyArray<Record<string, unknown>>, lists: readonly L[]): Spread<L> {
  const out = Object.fromEntries(lists.map((name) => [name, [] as unknown[]])) as Record<L, unknown[]>;
  let head: Record<string, unknown> = {};
  for (const record of records) {
    if (record.list !== -1) out[lists[record.list as number] as L].push(record.item);
    else {
      head = record;
      if (Array.isArray(record.item)) record.item.forEach((items: unknown[], i: number) => (out[lists[i] as L] = items));
    }
  }
  return { head, lists: out };
}
