/**
 * The measurement harness shared by `npm run bench`, `npm run faults`, `npm run load` and
 * scripts/load-throughput.ts. It owns:
 *
 *   neo4j.ts     the Neo4j to measure against: NEO4J_URI, or a local one on a free port with a
 *                temporary data folder, stopped at the end (and restartable, for outages)
 *   children.ts  servers as child processes (`dcg serve`, the bench's peer and floor): spawned
 *                against a Neo4j, waited for until ready, stopped, never left behind
 *   proc.ts      /proc readers: RSS, CPU time, TCP connections, the Neo4j JVM, V8's full GCs
 *   figures.ts   percentiles, medians, and a plain-text table
 *
 * What each script measures (its load, its checks, its figures) stays in the script; this is
 * the plumbing they share. Export from here what a script needs, and nothing else.
 */
export { spawnServer, serveArgs, startFlags, type ServerChild, type SpawnServerOptions } from './children';
export { formatTable, median, percentile } from './figures';
export { connectDb, openNeo4j, type Neo4jConnection, type Neo4jHandle, type OpenNeo4jOptions } from './neo4j';
export { connectionsTo, cpuSeconds, findNeo4jPid, fullGcs, listenerPid, machineCpu, rssMb, sampleRss, waitIdle } from './proc';
export { freePort } from '../../src/neo4j/local';
