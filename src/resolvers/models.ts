/** The values that stand behind the API's composite types (see codegen.ts mappers). */
import type { Conflict } from '../claims';
import type { FactFilter } from '../db/filters';
import type { LinkKind } from '../ontology';
import type { EntityRecord, EvidenceRecord, FactRecord, PartialDateRecord, SourceRecord } from '../db/records';
import type { FactCountsModel } from './counts';

export type { FactCountsModel } from './counts';

export interface SearchHitModel {
  entity: EntityRecord;
  score: number;
  exact: boolean;
}

/** One passage found by searchEvidence: its evidence records (one per fact it states). */
export interface EvidenceHitModel {
  quote: string;
  start: number;
  end: number;
  source: string;
  factIds: string[];
  score: number;
  evidence: EvidenceRecord[];
}

export interface PartnerCountsModel {
  shown: number;
  hidden: number;
  facts: FactCountsModel;
}

export interface EntityEdgeModel {
  cursor: string;
  node: EntityRecord;
}

export interface EntityConnectionModel {
  kind: string | null;
  edges: EntityEdgeModel[];
  hasNextPage: boolean;
  /** totalCount, when the compiled query counted them. */
  total?: number | null;
}

export interface PartnerLinkModel {
  kind: LinkKind;
  through: string | null;
  factIds: string[];
  /** The facts as read with knownOn, when they differ from today's view. */
  known?: FactRecord[];
}

export interface PartnershipModel {
  partner: string;
  /** The links shown. */
  links: PartnerLinkModel[];
  /** The facts of all its links. */
  facts: FactRecord[];
  /** All its links, when `links` shows only the first of them (partnerships). */
  allLinks?: PartnerLinkModel[];
}

export interface PartnershipEdgeModel {
  cursor: string;
  node: PartnershipModel;
}

export interface PartnershipConnectionModel {
  total: number;
  edges: PartnershipEdgeModel[];
  hasNextPage: boolean;
}

export interface HopModel {
  from: string;
  to: string;
  relation: string;
  factId: string | null;
  forward: boolean;
}

export interface PathModel {
  hops: HopModel[];
}

export interface TimelineEntryModel {
  date: PartialDateRecord;
  moment: 'START' | 'END';
  fact: FactRecord;
}

export interface NetworkEdgeModel {
  source: string;
  target: string;
  shared: string[];
  direct: string[];
}

export interface NetworkNodeModel {
  entity: string;
  degree: number;
  weightedDegree: number;
  sharedPartners: number;
  directPartners: number;
}

/** The network as computed: entities and facts by id. */
export interface NetworkModel {
  nodes: NetworkNodeModel[];
  edges: NetworkEdgeModel[];
}

/**
 * The network as served: every entity and fact already loaded, so that graphql-js completes
 * thousands of edges with plain values, not a promise per field.
 */
export interface NetworkView {
  nodes: Array<Omit<NetworkNodeModel, 'entity'> & { entity: EntityRecord }>;
  edges: Array<{ source: string; target: string; weight: number; shared: EntityRecord[]; direct: FactRecord[] }>;
  /** The filter it was built with, for factCounts. */
  filter: FactFilter;
}
export type NetworkNodeView = NetworkView['nodes'][number];
export type NetworkEdgeView = NetworkView['edges'][number];

/** A contradiction among claims (src/claims.ts), its sources by id. */
export type ConflictModel = Conflict;

export interface SourceEdgeModel {
  cursor: string;
  node: SourceRecord;
}

export interface SourceConnectionModel {
  edges: SourceEdgeModel[];
  hasNextPage: boolean;
  /** totalCount, when the compiled query counted them. */
  total?: number | null;
}
