/**
 * The fact filter shared by every query: statuses, the as-of rule, a domain, and what was known
 * on a day. It reads the properties that a Fact node and its direct relationship both carry,
 * so it applies to either. Values always travel as the parameters $status, $asOf,
 * $includeUnknown, $domain and $knownOn.
 *
 * The as-of rule, in three answers for a day D (schema.graphql documents it for clients):
 *  - YES: certainly started (inForceFrom <= D: the start's latest day, or, with no start, the
 *    earliest publication that states it) and not certainly ended (no end, or D <= the end's
 *    earliest day);
 *  - NO: certainly not started (D before the start's earliest day) or certainly ended (D after
 *    the end's latest day);
 *  - UNKNOWN: anything else: D inside the span of a start or end ("early 2017" on 2017-02-01),
 *    or an undated fact on a day before the first source that states it.
 * inForceCypher() and inForceOn() below are that rule, once in Cypher and once for a loaded fact.
 */
import { FACTUAL_STATUSES, STATUSES, type Domain, type Status } from '../ontology';
import type { FactRecord } from './records';

export interface FactFilter {
  status: readonly Status[];
  /** A day, YYYY-MM-DD, or null for any time. */
  asOf: string | null;
  /** With asOf: keep facts whose being in force on that day is UNKNOWN, not only YES. */
  includeUnknown: boolean;
  domain: Domain | null;
  /** A day, YYYY-MM-DD: the facts as the sources published by then told them; null for today's view. */
  knownOn: string | null;
}

export function factFilter(input: {
  status?: readonly Status[] | null;
  asOf?: string | null;
  includeUnknown?: boolean | null;
  domain?: Domain | null;
  knownOn?: string | null;
}): FactFilter {
  return {
    status: input.status && input.status.length > 0 ? [...new Set(input.status)].sort() : [...FACTUAL_STATUSES],
    asOf: input.asOf ?? null,
    includeUnknown: input.includeUnknown ?? false,
    domain: input.domain ?? null,
    knownOn: input.knownOn ?? null,
  };
}

/** A filter that keeps every fact: the baseline that counts of left-out facts compare with. */
export function anyFact(): FactFilter {
  return { status: [...STATUSES].sort(), asOf: null, includeUnknown: false, domain: null, knownOn: null };
}

/** The as-of rule's three answers (above). */
export const IN_FORCE = ['YES', 'NO', 'UNKNOWN'] as const;
export type InForce = (typeof IN_FORCE)[number];

/**
 * 'YES', 'NO' or 'UNKNOWN' for `x` (a Fact node or a direct relationship) on the day `day`
 * (a Cypher expression of type DATE).
 */
export function inForceCypher(x: string, day: string): string {
  return `CASE
    WHEN ${x}.inForceFrom <= ${day} AND (${x}.inForceUntil IS NULL OR ${day} <= ${x}.inForceUntil) THEN 'YES'
    WHEN ${day} < ${x}.startEarliest OR ${day} > ${x}.endLatest THEN 'NO'
    ELSE 'UNKNOWN' END`;
}

/** The same rule for a loaded fact, on a day YYYY-MM-DD (ISO days compare as strings). */
export function inForceOn(fact: Pick<FactRecord, 'start' | 'end' | 'inForceFrom' | 'inForceUntil'>, day: string): InForce {
  if (fact.inForceFrom !== null && fact.inForceFrom <= day && (fact.inForceUntil === null || day <= fact.inForceUntil)) return 'YES';
  if ((fact.start !== null && day < fact.start.earliest) || (fact.end !== null && day > fact.end.latest)) return 'NO';
  return 'UNKNOWN';
}

/** Whether a loaded fact passes the filter: the same test as factPredicate() in Cypher. */
export function passes(fact: FactRecord, filter: FactFilter): boolean {
  if (!(filter.status as readonly string[]).includes(fact.status)) return false;
  if (filter.domain !== null && !fact.domains.includes(filter.domain)) return false;
  if (filter.asOf === null) return true;
  const state = inForceOn(fact, filter.asOf);
  return state === 'YES' || (filter.includeUnknown && state === 'UNKNOWN');
}

/**
 * A Cypher predicate on `x` (a Fact node or a direct relationship). The as-of test is written
 * out (not through inForceCypher) so that the planner can use the index on inForceFrom.
 *
 * With $knownOn, the same filters apply to the step of what was known (src/claims.ts
 * knownSteps, stored by the loader as the parallel lists knownFrom, knownStatus,
 * knownInForceFrom, knownInForceUntil, knownStartEarliest, knownEndLatest and knownDomains) in
 * force on that day: the last one whose knownFrom is on or before it. A fact no source had
 * stated by then has no such step and is left out.
 */
