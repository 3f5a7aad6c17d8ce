/**
 * The fact filter shared by every query: statuses, the as-of rule, a domain, and what was known
 * on a day. It reads the properties that a Fact node and its direct relationship both carry,
 * so it applies to either. Values always travel as the parameters $status, $asOf, $domain and
 * $knownOn.
 */
import { FACTUAL_STATUSES, type Status } from '../ontology';

export interface FactFilter {
  status: readonly Status[];
  /** A day, YYYY-MM-DD, or null for any time. */
  asOf: string | null;
  domain: string | null;
  /** A day, YYYY-MM-DD: the facts as the sources published by then told them; null for today's view. */
  knownOn: string | null;
}

export function factFilter(input: { status?: readonly Status[] | null; asOf?: string | null; domain?: string | null; knownOn?: string | null }): FactFilter {
  return {
    status: input.status && input.status.length > 0 ? [...new Set(input.status)].sort() : [...FACTUAL_STATUSES],
    asOf: input.asOf ?? null,
    domain: input.domain ?? null,
    knownOn: input.knownOn ?? null,
  };
}

/**
 * A Cypher predicate on `x` (a Fact node or a direct relationship). With $knownOn, the filters
 * apply to the step of what was known (src/claims.ts knownSteps, stored by the loader as the
 * parallel lists knownFrom, knownStatus, knownInForceFrom, knownInForceUntil and knownDomains)
 * in force on that day: the last one whose knownFrom is on or before it. A fact no source had
 * stated by then has no such step and is left out.
 */
export function factPredicate(x: string): string {
  return `(($knownOn IS NULL
      AND ${x}.status IN $status
      AND ($asOf IS NULL OR (${x}.inForceFrom <= date($asOf) AND (${x}.inForceUntil IS NULL OR date($asOf) <= ${x}.inForceUntil)))
      AND ($domain IS NULL OR $domain IN ${x}.domains))
    OR ($knownOn IS NOT NULL AND any(k IN [reduce(last = -1, i IN range(0, size(${x}.knownFrom) - 1) |
          CASE WHEN ${x}.knownFrom[i] <= date($knownOn) THEN i ELSE last END)] WHERE k >= 0
      AND ${x}.knownStatus[k] IN $status
      AND ($asOf IS NULL OR (${x}.knownInForceFrom[k] <= date($asOf) AND date($asOf) <= ${x}.knownInForceUntil[k]))
      AND ($domain IS NULL OR $domain IN split(${x}.knownDomains[k], ' ')))))`;
}

export function filterParams(filter: FactFilter): Record<string, unknown> {
  return { status: filter.status, asOf: filter.asOf, domain: filter.domain, knownOn: filter.knownOn };
}
