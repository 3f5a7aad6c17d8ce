/**
 * The peer: @neo4j/graphql 7 over the same Neo4j and the same data, served by its own Apollo
 * Server (startStandaloneServer). Its typeDefs map our storage (docs/ontology.md) onto the
 * library's directives; nothing in the graph is changed for it.
 *
 *  - `Entity @node(labels: ["Entity"])`: every entity, whatever its kind label (the kind is the
 *    `kind` property, as in our Cypher). The full-text index our schema creates (`entity_search`,
 *    on name and searchText) is declared with @fulltext, which generates `searchEntities`.
 *  - `Fact`, `Evidence`, `Source` nodes with SUBJECT / OBJECT / EVIDENCED_BY / FROM_SOURCE, so a
 *    fact's evidence is reachable the way it is stored.
 *  - The direct relationships (MEMBER_OF, PARTICIPATES_IN, SUPPORTS, COOPERATES_WITH, TRAINS_WITH,
 *    both directions) with their properties as `FactEdge @relationshipProperties`.
 *  - Two things its generated API cannot express are @cypher fields on Query, running our own
 *    Cypher: `shortestPaths` (no shortest-path operation exists; this is src/db/analysis.ts
 *    CONNECTIONS at 4 hops) and `cooperationLinks` (no grouping or pair-wise aggregation exists;
 *    this is NETWORK_LINKS, returning its rows ungrouped). See bench/README.md.
 *
 * Read-only: every type has @mutation(operations: []), so no mutation is generated.
 *
 * Run as a child process by bench/run.ts: `node -r tsx/cjs bench/peer.ts` with NEO4J_URI,
 * NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE and PORT; it prints "ready <url>" when it listens.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { Neo4jGraphQL } from '@neo4j/graphql';
import neo4j, { type Driver } from 'neo4j-driver';
import { CONNECTIONS, NETWORK_LINKS } from '../src/db/analysis';
import { serveAsChild, type BenchServerOptions, type RunningBenchServer } from './child';

/** The hop limit of the peer's shortestPaths: a variable-length bound cannot be a parameter. */
export const PEER_MAX_HOPS = 4;

const FACT_EDGE_TYPES: Array<[string, string, string]> = [
  // [relationship type, field for OUT, field for IN]
  ['MEMBER_OF', 'memberOf', 'hasMembers'],
  ['PARTICIPATES_IN', 'participatesIn', 'participants'],
  ['SUPPORTS', 'supports', 'supportedBy'],
  ['COOPERATES_WITH', 'cooperatesWith', 'cooperatedWithBy'],
  ['TRAINS_WITH', 'trainsWith', 'trainedWithBy'],
];

/** A @cypher statement is a GraphQL string: escape backslashes and double quotes. */
function graphqlString(text: string): string {
  return JSON.stringify(text.replace(/\s+/g, ' ').trim());
}

const PATHS_STATEMENT = `CALL () { ${CONNECTIONS[PEER_MAX_HOPS - 1]} } RETURN { nodes: nodes, rels: rels } AS path`;
const NETWORK_STATEMENT = `CALL () { ${NETWORK_LINKS} } RETURN { x: x, y: y, via: via, ids: ids } AS link`;

