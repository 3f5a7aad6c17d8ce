/**
 * The fact filter shared by every query: statuses, the as-of rule and a domain. It reads the
 * properties that a Fact node and its direct relationship both carry, so it applies to either.
 * Values always travel as the parameters $status, $asOf and $domain.
 */
import { FACTUAL_STATUSES, type Status } from '../ontology';

export interface FactFilter {
  status: readonly Status[];
  /** A day, YYYY-MM-DD, or null for any time. */
  asOf: string | null;
  domain: string | null;
}

export function factFilter(input: { status?: readonly Status[] | null; asOf?: string | null; domain?: string | null }): FactFilter {
  return {
    status: input.status && input.status.length > 0 ? [...new Set(input.status)].sort() : [...FACTUAL_STATUSES],
    asOf: input.asOf ?? null,
    domain: input.domain ?? null,
  };
}

/** A Cypher predicate on `x` (a Fact node or a direct relationship). */
export function factPredicate(x: string): string {
  return `(${x}.status IN $status
    AND ($asOf IS NULL OR (${x}.inForceFrom <= date($asOf) AND (${x}.inForceUntil IS NULL OR date($asOf) <= ${x}.inForceUntil)))
    AND ($domain IS NULL OR $domain IN ${x}.domains))`;
}

export function filterParams(filter: FactFilter): Record<string, unknown> {
  return { status: filter.status, asOf: filter.asOf, domain: filter.domain };
}
