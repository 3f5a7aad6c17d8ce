/**
 * The entry point shared by the peer and the floor when bench/procs.ts runs them as child
 * processes: Neo4j from the environment, "ready <url>" on stdout once listening, a clean stop
 * on SIGTERM or SIGINT, and exit 1 with the stack if it cannot start.
 */
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

export function serveAsChild(name: string, defaultPort: number, start: (options: BenchServerOptions) => Promise<RunningBenchServer>): void {
  const env = process.env;
  start({
    uri: env.NEO4J_URI ?? 'bolt://127.0.0.1:7687',
    user: env.NEO4J_USER ?? 'neo4j',
    password: env.NEO4J_PASSWORD ?? '',
    database: env.NEO4J_DATABASE || undefined,
    port: Number(env.PORT ?? defaultPort),
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
