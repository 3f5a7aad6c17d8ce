/**
 * A Cypher query being built: its parameters (every value is one; equal values share a name)
 * and fresh variable names, so that nested subqueries never shadow each other.
 */
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
