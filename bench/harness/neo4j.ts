/**
 * The Neo4j a measurement runs against: the server named by NEO4J_URI, or a local Neo4j
 * Community on a free port with a data folder of the caller's, stopped at the end (the caller
 * deletes the folder). A local one can be stopped and started again on the same port and data,
 * to measure an outage.
 */
import { config } from '../../src/config';
import { createDriver, Db } from '../../src/db/executor';
import type { Logger } from '../../src/logger';
import type { Neo4jTarget } from '../../src/neo4j';
import { freePort, startLocal, type LocalOptions } from '../../src/neo4j/local';
import { findNeo4jPid } from './proc';

export interface Neo4jConnection {
  uri: string;
  user: string;
  password: string;
  database: string | undefined;
}

export interface Neo4jHandle {
  connection: Neo4jConnection;
  /** True when it is the server of NEO4J_URI: not started here, not to be stopped or emptied without consent. */
  external: boolean;
  /** The local Neo4j's JVM (for its CPU time and idle checks); null for NEO4J_URI or while stopped. */
  pid: number | null;
  /** Stops a local Neo4j (its data stays); does nothing for NEO4J_URI. */
  stop(): Promise<void>;
  /** Starts a stopped local Neo4j again on the same port and data folder. */
  restart(): Promise<void>;
}

export interface OpenNeo4jOptions {
  /** Data folder of a local Neo4j. */
  dataDir: string;
  log: (line: string) => void;
  /** Use NEO4J_URI when it is set (default); false: always a local Neo4j (e.g. to stop it mid-run). */
  allowExternal?: boolean;
  /** JVM heap and page cache of a local Neo4j; default NEO4J_LOCAL_HEAP_MB and NEO4J_LOCAL_PAGECACHE_MB. */
  heapMb?: number;
  pageCacheMb?: number;
}

export async function openNeo4j(options: OpenNeo4jOptions): Promise<Neo4jHandle> {
  const cfg = config();
  if (cfg.NEO4J_URI && options.allowExternal !== false) {
    return {
      connection: { uri: cfg.NEO4J_URI, user: cfg.NEO4J_USER, password: cfg.NEO4J_PASSWORD, database: cfg.NEO4J_DATABASE },
      external: true,
      pid: null,
      stop: async () => {},
      restart: async () => {},
    };
  }
  const local: LocalOptions = {
    port: await freePort(),
    dataDir: options.dataDir,
    heapMb: options.heapMb ?? cfg.NEO4J_LOCAL_HEAP_MB,
    pageCacheMb: options.pageCacheMb ?? cfg.NEO4J_LOCAL_PAGECACHE_MB,
    log: options.log,
  };
  let target: Neo4jTarget | undefined = await startLocal(local);
  const handle: Neo4jHandle = {
    connection: { uri: target.uri, user: target.user, password: target.password, database: target.database },
    external: false,
    pid: findNeo4jPid(local.dataDir),
    stop: async () => {
      const running = target;
      target = undefined;
      handle.pid = null;
      await running?.stop();
    },
    restart: async () => {
      if (target) return;
      target = await startLocal(local);
      handle.pid = findNeo4jPid(local.dataDir);
    },
  };
  return handle;
}

/** A Db (src/db/executor.ts) on the connection, for loading data and reading targets. */
export function connectDb(connection: Neo4jConnection, options: { poolSize: number; queryTimeoutMs: number; logger: Logger }): Db {
  return new Db(createDriver({ uri: connection.uri, user: connection.user, password: connection.password, poolSize: options.poolSize }), {
    database: connection.database,
    queryTimeoutMs: options.queryTimeoutMs,
    logger: options.logger,
  });
}
