/**
 * dcg: the operator's command line. Thin commands over the same core as the server.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import { Command, Option } from 'commander';
import { graphIsEmpty, loadSeed, openGraph, reachGraph, type Graph } from '../app';
import { config } from '../config';
import { graphTotals, wipeGraph } from '../db/schema';
import { checkExportOptions, EXPORT_FORMATS, exportGraph } from '../export';
import { entityNames, knownEntities } from '../db/ingest';
import { loadFiles, unloadSource, ValidationError, type LoadReport } from '../ingest/load';
import { resolveEntities } from '../ingest/resolve';
import { readDocument } from '../ingest/read';
import { crossCheck, formatProblems, validateDocument, type Problem, type ValidDocument } from '../ingest/validate';
import { logger } from '../logger';
import { DOMAINS, ENTITY_KINDS, STATUSES } from '../ontology';
import { ensureLauncherBuilt } from '../neo4j/local';
import { startServer } from '../server';
import { formatScores, runExtract, scoresJson, type ExtractCliOptions } from './extract';

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
    say(`  claims:   ${t(r.claims)}`);
    say(`  evidence: ${t(r.evidence)}`);
    const { removed } = r;
    if (removed.evidence || removed.facts || removed.claims || removed.entities) {
      say(`  removed:  ${removed.claims} claims, ${removed.evidence} evidence, ${removed.facts} facts, ${removed.entities} entities no source states any more`);
    }
    if (!r.wrote) say('  nothing written: the graph already holds the document as it is');
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
  if (cfg.HEAP_GROWING_PERCENT > 0) v8.setFlagsFromString(`--heap-growing-percent=${cfg.HEAP_GROWING_PERCENT}`);
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
    .description(
      'check documents (writes nothing); references to entities the documents do not declare are checked against a running graph (NEO4J_URI, or a local Neo4j on NEO4J_LOCAL_PORT) when one answers; exits 1 on a problem',
    )
    .argument('<files...>', 'document files')
    .action(async (files: string[]) => {
      const problems: Problem[] = [];
      const documents: ValidDocument[] = [];
      for (const file of files) {
        const result = validateDocument(readDocument(file));
        if (result.ok) documents.push(result.document);
        else problems.push(...result.problems);
      }
      const graph = await reachGraph();
      try {
        const known = graph.db ? await knownEntities(graph.db, [...new Set(documents.flatMap((d) => [...d.entities.map((e) => e.id), ...d.references]))]) : null;
        const cross = crossCheck(documents, known);
        problems.push(...cross.problems);
        for (const doc of documents) {
          if (!problems.some((p) => p.file === doc.file)) say(`${doc.file}: valid (${doc.entities.length} entities, ${doc.facts.length} facts)`);
        }
        if (cross.unchecked.length > 0) {
          say(`No graph answered at ${graph.uri}: these ids are neither declared in the documents nor checked against a graph:`);
          for (const doc of documents) {
            const ids = cross.unchecked.filter((u) => u.file === doc.file).map((u) => u.id);
            if (ids.length > 0) say(`  ${doc.file}: ${ids.join(', ')}`);
          }
        }
      } finally {
        if (graph.db) await graph.close();
      }
      if (problems.length > 0) {
        process.stderr.write(`${formatProblems(problems)}\n${problems.length} problem(s).\n`);
        process.exitCode = 1;
      }
    });

  program
    .command('resolve')
    .description('list, for each entity a document defines, the entities of the running graph it may be the same as (folded names and aliases, Wikidata and ISO ids)')
    .argument('<file>', 'document file')
    .action(async (file: string) => {
      const result = validateDocument(readDocument(file));
      if (!result.ok) throw new ValidationError(result.problems);
      const graph = await reachGraph();
      if (!graph.db) throw new Error(`No graph answered at ${graph.uri}: start one (dcg neo4j) or set NEO4J_URI.`);
      try {
        const resolutions = resolveEntities(result.document.entities, await entityNames(graph.db));
        let possible = 0;
        for (const r of resolutions) {
          if (r.candidates.length === 0) {
            say(`${r.entity}: new`);
            continue;
          }
          possible += r.candidates.filter((c) => c.id !== r.entity).length;
          say(`${r.entity}:`);
          for (const c of r.candidates) say(`  ${c.id === r.entity ? '=' : '?'} ${c.id} (${c.kind} "${c.name}"): ${c.reasons.join(', ')}`);
        }
        say(`${resolutions.length} entities, ${possible} possible duplicate(s) under another id.`);
      } finally {
        await graph.close();
      }
    });

  program
    .command('extract')
    .description('propose a draft document from a release\'s text (--out), or score it against a curated document (--gold)')
    .argument('<text-file>', 'the release, as UTF-8 text')
    .option('--out <file>', 'write the draft document here')
    .option('--gold <document>', 'print precision and recall against this curated document of the same text')
    .option('--json', 'with --gold: print the scores as JSON')
    .option('--no-graph', 'know only reference data (countries, alliances), not the graph\'s entities')
    .option('--id <id>', 'the source\'s id (default: from the file name)')
    .option('--title <title>', 'the source\'s title (default: the first line of the text)')
    .option('--url <url>', 'the source\'s URL (default: the file\'s file: URL)')
    .option('--publisher <publisher>', 'who published it')
    .option('--published <date>', 'when it was published: YYYY, YYYY-MM or YYYY-MM-DD (default: the file\'s modification day)')
    .action(async (textFile: string, options: ExtractCliOptions) => {
      if (!options.out && !options.gold) throw new Error('extract needs --out <file>, --gold <document>, or both');
      const run = await runExtract(textFile, options);
      if (options.out) {
        fs.writeFileSync(options.out, run.yaml);
        process.stderr.write(`Wrote ${options.out}: draft of ${run.draft.entities.length} entities and ${run.draft.facts.length} facts in ${run.ms.toFixed(1)} ms; review it before loading.\n`);
      }
      if (run.scores) {
        if (options.json) say(scoresJson(run.scores));
        else say(`${formatScores(run.scores)}\nextracted in ${run.ms.toFixed(1)} ms`);
      }
    });

  program
    .command('unload')
    .description("remove a source: its claims, evidence and entity definitions, in one transaction; facts and entities it touched are derived again from the other sources, and those no other source states are removed")
    .argument('<source-id>', 'the id of the source')
    .action((sourceId: string) => withGraph(async (graph) => {
      printReports([await unloadSource(graph.db, sourceId)]);
      await printTotals(graph);
    }));

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
