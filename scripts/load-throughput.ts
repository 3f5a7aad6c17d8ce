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
import { connectDb, cpuSeconds, openNeo4j, type Neo4jHandle } from '../bench/harness';
import type { Db } from '../src/db/executor';
import { graphTotals, wipeGraph } from '../src/db/schema';
import { jvmMemory } from '../src/db/server';
import { loadFiles, type LoadReport } from '../src/ingest/load';
import { logger } from '../src/logger';
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

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Samples the load average and the JVM heap every second until stopped. */
function sampler(db: Db): { stop(): Promise<Sample[]> } {
  const samples: Sample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const sample: Sample = { load1: os.loadavg()[0] ?? 0 };
      try {
        const memory = await jvmMemory(db);
        sample.heapUsed = memory.used;
        sample.heapMax = memory.max;
        sample.oldAfterGc = memory.oldAfterGc;
        sample.gcMs = memory.gcMs;
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

async function timedLoad(db: Db, files: string[], label: string, neo4jPid: number | null): Promise<LoadReport[]> {
  const before = await graphTotals(db);
  const watch = sampler(db);
  const started = performance.now();
  const neo4jCpu0 = neo4jPid === null ? null : cpuSeconds(neo4jPid);
  const nodeCpu0 = process.cpuUsage();
  const reports = await loadFiles(db, files, () => {});
  const seconds = (performance.now() - started) / 1000;
  const neo4jCpu = ((neo4jPid === null ? null : cpuSeconds(neo4jPid)) ?? NaN) - (neo4jCpu0 ?? NaN);
  const nodeCpu = process.cpuUsage(nodeCpu0);
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
  let neo4j: Neo4jHandle | undefined;
  let db: Db | undefined;
  try {
    if (files.length === 0) {
      if (!(opts.scale in SCALES)) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}; got ${opts.scale}`);
      const generated = generate(opts.scale as Scale, Number(opts.seed));
      files = writeGenerated(generated, path.join(tmp, 'documents'));
      say(`generated ${opts.scale} (seed ${opts.seed}): ${files.length} documents, ${generated.entities} entities, ${generated.facts} facts`);
    }
    neo4j = await openNeo4j({ dataDir: path.join(tmp, 'neo4j'), log: say });
    db = connectDb(neo4j.connection, { poolSize: 10, queryTimeoutMs: 60_000, logger });
    if (opts.reset && neo4j.external) await wipeGraph(db);
    say(`Neo4j ${neo4j.connection.uri}; ${os.cpus().length} cores; load average now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    await timedLoad(db, files, 'load', neo4j.pid);
    if (opts.rerun) await timedLoad(db, files, 'rerun', neo4j.pid);
  } finally {
    await db?.close();
    await neo4j?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
