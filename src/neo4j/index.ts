/**
 * Getting a Neo4j, in this order:
 *  1. an external server named by NEO4J_URI (tests: NEO4J_TEST_URI), used as it is;
 *  2. for tests only, a reachable Docker engine: a throwaway neo4j:5 container (testcontainers);
 *  3. a local Neo4j Community started from Maven Central jars (neo4j-launcher/).
 * Whatever is returned is ready: a Bolt handshake has succeeded.
 */
import { config } from '../config';
import { dockerEngineReachable, startContainer } from './docker';
import { javaAvailable, startLocal } from './local';

export interface Neo4jTarget {
  uri: string;
  user: string;
  password: string;
  database: string | undefined;
  /** Where this Neo4j came from, for logs and the docs' table. */
  origin: 'external' | 'docker' | 'local';
  /** Stops a Neo4j this process started; does nothing for an external one. */
  stop(): Promise<void>;
}

export interface GetNeo4jOptions {
  /** Tests pass true: Docker may be used, and the external server is NEO4J_TEST_URI. */
  forTests?: boolean;
  /** Bolt port for a local Neo4j (tests pick a free one). */
  localPort?: number;
  /** Data folder for a local Neo4j. */
  localDataDir?: string;
  log?: (line: string) => void;
}

export async function getNeo4j(options: GetNeo4jOptions = {}): Promise<Neo4jTarget> {
  const cfg = config();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const externalUri = options.forTests ? cfg.NEO4J_TEST_URI : cfg.NEO4J_URI;
  if (externalUri) {
    return {
      uri: externalUri,
      user: cfg.NEO4J_USER,
      password: cfg.NEO4J_PASSWORD,
      database: cfg.NEO4J_DATABASE,
      origin: 'external',
      stop: async () => {},
    };
  }
  if (options.forTests && (await dockerEngineReachable())) {
    log('neo4j: Docker engine found, starting neo4j:5 with testcontainers');
    return startContainer();
  }
  if (!javaAvailable()) {
    throw new Error(
      [
        'No Neo4j to use. Provide one of these three:',
        '  1. An existing server: set NEO4J_URI (e.g. bolt://localhost:7687 or neo4j+s://xxxx.databases.neo4j.io)',
        '     with NEO4J_USER, NEO4J_PASSWORD and, if not the default, NEO4J_DATABASE.',
        '  2. Java 17 or newer on PATH (or JAVA_HOME set): a local Neo4j Community is then started from',
        '     Maven Central jars, e.g. `apt-get install openjdk-17-jdk-headless` or https://adoptium.net.',
        '  3. (tests only) A running Docker engine: `npm test` then starts neo4j:5 with testcontainers.',
      ].join('\n'),
    );
  }
  return startLocal({
    port: options.localPort ?? cfg.NEO4J_LOCAL_PORT,
    dataDir: options.localDataDir ?? cfg.NEO4J_LOCAL_DATA,
    heapMb: cfg.NEO4J_LOCAL_HEAP_MB,
    pageCacheMb: cfg.NEO4J_LOCAL_PAGECACHE_MB,
    log,
  });
}
