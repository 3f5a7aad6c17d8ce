/**
 * Loader throughput, measured: `npx tsx scripts/load-throughput.ts --scale large`.
 *
 * Generates synthetic documents (scripts/gen.ts) or takes the files given, loads them with
 * loadFiles() (validation, schema, one write transaction per document: exactly what `dcg load`
 * does), and prints each document's time, the relationships added (counted in the graph, as
 * `dcg stats` does) per second of wall time, the machine's load average during the run (it is
 * shared: the figure is only meaningful next to it), and the Neo4j JVM heap (sampled through JMX
 * every second: the most used, and the old generation's most used right after a collection,
 * i.e. what the load really needs). With --rerun it loads the same files a second time, which
 * must report everything unchanged.
 *
 * With NEO4J_URI it uses that server (and empties it first only with --reset); otherwise it
 * starts a local Neo4j on a free port with a temporary data folder (heap NEO4J_LOCAL_HEAP_MB)
 * and stops it at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { config } from '../src/config';
import { createDriver, Db } from '../src/db/executor';
import { graphTotals, wipeGraph } from '../src/db/schema';
import { loadFiles, type LoadReport } from '../src/ingest/load';
import { logger } from '../src/logger';
import { getNeo4j, type Neo4jTarget } from '../src/neo4j';
import { freePort, startLocal } from '../src/neo4j/local';
import { generate, SCALES, writeGenerated, type Scale } from './gen';

interface Sample {
  load1: number;
  heapUsed?: number;
  heapMax?: number;
  oldAfterGc?: number;
  /** Milliseconds the JVM has spent in garbage collection since it started. */
  gcMs?: number;
}

const MB = 1024 * 1024;

