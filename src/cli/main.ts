/**
 * dcg: the operator's command line. Thin commands over the same core as the server.
 */
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { graphIsEmpty, loadSeed, openGraph, type Graph } from '../app';
import { config } from '../config';
import { graphTotals, wipeGraph } from '../db/schema';
import { checkExportOptions, EXPORT_FORMATS, exportGraph } from '../export';
import { loadFiles, ValidationError, type LoadReport } from '../ingest/load';
import { readDocument } from '../ingest/read';
import { formatProblems, validateDocument } from '../ingest/validate';
import { logger } from '../logger';
import { DOMAINS, ENTITY_KINDS, STATUSES } from '../ontology';
import { ensureLauncherBuilt } from '../neo4j/local';
import { startServer } from '../server';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function progressLine(message: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r  ${message}\u001b[K`);
}

function printReports(reports: LoadReport[]): void {
  if (process.stderr.isTTY) process.stderr.write('\r\u001b[K');
  for (const r of reports) {
    const t = (x: { created: number; updated: number; unchanged: number }) => `${x.created} created, ${x.updated} updated, ${x.unchanged} unchanged`;
    say(`${r.file} (source ${r.source}) in ${r.ms} ms, ${r.relationshipsPerSecond} relationships/s`);
    say(`  entities: ${t(r.entities)}`);
    say(`  facts:    ${t(r.facts)}`);
    say(`  evidence: ${t(r.evidence)}`);
    if (r.removed.evidence || r.removed.facts) say(`  removed:  ${r.removed.evidence} evidence, ${r.removed.facts} facts no longer in the document`);
  }
}

async function printTotals(graph: Graph): Promise<void> {
  const totals = await graphTotals(graph.db);
  say(`graph: ${totals.nodes} nodes, ${totals.relationships} relationships`);
  say(`  ${Object.entries(totals.byLabel).map(([label, n]) => `${label} ${n}`).join(', ')}`);
}

/** Runs a command against a Neo4j, closing it (and stopping one we started) afterwards. */
async function withGraph(work: (graph: Graph) => Promise<void>): Promise<void> {
  const graph = await openGraph();
  try {
    await work(graph);
  } finally {
    await graph.close();
  }
}

async function load(files: string[] | 'seed'): Promise<void> {
  await withGraph(async (graph) => {
    const reports = files === 'seed' ? await loadSeed(graph.db, progressLine) : await loadFiles(graph.db, files, progressLine);
    printReports(reports);
    await printTotals(graph);
  });
}

async function serve(): Promise<void> {
  const cfg = config();
  const graph = await openGraph();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await server?.close().catch(() => {});
    await graph.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    if (await graphIsEmpty(graph.db)) {
      say('The database holds no graph yet: loading the seed.');
      printReports(await loadSeed(graph.db, progressLine));
    }
    server = await startServer({ db: graph.db, logger, production: cfg.NODE_ENV === 'production', host: cfg.HOST, port: cfg.PORT });
  } catch (error) {
    await graph.close();
    throw error;
  }
  say(`GraphQL API ready at ${server.url} (Neo4j: ${graph.target.origin}, ${graph.target.uri})`);
}

export function buildCli(): Command {
  const program = new Command('dcg')
    .description('defence-cooperation-graph: a knowledge graph of defence cooperation in Neo4j, with a GraphQL API')
    .showHelpAfterError();

  program
    .command('serve')
    .description('serve the GraphQL API (loads the seed into an empty database first)')
    .action(serve);

  program.command('seed').description('validate and load the seed documents in seed/').action(() => load('seed'));

  program
    .command('load')
    .description('validate and load source documents (YAML or JSON); all are validated before anything is written')
    .argument('<files...>', 'document files')
    .action((files: string[]) => load(files));

  program
    .command('validate')
    .description('check documents without a database; lists every problem and exits 1 if there is one')
    .argument('<files...>', 'document files')
    .action((files: string[]) => {
      let bad = 0;
      for (const file of files) {
        const result = validateDocument(readDocument(file));
        if (result.ok) say(`${file}: valid (${result.document.entities.length} entities, ${result.document.facts.length} facts)`);
        else {
          bad += result.problems.length;
          process.stderr.write(`${formatProblems(result.problems)}\n`);
        }
      }
      if (bad > 0) {
        process.stderr.write(`${bad} problem(s).\n`);
        process.exitCode = 1;
      }
    });

  program
    .command('stats')
    .description('print node and relationship totals of the graph')
    .action(() => withGraph(printTotals));

  program
    .command('reset')
    .description('delete every node and relationship in the database')
    .addOption(new Option('--yes', 'confirm').makeOptionMandatory())
    .action(() => withGraph(async (graph) => {
      await wipeGraph(graph.db);
      say('The graph is empty.');
    }));

  program
    .command('export')
    .description('export the graph, or the part a filter keeps, as GraphML, JSON or CSV (to standard output, or --out)')
    .requiredOption('--format <format>', `one of ${EXPORT_FORMATS.join(', ')}`)
    .option('--as-of <day>', 'only facts in force on this day, YYYY-MM-DD')
    .option('--include-unknown', 'with --as-of: also the facts not known to be in force on that day, or not (undated before their source, or dated only roughly)')
    .option('--domain <domain>', `only facts in this domain: ${DOMAINS.join(', ')}`)
    .option('--kinds <kinds>', `only facts touching entities of these kinds (comma-separated): ${ENTITY_KINDS.join(', ')}`)
    .option('--status <statuses>', `statuses of the facts (comma-separated, default ACTIVE,ENDED): ${STATUSES.join(', ')}`)
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (options: { format: string; asOf?: string; includeUnknown?: boolean; domain?: string; kinds?: string; status?: string; out?: string }) => {
      // Checked before Neo4j is opened: a typo fails at once, naming the option as typed.
      const checked = checkExportOptions(options, { format: '--format', asOf: '--as-of', includeUnknown: '--include-unknown', domain: '--domain', kinds: '--kinds', status: '--status' });
      await withGraph(async (graph) => {
        const file = await exportGraph(graph.db, { ...checked, exportedAt: new Date() });
        if (options.out) {
          fs.writeFileSync(options.out, file.body);
          process.stderr.write(`Wrote ${options.out} (${Buffer.byteLength(file.body)} bytes).\n`);
        } else {
          await new Promise<void>((resolve, reject) => process.stdout.write(file.body, (error) => (error ? reject(error) : resolve())));
        }
      });
    });

  program
    .command('fetch-neo4j')
    .description('fetch the local Neo4j Community jars from Maven Central and build its launcher (done on first use otherwise)')
    .action(() => ensureLauncherBuilt((line) => process.stderr.write(`${line}\n`)));

  program
    .command('neo4j')
    .description('start the local Neo4j (or check NEO4J_URI) and keep it running until Ctrl-C')
    .action(async () => {
      const graph = await openGraph();
      say(`Neo4j (${graph.target.origin}) at ${graph.target.uri}; Ctrl-C stops it.`);
      const stop = () => void graph.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    if (error instanceof ValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`dcg: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

if (require.main === module) void main(process.argv);