export function factPredicate(x: string): string {
  return `(($knownOn IS NULL
      AND ${x}.status IN $status
      AND ($asOf IS NULL
        OR (${x}.inForceFrom <= date($asOf) AND (${x}.inForceUntil IS NULL OR date($asOf) <= ${x}.inForceUntil))
        OR ($includeUnknown AND (${x}.startEarliest IS NULL OR ${x}.startEarliest <= date($asOf))
            AND (${x}.endLatest IS NULL OR date($asOf) <= ${x}.endLatest)))
      AND ($domain IS NULL OR $domain IN ${x}.domains))
    OR ($knownOn IS NOT NULL AND any(k IN [${knownStep(x)}] WHERE k >= 0
      AND ${x}.knownStatus[k] IN $status
      AND ($asOf IS NULL
        OR (${x}.knownInForceFrom[k] <= date($asOf) AND date($asOf) <= ${x}.knownInForceUntil[k])
        OR ($includeUnknown AND ${x}.knownStartEarliest[k] <= date($asOf) AND date($asOf) <= ${x}.knownEndLatest[k]))
      AND ($domain IS NULL OR $domain IN split(${x}.knownDomains[k], ' ')))))`;
}

/**
 * The index in `x`'s known lists of the step in force on $knownOn: the last whose knownFrom is
 * on or before it; -1 when no source had stated the fact by then.
 */
function knownStep(x: string): string {
  return `reduce(last = -1, i IN range(0, size(${x}.knownFrom) - 1) |
          CASE WHEN ${x}.knownFrom[i] <= date($knownOn) THEN i ELSE last END)`;
}

/**
 * What a count groups `x` (a Fact node or a direct relationship) by: a map of its status,
 * in-force dates and domains, as today's view gives them or, with $knownOn, as the step of what
 * was known on that day does; null when no source had stated the fact by then (it is not
 * counted). inForceCypher() applies to the map; the known lists' sentinels for an open start
 * or end (src/ingest/plan.ts) compare as a missing date does.
 */
export function countedViewCypher(x: string): string {
  return `CASE WHEN $knownOn IS NULL
      THEN {status: ${x}.status, inForceFrom: ${x}.inForceFrom, inForceUntil: ${x}.inForceUntil,
            startEarliest: ${x}.startEarliest, endLatest: ${x}.endLatest, domains: ${x}.domains}
      ELSE [k IN [${knownStep(x)}] WHERE k >= 0 |
            {status: ${x}.knownStatus[k], inForceFrom: ${x}.knownInForceFrom[k], inForceUntil: ${x}.knownInForceUntil[k],
             startEarliest: ${x}.knownStartEarliest[k], endLatest: ${x}.knownEndLatest[k], domains: split(${x}.knownDomains[k], ' ')}][0]
    END`;
}


/**
 * factPredicate() for a filter known when the query is built (the query compiler's): only the
 * tests the filter needs, with the same meaning, so that a compiled query carries (and Neo4j
 * plans) a short predicate per nested field rather than every branch.
 */
export function factPredicateOf(x: string, filter: FactFilter, names: FilterParamNames): string {
  const { status, asOf, includeUnknown, domain, knownOn } = names;
  const parts: string[] = [];
  if (filter.knownOn === null) {
    parts.push(`${x}.status IN ${status}`);
    if (filter.asOf !== null) {
      const unknown = filter.includeUnknown
        ? ` OR (${includeUnknown} AND (${x}.startEarliest IS NULL OR ${x}.startEarliest <= date(${asOf})) AND (${x}.endLatest IS NULL OR date(${asOf}) <= ${x}.endLatest))`
        : '';
      parts.push(`((${x}.inForceFrom <= date(${asOf}) AND (${x}.inForceUntil IS NULL OR date(${asOf}) <= ${x}.inForceUntil))${unknown})`);
    }
    if (filter.domain !== null) parts.push(`${domain} IN ${x}.domains`);
    return `(${parts.join(' AND ')})`;
  }
  parts.push(`${x}.knownStatus[k] IN ${status}`);
  if (filter.asOf !== null) {
    const unknown = filter.includeUnknown ? ` OR (${includeUnknown} AND ${x}.knownStartEarliest[k] <= date(${asOf}) AND date(${asOf}) <= ${x}.knownEndLatest[k])` : '';
    parts.push(`((${x}.knownInForceFrom[k] <= date(${asOf}) AND date(${asOf}) <= ${x}.knownInForceUntil[k])${unknown})`);
  }
  if (filter.domain !== null) parts.push(`${domain} IN split(${x}.knownDomains[k], ' ')`);
  return `any(k IN [reduce(last = -1, i IN range(0, size(${x}.knownFrom) - 1) |
      CASE WHEN ${x}.knownFrom[i] <= date(${knownOn}) THEN i ELSE last END)] WHERE k >= 0 AND ${parts.join(' AND ')})`;
}

/** The parameter names (with their `$`) a predicate reads its filter from. */
export interface FilterParamNames {
  status: string;
  asOf: string;
  includeUnknown: string;
  domain: string;
  knownOn: string;
}

export const FILTER_PARAMS: FilterParamNames = { status: '$status', asOf: '$asOf', includeUnknown: '$includeUnknown', domain: '$domain', knownOn: '$knownOn' };

export function filterParams(filter: FactFilter): Record<string, unknown> {
  return { status: filter.status, asOf: filter.asOf, includeUnknown: filter.includeUnknown, domain: filter.domain, knownOn: filter.knownOn };
}