/** CPU seconds (user + system) a process has used, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

/** The pid of the local Neo4j JVM started on `dataDir` (its command line names the folder). */
function jvmPid(dataDir: string): number | undefined {
  for (const entry of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('dcg.LocalNeo4j') && cmdline.includes(dataDir)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Samples the load average and the JVM heap every second until stopped. */
function sampler(db: Db): { stop(): Promise<Sample[]> } {
  const samples: Sample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const sample: Sample = { load1: os.loadavg()[0] ?? 0 };
      try {
        const [row] = await db.read(
          `CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes
           WITH attributes.HeapMemoryUsage.value.properties AS heap
           CALL dbms.queryJmx('java.lang:type=MemoryPool,name=G1 Old Gen') YIELD attributes
           WITH heap, attributes.CollectionUsage.value.properties.used AS oldAfterGc
           CALL dbms.queryJmx('java.lang:type=GarbageCollector,*') YIELD attributes
           RETURN heap.used AS used, heap.max AS max, oldAfterGc, sum(attributes.CollectionTime.value) AS gcMs`,
          {},
          5_000,
        );
        sample.heapUsed = row?.used as number;
        sample.heapMax = row?.max as number;
        sample.oldAfterGc = row?.oldAfterGc as number;
        sample.gcMs = row?.gcMs as number;
      } catch {
        // JMX is not available on every server (e.g. Aura): the load average alone then.
      }
      samples.push(sample);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}

function summarise(samples: Sample[]): string {
  const loads = samples.map((s) => s.load1);
  const mean = loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length);
  const heap = samples.filter((s) => s.heapUsed !== undefined);
  const load = `load average (1 min) ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}, mean ${mean.toFixed(1)}`;
  if (heap.length === 0) return load;
  const max = Math.max(...heap.map((s) => s.heapUsed ?? 0));
  const live = Math.max(...heap.map((s) => s.oldAfterGc ?? 0));
  const gc = ((heap[heap.length - 1]?.gcMs ?? 0) - (heap[0]?.gcMs ?? 0)) / 1000;
  return `${load}; heap: at most ${Math.round(max / MB)} MB used, ${Math.round(live / MB)} MB live after GC, of ${Math.round((heap[0]?.heapMax ?? 0) / MB)} MB; ${gc.toFixed(1)} s in GC`;
}

async function timedLoad(db: Db, files: string[], label: string, neo4jPid: number | undefined): Promise<LoadReport[]> {
  const before = await graphTotals(db);
  const watch = sampler(db);
  const started = performance.now();
  const cpuBefore = { neo4j: cpuSeconds(neo4jPid), node: process.cpuUsage() };
  const reports = await loadFiles(db, files, () => {});
  const seconds = (performance.now() - started) / 1000;
  const neo4jCpu = (cpuSeconds(neo4jPid) ?? NaN) - (cpuBefore.neo4j ?? NaN);
  const nodeCpu = process.cpuUsage(cpuBefore.node);
  const samples = await watch.stop();
  const after = await graphTotals(db);
  for (const r of reports) {
    const t = (x: { created: number; updated: number; unchanged: number }) => `${x.created}/${x.updated}/${x.unchanged}`;
    say(
      `  ${path.basename(r.file)}: ${r.ms} ms, ${r.relationshipsPerSecond} relationships/s; created/updated/unchanged entities ${t(r.entities)}, facts ${t(r.facts)}, evidence ${t(r.evidence)}; removed ${r.removed.evidence}/${r.removed.facts}`,
    );
  }
  const added = after.relationships - before.relationships;
  const inDocuments = reports.reduce((n, r) => n + r.ms, 0) / 1000;
  say(
    `${label}: ${files.length} documents in ${seconds.toFixed(1)} s wall (${inDocuments.toFixed(1)} s in the documents' transactions); ` +
      `graph ${after.nodes} nodes, ${after.relationships} relationships (+${added}); ` +
      `${Math.round(added / seconds)} relationships added/s of wall time`,
  );
  say(`  ${summarise(samples)}`);
  say(
    `  CPU: ${Number.isNaN(neo4jCpu) ? 'Neo4j not measured (not started here)' : `Neo4j ${neo4jCpu.toFixed(1)} s`}, ` +
      `loader (validation, rows, Bolt) ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(1)} s`,
  );
  return reports;
}

async function main(): Promise<void> {
  const options = new Command('load-throughput')
    .description('measure the loader: relationships per second, load average, Neo4j heap')
    .argument('[files...]', 'documents to load (default: generated with --scale)')
    .option('--scale <scale>', `generate documents: ${Object.keys(SCALES).join(', ')}`, 'medium')
    .option('--seed <n>', 'generator seed', '1')
    .option('--reset', 'empty the NEO4J_URI database first (a local one starts empty)')
    .option('--rerun', 'load the same files a second time (everything must be unchanged)')
    .parse(process.argv);
  const opts = options.opts<{ scale: string; seed: string; reset?: boolean; rerun?: boolean }>();
  let files = options.args;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcg-throughput-'));
  let target: Neo4jTarget | undefined;
  let db: Db | undefined;
  try {
    if (files.length === 0) {
      if (!(opts.scale in SCALES)) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}; got ${opts.scale}`);
      const generated = generate(opts.scale as Scale, Number(opts.seed));
      files = writeGenerated(generated, path.join(tmp, 'documents'));
      say(`generated ${opts.scale} (seed ${opts.seed}): ${files.length} documents, ${generated.entities} entities, ${generated.facts} facts`);
    }
    const cfg = config();
    if (cfg.NEO4J_URI) {
      target = await getNeo4j();
    } else {
      target = await startLocal({
        port: await freePort(),
        dataDir: path.join(tmp, 'neo4j'),
        heapMb: cfg.NEO4J_LOCAL_HEAP_MB,
        pageCacheMb: cfg.NEO4J_LOCAL_PAGECACHE_MB,
        log: say,
      });
    }
    db = new Db(createDriver({ uri: target.uri, user: target.user, password: target.password, poolSize: 10 }), {
      database: target.database,
      queryTimeoutMs: 60_000,
      logger,
    });
    if (opts.reset && cfg.NEO4J_URI) await wipeGraph(db);
    say(`Neo4j ${target.uri}; ${os.cpus().length} cores; load average now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    const pid = cfg.NEO4J_URI ? undefined : jvmPid(path.join(tmp, 'neo4j'));
    await timedLoad(db, files, 'load', pid);
    if (opts.rerun) await timedLoad(db, files, 'rerun', pid);
  } finally {
    await db?.close();
    await target?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
