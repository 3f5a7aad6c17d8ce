/**
 * What a filter left out: groups of counted facts (from the data-access layer, or from loaded
 * facts through the same rule) summed into the FactCounts the API serves.
 */
import type { FactTallyRow } from '../db/facts';
import { IN_FORCE, inForceOn, passes, type FactFilter, type InForce } from '../db/filters';
import type { FactRecord } from '../db/records';
import { STATUSES, type Status } from '../ontology';

export interface FactCountsModel {
  total: number;
  shown: number;
  hidden: number;
  byStatus: Array<{ status: Status; total: number; shown: number }>;
  byInForce: Array<{ inForce: InForce; total: number; shown: number }>;
  outsideDomain: number;
}

export function factCounts(rows: readonly FactTallyRow[], filter: FactFilter): FactCountsModel {
  const sum = (keep: (row: FactTallyRow) => boolean) => rows.reduce((n, row) => (keep(row) ? n + row.n : n), 0);
  const total = sum(() => true);
  const shown = sum((row) => row.shown);
  return {
    total,
    shown,
    hidden: total - shown,
    byStatus: STATUSES.map((status) => ({ status, total: sum((row) => row.status === status), shown: sum((row) => row.status === status && row.shown) })),
    byInForce:
      filter.asOf === null
        ? []
        : IN_FORCE.map((inForce) => ({ inForce, total: sum((row) => row.inForce === inForce), shown: sum((row) => row.inForce === inForce && row.shown) })),
    outsideDomain: sum((row) => !row.inDomain),
  };
}

/** Loaded facts as tally rows, by the same rule the Cypher filter applies. */
export function tallyOf(facts: Iterable<FactRecord>, filter: FactFilter): FactTallyRow[] {
  const rows: FactTallyRow[] = [];
  for (const fact of facts) {
    rows.push({
      status: fact.status,
      inForce: filter.asOf === null ? null : inForceOn(fact, filter.asOf),
      shown: passes(fact, filter),
      inDomain: filter.domain === null || fact.domains.includes(filter.domain),
      n: 1,
    });
  }
  return rows;
}
