/**
 * The bench's three servers as child processes (bench/harness/children.ts): our API as
 * `dcg serve`, the peer and the floor as bench/<name>.ts; each writes its log to <logDir>/<name>.log.
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../src/paths';
import type { ServerName } from './check';
import { serveArgs, spawnServer, type Neo4jConnection } from './harness';

const READY_TIMEOUT_MS = 180_000;

export interface ChildServer {
  name: ServerName;
  pid: number;
  /** Where it answers: /graphql for ours, / for the peer, /<query> under it for the floor. */
  url: string;
  /** Base URL, for ours' /metrics. */
  base: string;
  logFile: string;
  stop(): Promise<void>;
}

function args(name: ServerName): string[] {
  return name === 'ours' ? serveArgs() : ['-r', 'tsx/cjs', path.join(PROJECT_ROOT, 'bench', `${name}.ts`)];
}

export async function startChild(name: ServerName, port: number, neo4j: Neo4jConnection, logDir: string, extraEnv: Record<string, string> = {}): Promise<ChildServer> {
  const logFile = path.join(logDir, `${name}.log`);
  // Ours says "GraphQL API ready at <url>" (src/cli/main.ts); the peer and the floor "ready <url>" (bench/child.ts).
  const child = await spawnServer({ name, args: args(name), port, neo4j, env: extraEnv, logFile, ready: /^ready |GraphQL API ready at /m, readyWithinMs: READY_TIMEOUT_MS });
  const url = name === 'ours' ? `${child.base}/graphql` : `${child.base}/`;
  return {
    name,
    pid: child.pid,
    url,
    base: child.base,
    logFile,
    stop: async () => {
      await child.stop();
    },
  };
}
