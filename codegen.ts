/**
 * GraphQL Code Generator: resolver types from schema.graphql, so a schema change the code does
 * not follow fails the type check (npm test runs it first). Output: src/generated/graphql.ts.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';
import { CONFLICT_FIELDS } from './src/claims';
import { ENTITY_KINDS, internalValues } from './src/ontology';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        contextType: '../context#Context',
        enumsAsTypes: true,
        // Enums are defined once, in src/ontology.ts (and the as-of and conflict rules' own
        // modules); the generated types are those, and tests/unit/ontology.test.ts checks that
        // schema.graphql has the same members. EntityKind and ConflictField reach resolvers as
        // the code's values ('Country', 'status'): src/resolvers maps them (enumResolvers).
        enumValues: {
          Status: '../ontology#Status',
          RelationType: '../ontology#RelationType',
          Role: '../ontology#Role',
          Domain: '../ontology#Domain',
          DatePrecision: '../ontology#Precision',
          LinkKind: '../ontology#LinkKind',
          InForce: '../db/filters#InForce',
          EntityKind: internalValues(ENTITY_KINDS),
          ConflictField: internalValues(CONFLICT_FIELDS),
        },
        useTypeImports: true,
        avoidOptionals: false,
        scalars: {
          Date: { input: 'Date', output: 'string' },
          CountryCode: 'string',
          NonNegativeInt: 'number',
          URL: 'string',
        },
        // The rows the data-access layer returns stand behind these types; field resolvers do the rest.
        mappers: {
          // Beside enumValues above: the types resolvers return for the two enums with internal values.
          EntityKind: '../ontology#EntityKind as OntologyEntityKind',
          ConflictField: '../claims#ConflictField as ClaimsConflictField',
          Entity: '../db/records#EntityRecord',
          Country: '../db/records#EntityRecord',
          Organisation: '../db/records#EntityRecord',
          Unit: '../db/records#EntityRecord',
          Initiative: '../db/records#EntityRecord',
          Person: '../db/records#EntityRecord',
          Event: '../db/records#EntityRecord',
          Place: '../db/records#EntityRecord',
          Fact: '../db/records#FactRecord',
          Validity: '../db/records#ValidityRecord',
          Claim: '../db/records#ClaimRecord',
          Conflict: '../resolvers/models#ConflictModel',
          SourceConnection: '../resolvers/models#SourceConnectionModel',
          SourceEdge: '../resolvers/models#SourceEdgeModel',
          Evidence: '../db/records#EvidenceRecord',
          Source: '../db/records#SourceRecord',
          PartialDate: '../db/records#PartialDateRecord',
          SearchHit: '../resolvers/models#SearchHitModel',
          EntityConnection: '../resolvers/models#EntityConnectionModel',
          EntityEdge: '../resolvers/models#EntityEdgeModel',
          Partnership: '../resolvers/models#PartnershipModel',
          PartnershipConnection: '../resolvers/models#PartnershipConnectionModel',
          PartnershipEdge: '../resolvers/models#PartnershipEdgeModel',
          PartnerLink: '../resolvers/models#PartnerLinkModel',
          Path: '../resolvers/models#PathModel',
          Hop: '../resolvers/models#HopModel',
          TimelineEntry: '../resolvers/models#TimelineEntryModel',
          Network: '../resolvers/models#NetworkView',
          NetworkNode: '../resolvers/models#NetworkNodeView',
          NetworkEdge: '../resolvers/models#NetworkEdgeView',
          Stats: '../db/analysis#StatsRow',
          FactCounts: '../resolvers/models#FactCountsModel',
          PartnerCounts: '../resolvers/models#PartnerCountsModel',
          EvidenceHit: '../resolvers/models#EvidenceHitModel',
          Passage: '../db/facts#PassageRecord',
        },
      },
    },
  },
};

export default config;