export const PEER_TYPE_DEFS = `
  type FactEdge @relationshipProperties {
    factId: String
    status: String
    role: String
    domains: [String!]
    inForceFrom: Date
    inForceUntil: Date
  }

  type Entity
    @node(labels: ["Entity"])
    @mutation(operations: [])
    @fulltext(indexes: [{ indexName: "entity_search", queryName: "searchEntities", fields: ["name", "searchText"] }]) {
    id: ID!
    kind: String!
    subtype: String
    name: String!
    aliases: [String!]
    referenceAliases: [String!]
    searchText: String
    iso3166: String
    wikidata: String
    belongsTo: [Entity!]! @relationship(type: "BELONGS_TO", direction: OUT)
    members: [Entity!]! @relationship(type: "BELONGS_TO", direction: IN)
    subjectOf: [Fact!]! @relationship(type: "SUBJECT", direction: IN)
    objectOf: [Fact!]! @relationship(type: "OBJECT", direction: IN)
${FACT_EDGE_TYPES.map(
  ([type, out, into]) =>
    `    ${out}: [Entity!]! @relationship(type: "${type}", direction: OUT, properties: "FactEdge")\n` +
    `    ${into}: [Entity!]! @relationship(type: "${type}", direction: IN, properties: "FactEdge")`,
).join('\n')}
  }

  type Fact @node(labels: ["Fact"]) @mutation(operations: []) {
    id: ID!
    type: String!
    status: String!
    role: String
    title: String
    domains: [String!]
    note: String
    startText: String
    startValue: String
    startPrecision: String
    startEarliest: Date
    startLatest: Date
    endText: String
    endValue: String
    endPrecision: String
    endEarliest: Date
    endLatest: Date
    inForceFrom: Date
    inForceUntil: Date
    subject: [Entity!]! @relationship(type: "SUBJECT", direction: OUT)
    object: [Entity!]! @relationship(type: "OBJECT", direction: OUT)
    evidence: [Evidence!]! @relationship(type: "EVIDENCED_BY", direction: OUT)
  }

  type Evidence @node(labels: ["Evidence"]) @mutation(operations: []) {
    id: ID!
    quote: String!
    start: Int!
    end: Int!
    source: [Source!]! @relationship(type: "FROM_SOURCE", direction: OUT)
  }

  type Source @node(labels: ["Source"]) @mutation(operations: []) {
    id: ID!
    title: String!
    url: String!
    publisher: String!
    language: String!
    sha256: String!
    publishedText: String
    publishedValue: String
    publishedPrecision: String
    publishedEarliest: Date
    publishedLatest: Date
  }

  type PathStep {
    type: String!
    factId: String
    from: String!
    to: String!
  }

  type PathRow {
    nodes: [String!]!
    rels: [PathStep!]!
  }

  type NetworkLink {
    x: String!
    y: String!
    via: String!
    ids: [String!]!
  }

  type Query {
    shortestPaths(from: ID!, to: ID!, status: [String!]! = ["ACTIVE", "ENDED"], asOf: String = null, includeUnknown: Boolean! = false, knownOn: String = null, domain: String = null, limit: Int! = 25): [PathRow!]!
      @cypher(statement: ${graphqlString(PATHS_STATEMENT)}, columnName: "path")
    cooperationLinks(kinds: [String!]! = ["Country"], groupKinds: [String!]! = ["Initiative", "Organisation", "Unit"], rollUp: Boolean! = true, status: [String!]! = ["ACTIVE", "ENDED"], asOf: String = null, includeUnknown: Boolean! = false, knownOn: String = null, domain: String = null): [NetworkLink!]!
      @cypher(statement: ${graphqlString(NETWORK_STATEMENT)}, columnName: "link")
  }
`;

export type PeerOptions = BenchServerOptions;
export type RunningPeer = RunningBenchServer;

export async function startPeer(options: PeerOptions): Promise<RunningPeer> {
  const driver: Driver = neo4j.driver(options.uri, neo4j.auth.basic(options.user, options.password), { maxConnectionPoolSize: 50 });
  const neoSchema = new Neo4jGraphQL({ typeDefs: PEER_TYPE_DEFS, driver });
  const schema = await neoSchema.getSchema();
  const apollo = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(apollo, {
    listen: { port: options.port, host: options.host ?? '127.0.0.1' },
    context: async ({ req }) => ({ req, sessionConfig: options.database ? { database: options.database } : undefined }),
  });
  return {
    url,
    close: async () => {
      await apollo.stop();
      await driver.close();
    },
  };
}

if (require.main === module) serveAsChild('peer', 4001, startPeer);
