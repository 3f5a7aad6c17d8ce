/**
 * The entry point shared by the peer and the floor when bench/procs.ts runs them as child
 * processes: Neo4j from the environment, "ready <url>" on stdout once listening, a clean stop
 * on SIGTERM or SIGINT, and exit 1 with the stack if it cannot start.
 */
import { config, configured } from '../src/config';

export interface BenchServerOptions {
  uri: string;
  user: string;
  password: string;
  database?: string;
  host?: string;
  port: number;
}

export interface RunningBenchServer {
  url: string;
  close(): Promise<void>;
}

/** `port` when PORT is not set: the configuration's default (4000) is our API's, not theirs. */
export function serveAsChild(name: string, port: number, start: (options: BenchServerOptions) => Promise<RunningBenchServer>): void {
  const cfg = config();
  start({
    uri: cfg.NEO4J_URI ?? `bolt://127.0.0.1:${cfg.NEO4J_LOCAL_PORT}`,
    user: cfg.NEO4J_USER,
    password: cfg.NEO4J_PASSWORD,
    database: cfg.NEO4J_DATABASE,
    port: configured('PORT') ? cfg.PORT : port,
  }).then(
    (server) => {
      process.stdout.write(`ready ${server.url}\n`);
      const stop = () => void server.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (error: unknown) => {
      process.stderr.write(`${name}: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
