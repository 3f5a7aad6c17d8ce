/**
 * Shapes the hand-written analysis queries' rows into the API's types: partnerships grouped
 * per partner, network nodes with their degrees, paths as hops, timeline entries in date order.
 * Pure functions over rows; the facts come through the request's loaders.
 */
import type { LinkRow, NetworkRow, PathRow } from '../db/analysis';
import type { FactRecord, PartialDateRecord } from '../db/records';
import type { HopModel, NetworkModel, PartnershipModel, PathModel, TimelineEntryModel } from './models';

export function groupPartnerships(rows: LinkRow[], facts: Map<string, FactRecord>): PartnershipModel[] {
  const byPartner = new Map<string, PartnershipModel>();
  // Each partner's links seen so far, by kind, through and facts: a row repeats a link when an
  // actor reaches the partner by more than one path.
  const seen = new Set<string>();
  for (const row of rows) {
    let partnership = byPartner.get(row.partner);
    if (!partnership) {
      partnership = { partner: row.partner, links: [], facts: [] };
      byPartner.set(row.partner, partnership);
    }
    const key = `${row.partner}\u0000${row.kind}\u0000${row.through ?? ''}\u0000${row.factIds.join('\u0001')}`;
    if (!seen.has(key)) {
      seen.add(key);
      partnership.links.push({ kind: row.kind, through: row.through, factIds: row.factIds });
    }
  }
  for (const partnership of byPartner.values()) {
    // In kind, through and facts order, whatever the order of the rows; the facts (and so the
    // evidence) follow the links.
    partnership.links.sort((a, b) => a.kind.localeCompare(b.kind) || (a.through ?? '').localeCompare(b.through ?? '') || a.factIds.join(' ').localeCompare(b.factIds.join(' ')));
    const ids = [...new Set(partnership.links.flatMap((link) => link.factIds))];
    partnership.facts = ids.map((id) => facts.get(id)).filter((f): f is FactRecord => f !== undefined);
  }
  // Most links first, then by id: the strongest partners lead.
  return [...byPartner.values()].sort((a, b) => b.links.length - a.links.length || a.partner.localeCompare(b.partner));
}

/**
 * A link holds from the later of its facts' starts; a partnership from its earliest link.
 * Returns that start as the source gives it, or null when no link has a dated start.
 */
export function partnershipSince(partnership: PartnershipModel, facts: Map<string, FactRecord>): { since: PartialDateRecord | null; inForceFrom: string | null } {
  let best: { since: PartialDateRecord | null; inForceFrom: string | null } = { since: null, inForceFrom: null };
  for (const link of partnership.links) {
    const linkFacts = link.factIds.map((id) => facts.get(id)).filter((f): f is FactRecord => f !== undefined);
    if (linkFacts.length === 0) continue;
    const latest = linkFacts.reduce((a, b) => ((a.inForceFrom ?? '') >= (b.inForceFrom ?? '') ? a : b));
    if (best.inForceFrom === null || (latest.inForceFrom !== null && latest.inForceFrom < best.inForceFrom)) {
      best = { since: latest.start, inForceFrom: latest.inForceFrom };
    }
  }
  return best;
}

export function buildNetwork(rows: NetworkRow[]): NetworkModel {
  const edges = new Map<string, { source: string; target: string; shared: Set<string>; direct: Set<string> }>();
  for (const row of rows) {
    const key = `${row.x}\u0000${row.y}`;
    let edge = edges.get(key);
    if (!edge) {
      edge = { source: row.x, target: row.y, shared: new Set(), direct: new Set() };
      edges.set(key, edge);
    }
    for (const id of row.ids) (row.via === 'shared' ? edge.shared : edge.direct).add(id);
  }
  const nodes = new Map<string, { entity: string; degree: number; weightedDegree: number; sharedPartners: number; directPartners: number }>();
  const node = (id: string) => {
    let n = nodes.get(id);
    if (!n) {
      n = { entity: id, degree: 0, weightedDegree: 0, sharedPartners: 0, directPartners: 0 };
      nodes.set(id, n);
    }
    return n;
  };
  const edgeList = [...edges.values()].map((e) => ({ source: e.source, target: e.target, shared: [...e.shared].sort(), direct: [...e.direct].sort() }));
  for (const edge of edgeList) {
    const weight = edge.shared.length + edge.direct.length;
    for (const end of [node(edge.source), node(edge.target)]) {
      end.degree += 1;
      end.weightedDegree += weight;
      if (edge.shared.length > 0) end.sharedPartners += 1;
      if (edge.direct.length > 0) end.directPartners += 1;
    }
  }
  return {
    nodes: [...nodes.values()].sort((a, b) => b.weightedDegree - a.weightedDegree || a.entity.localeCompare(b.entity)),
    edges: edgeList.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target)),
  };
}

export function toPaths(rows: PathRow[]): PathModel[] {
  return rows.map((row) => ({
    hops: row.rels.map((rel, i): HopModel => {
      const from = row.nodes[i] as string;
      const to = row.nodes[i + 1] as string;
      return { from, to, relation: rel.type, factId: rel.factId ?? null, forward: rel.from === from };
    }),
  }));
}

export function timelineEntries(facts: FactRecord[], from: string | null, to: string | null): TimelineEntryModel[] {
  const entries: TimelineEntryModel[] = [];
  for (const fact of facts) {
    for (const [moment, date] of [['START', fact.start], ['END', fact.end]] as const) {
      if (!date) continue;
      if (from !== null && date.latest < from) continue;
      if (to !== null && date.earliest > to) continue;
      entries.push({ date, moment, fact });
    }
  }
  return entries.sort(
    (a, b) => a.date.earliest.localeCompare(b.date.earliest) || a.date.latest.localeCompare(b.date.latest) || a.fact.id.localeCompare(b.fact.id),
  );
}
