/**
 * The ontology: every entity kind, relationship type and enum the graph knows.
 * These lists are the allowlist for labels and relationship types in Cypher: nothing else
 * is ever interpolated into a query. docs/ontology.md explains each entry.
 */

/** Entity kinds; each is also a Neo4j label, beside the common label `Entity`. */
export const ENTITY_KINDS = [
  'Country',
  'Organisation',
  'Unit',
  'Initiative',
  'Person',
  'Event',
  'Place',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** Finer kinds within an entity kind, stored as the `subtype` property. */
export const SUBTYPES: Record<EntityKind, readonly string[]> = {
  Country: ['STATE'],
  Organisation: ['ALLIANCE', 'UNION', 'GOVERNMENT_BODY', 'MINISTRY', 'ARMED_FORCES', 'SERVICE_BRANCH', 'COMMAND'],
  Unit: ['FORMATION', 'BATTLE_GROUP', 'SPECIAL_FORCES', 'NAVAL_GROUP', 'UNIT'],
  Initiative: [
    'MISSION',
    'OPERATION',
    'EXERCISE',
    'PROJECT',
    'WORKING_GROUP',
    'COALITION',
    'FORMAT',
    'COMMAND_IN_DEVELOPMENT',
    'PROGRAMME',
    'PRESIDENCY',
    'AGREEMENT',
  ],
  Person: ['MILITARY_OFFICER', 'OFFICIAL'],
  Event: ['MEETING', 'VISIT'],
  Place: ['SETTLEMENT', 'SEA', 'REGION'],
};

/**
 * Relationship types between entities. Each fact is a `Fact` node and also a direct
 * relationship of this type from subject to object, kept in step for fast traversal.
 */
export const RELATION_TYPES = [
  'MEMBER_OF', // subject is a member of an alliance, union or organisation
  'PARTICIPATES_IN', // subject takes part in an initiative or unit, with a role
  'PART_OF', // subject is a component of the object (unit of an armed force, group of a family)
  'DEPLOYED_AT', // a unit or initiative is deployed or based at a place
  'SUPPORTS', // subject gives support or assistance to the object
  'COOPERATES_WITH', // bilateral cooperation, in named domains
  'TRAINS_WITH', // subject trains or exercises together with the object
  'HOLDS_POSITION', // a person holds a position (title) in an organisation or for a country
  'ATTENDS', // a person or body attends an event
  'HOSTS', // a country or place hosts an event
  'CONCERNS', // an event or initiative is about the object (an agenda item, a beneficiary)
  'COMMANDS', // subject leads or commands the object
  'LOCATED_IN', // a place lies in a wider place or country
] as const;
export type RelationType = (typeof RELATION_TYPES)[number];

/** Roles in a participation (or other) fact. */
export const ROLES = ['MEMBER', 'CONTRIBUTOR', 'LEAD', 'COORDINATOR', 'HOST', 'PARTICIPANT', 'BENEFICIARY'] as const;
export type Role = (typeof ROLES)[number];

/** Whether the source states a fact as true now, as a past fact, or only as an intention. */
export const STATUSES = ['ACTIVE', 'ENDED', 'PLANNED', 'PROPOSED', 'ANNOUNCED'] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses that say something is or was the case. PLANNED, PROPOSED and ANNOUNCED do not. */
export const FACTUAL_STATUSES: readonly Status[] = ['ACTIVE', 'ENDED'];

/** Cooperation domains; each becomes a `Domain` node that facts link to. */
export const DOMAINS = [
  'AIR',
  'MARITIME',
  'LAND',
  'SPECIAL_OPERATIONS',
  'CYBER',
  'PROCUREMENT',
  'MILITARY_QUALIFICATION',
  'DEMINING',
  'TRAINING',
  'RESILIENCE',
  'DETERRENCE',
  'ASSISTANCE',
] as const;
export type Domain = (typeof DOMAINS)[number];

/** How exactly a partial date is known. RANGE is a bounded span such as "early 2017". */
export const PRECISIONS = ['DAY', 'MONTH', 'YEAR', 'RANGE'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** Labels used by the graph's structure, beside the entity kinds. */
export const LABELS = {
  entity: 'Entity',
  fact: 'Fact',
  evidence: 'Evidence',
  source: 'Source',
  domain: 'Domain',
} as const;

export function isEntityKind(value: string): value is EntityKind {
  return (ENTITY_KINDS as readonly string[]).includes(value);
}

export function isRelationType(value: string): value is RelationType {
  return (RELATION_TYPES as readonly string[]).includes(value);
}
