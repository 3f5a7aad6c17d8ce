/**
 * Whole-graph exports for other tools (Gephi, yEd, Cytoscape, spreadsheets): GraphML, JSON and
 * CSV of nodes and of edges, for the same filter as the API (status, as-of day, domain) and a
 * choice of entity kinds. The CLI (`dcg export`) and the HTTP route (`GET /export`) are thin
 * adapters over exportGraph().
 */
import { exportRecords, type ExportFactRecord } from '../db/export';
import type { Db } from '../db/executor';
import { factFilter } from '../db/filters';
import type { EntityRecord, PartialDateRecord } from '../db/records';
import { toCsv } from './csv';
import { toGraphml } from './graphml';
import { checkExportOptions, type CheckedExportOptions, type ExportOptions } from './options';
import { EDGE_COLUMNS, NODE_COLUMNS } from './table';

export { EXPORT_FORMATS, ExportOptionError, checkExportOptions, type ExportFormat, type ExportOptions, type RawExportOptions } from './options';

export interface ExportFile {
  contentType: string;
  /** A safe file name: letters, digits, dots and dashes only. */
  filename: string;
  body: string;
}

/** The filter as applied, echoed in the JSON's meta and the GraphML's description. */
export interface AppliedFilter {
  status: string[];
  asOf: string | null;
  /** With asOf: whether facts not known to be in force that day are kept too. */
  includeUnknown: boolean;
  domain: string | null;
  kinds: string[] | null;
}

export interface JsonExport {
  nodes: EntityRecord[];
  edges: Array<Omit<ExportFactRecord, 'subject' | 'object'> & { source: string; target: string }>;
  meta: { exportedAt?: string; filter: AppliedFilter; counts: { nodes: number; edges: number } };
}

// Neo4j maps have no key order: the JSON spells its objects out so two exports compare byte for byte.
function jsonNode(e: EntityRecord): EntityRecord {
  return {
    id: e.id, kind: e.kind, subtype: e.subtype, name: e.name, aliases: e.aliases, referenceAliases: e.referenceAliases,
    iso3166: e.iso3166, wikidata: e.wikidata, belongsTo: e.belongsTo,
  };
}

function jsonDate(d: PartialDateRecord | null): PartialDateRecord | null {
  return d && { text: d.text, value: d.value, precision: d.precision, earliest: d.earliest, latest: d.latest };
}

function jsonEdge(f: ExportFactRecord): JsonExport['edges'][number] {
  return {
    id: f.id, source: f.subject, target: f.object, type: f.type, status: f.status, role: f.role, title: f.title,
    domains: f.domains, start: jsonDate(f.start), end: jsonDate(f.end), inForceFrom: f.inForceFrom, inForceUntil: f.inForceUntil,
    note: f.note,
    evidence: f.evidence.map((e) => ({ quote: e.quote, start: e.start, end: e.end, source: e.source, url: e.url, title: e.title })),
  };
}

function filename(checked: CheckedExportOptions): string {
  const stem = { graphml: 'graph', json: 'graph', 'csv-nodes': 'nodes', 'csv-edges': 'edges' }[checked.format];
  const extension = { graphml: 'graphml', json: 'json', 'csv-nodes': 'csv', 'csv-edges': 'csv' }[checked.format];
  const parts = ['dcg', stem];
  if (checked.asOf) parts.push(`as-of-${checked.asOf}`);
  if (checked.domain) parts.push(checked.domain.toLowerCase().replaceAll('_', '-'));
  return `${parts.join('-')}.${extension}`;
}

function describe(filter: AppliedFilter): string {
  return [
    `Defence cooperation graph: facts with status ${filter.status.join(', ')}`,
    filter.asOf ? `in force on ${filter.asOf}${filter.includeUnknown ? ', or possibly (in-force state UNKNOWN)' : ''}` : 'at any date',
    filter.domain ? `in domain ${filter.domain}` : 'in every domain',
    filter.kinds ? `touching entities of kind ${filter.kinds.join(', ')}` : 'between entities of every kind',
  ].join('; ');
}

/** Validates the options (ExportOptionError names the bad one), reads the graph and renders it. */
export async function exportGraph(db: Db, options: ExportOptions): Promise<ExportFile> {
  const checked = checkExportOptions(options);
  const filter = factFilter({ status: checked.status, asOf: checked.asOf, includeUnknown: checked.includeUnknown, domain: checked.domain });
  const { entities, facts } = await exportRecords(db, filter, checked.kinds);
  const applied: AppliedFilter = { status: [...filter.status], asOf: filter.asOf, includeUnknown: filter.includeUnknown, domain: filter.domain, kinds: checked.kinds };
  const name = filename(checked);
  switch (checked.format) {
    case 'graphml':
      return { contentType: 'application/graphml+xml; charset=utf-8', filename: name, body: toGraphml(entities, facts, describe(applied)) };
    case 'csv-nodes':
      return { contentType: 'text/csv; charset=utf-8; header=present', filename: name, body: toCsv(NODE_COLUMNS, entities) };
    case 'csv-edges':
      return { contentType: 'text/csv; charset=utf-8; header=present', filename: name, body: toCsv(EDGE_COLUMNS, facts) };
    case 'json': {
      const json: JsonExport = {
        nodes: entities.map(jsonNode),
        edges: facts.map(jsonEdge),
        meta: {
          ...(options.exportedAt ? { exportedAt: options.exportedAt.toISOString() } : {}),
          filter: applied,
          counts: { nodes: entities.length, edges: facts.length },
        },
      };
      return { contentType: 'application/json; charset=utf-8', filename: name, body: `${JSON.stringify(json, null, 2)}\n` };
    }
  }
}
