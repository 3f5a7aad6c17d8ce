/**
 * The ontology: every entity kind, relationship type and enum the graph knows, defined once.
 * These lists are the allowlist for labels and relationship types in Cypher: nothing else
 * is ever interpolated into a query. The API's enums are these (codegen.ts maps the generated
 * types onto them; tests/unit/ontology.test.ts checks schema.graphql has the same members);
 * schema.graphql describes each value, docs/ontology.md explains them.
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
 * What each means is written once, in schema.graphql's enum RelationType.
 */
export const RELATION_TYPES = [
  'MEMBER_OF',
  'PARTICIPATES_IN',
  'PART_OF',
  'DEPLOYED_AT',
  'SUPPORTS',
  'COOPERATES_WITH',
  'TRAINS_WITH',
  'HOLDS_POSITION',
  'ATTENDS',
  'HOSTS',
  'CONCERNS',
  'COMMANDS',
  'LOCATED_IN',
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

/**
 * How two actors are linked (partners, the network): a fact between them, or a body of one of
 * these kinds that both are involved in ('SHARED_' and the kind, upper-cased, in the query).
 */
export const LINK_KINDS = ['DIRECT', 'SHARED_INITIATIVE', 'SHARED_ORGANISATION', 'SHARED_UNIT'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/**
 * An enum the API spells in capitals (COUNTRY) whose values the code keeps as stored (Country):
 * the map from each API name to the code's value, as graphql-js takes an enum's internal
 * values (src/resolvers, and codegen.ts for the generated types).
 */
export function internalValues<V extends string>(values: readonly V[]): { [K in V as Uppercase<K>]: K } {
  return Object.fromEntries(values.map((value) => [value.toUpperCase(), value])) as { [K in V as Uppercase<K>]: K };
}

export function isEntityKind(value: string): value is EntityKind {
  return (ENTITY_KINDS as readonly string[]).includes(value);
}

export function isRelationType(value: string): value is RelationType {
  return (RELATION_TYPES as readonly string[]).includes(value);
}
