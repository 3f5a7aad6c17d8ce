/**
 * The cooperation network built from NETWORK_LINKS rows (x, y, via, ids), written apart from
 * src/resolvers/analysis.ts buildNetwork on purpose: the floor and the peer's normaliser use this
 * one, so the answer check compares two implementations, not one with itself.
 */
export interface LinkRow {
  x: string;
  y: string;
  via: string;
  ids: string[];
}

export interface NetworkAnswer {
  nodes: Array<{ entity: { id: string }; degree: number; weightedDegree: number; sharedPartners: number; directPartners: number }>;
  edges: Array<{ source: string; target: string; weight: number; shared: Array<{ id: string }>; direct: Array<{ id: string }> }>;
}

export function networkFromRows(rows: readonly LinkRow[]): NetworkAnswer {
  const pairs = new Map<string, { source: string; target: string; shared: Set<string>; direct: Set<string> }>();
  for (const row of rows) {
    const [source, target] = row.x < row.y ? [row.x, row.y] : [row.y, row.x];
    const key = JSON.stringify([source, target]);
    let pair = pairs.get(key);
    if (!pair) {
      pair = { source, target, shared: new Set(), direct: new Set() };
      pairs.set(key, pair);
    }
    const into = row.via === 'direct' ? pair.direct : pair.shared;
    for (const id of row.ids) into.add(id);
  }
  const degrees = new Map<string, { degree: number; weightedDegree: number; sharedPartners: number; directPartners: number }>();
  const edges: NetworkAnswer['edges'] = [];
  for (const pair of pairs.values()) {
    const weight = pair.shared.size + pair.direct.size;
    edges.push({
      source: pair.source,
      target: pair.target,
      weight,
      shared: [...pair.shared].sort().map((id) => ({ id })),
      direct: [...pair.direct].sort().map((id) => ({ id })),
    });
    for (const end of [pair.source, pair.target]) {
      const d = degrees.get(end) ?? { degree: 0, weightedDegree: 0, sharedPartners: 0, directPartners: 0 };
      d.degree += 1;
      d.weightedDegree += weight;
      if (pair.shared.size > 0) d.sharedPartners += 1;
      if (pair.direct.size > 0) d.directPartners += 1;
      degrees.set(end, d);
    }
  }
  const nodes = [...degrees].map(([id, d]) => ({ entity: { id }, ...d }));
  nodes.sort((a, b) => b.weightedDegree - a.weightedDegree || (a.entity.id < b.entity.id ? -1 : 1));
  edges.sort((a, b) => (a.source === b.source ? (a.target < b.target ? -1 : 1) : a.source < b.source ? -1 : 1));
  return { nodes, edges };
}
