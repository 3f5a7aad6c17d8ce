/**
 * `dcg extract`: a release's text in, a draft document out (--out), or its scores against a
 * curated document of the same text (--gold). The known names come from the graph (without
 * the curated document's own source, for a fair score) unless --no-graph.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openGraph } from '../app';
import { knownEntities } from '../db/gazetteer';
import type { EntityRecord } from '../db/records';
import type { PartialDateInput } from '../ingest/document';
import { readDocument } from '../ingest/read';
import { formatProblems, validateDocument } from '../ingest/validate';
import { buildDraft, draftYaml, extract, gazetteerOf, scoreDraft, type DraftDocument, type Scores } from '../extract';
import { splitSentences } from '../extract/sentences';
import { slug } from '../extract/text';

export interface ExtractCliOptions {
  out?: string;
  gold?: string;
  json?: boolean;
  graph: boolean;
  id?: string;
  title?: string;
  url?: string;
  publisher?: string;
  published?: string;
}

/** A publication date as the options write it: YYYY, YYYY-MM or YYYY-MM-DD. */
export function publishedOption(value: string, option = '--published'): PartialDateInput {
  const precision = ({ 4: 'YEAR', 7: 'MONTH', 10: 'DAY' } as const)[value.length as 4 | 7 | 10];
  if (!precision || !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) {
    throw new Error(`${option} must be YYYY, YYYY-MM or YYYY-MM-DD; got ${JSON.stringify(value)}`);
  }
  return { text: value, value, precision };
}

export interface ExtractRun {
  draft: DraftDocument;
  yaml: string;
  /** Time of the extraction itself, without reading the graph. */
  ms: number;
  scores?: Scores;
}

export async function runExtract(textFile: string, options: ExtractCliOptions, known?: EntityRecord[]): Promise<ExtractRun> {
  const bytes = fs.readFileSync(textFile);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${textFile} is not valid UTF-8 text`);
  }
  let gold: ReturnType<typeof validateDocument> | undefined;
  if (options.gold) {
    gold = validateDocument(readDocument(options.gold));
    if (!gold.ok) throw new Error(`--gold ${options.gold} is not a valid document:\n${formatProblems(gold.problems)}`);
  }
  const exceptSource = gold?.ok ? gold.document.source.id : null;
  let records = known;
  if (!records) {
    if (options.graph) {
      const graph = await openGraph();
      try {
        records = await knownEntities(graph.db, exceptSource);
      } finally {
        await graph.close();
      }
    } else {
      records = [];
    }
  }

  const started = process.hrtime.bigint();
  const published = options.published ? publishedOption(options.published) : publishedOption(fs.statSync(textFile).mtime.toISOString().slice(0, 10));
  const gazetteer = gazetteerOf(records);
  const extraction = extract(text, { gazetteer, published });
  const outDir = path.dirname(path.resolve(options.out ?? textFile));
  const draft = buildDraft(extraction, text, bytes, {
    id: options.id ?? (slug(path.basename(textFile).replace(/\.[^.]+$/u, '')) || 'source'),
    title: options.title ?? (splitSentences(text)[0]?.text ?? path.basename(textFile)).slice(0, 500),
    publisher: options.publisher ?? 'unknown (set --publisher)',
    url: options.url ?? pathToFileURL(path.resolve(textFile)).href,
    published,
    language: 'en',
    textFile: path.relative(outDir, path.resolve(textFile)).split(path.sep).join('/'),
    notes: options.published ? {} : { published: 'the text file\'s modification day (set --published)' },
  });
  const yaml = draftYaml(draft);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const scores = gold?.ok ? scoreDraft(draft, gold.document, text) : undefined;
  return { draft, yaml, ms, ...(scores ? { scores } : {}) };
}

export function formatScores(scores: Scores): string {
  const { entities: e, facts: f, evidence: v } = scores;
  return [
    `entities: precision ${e.precision} (${e.matched} of ${e.proposed} proposed), recall ${e.recall} (of ${e.curated} curated)`,
    `facts:    precision ${f.precision} (${f.matched} of ${f.proposed} proposed), recall ${f.recall} (of ${f.curated} curated), with dates right ${f.datesRight}`,
    `evidence: ${v.exact} of ${v.total} offsets exact`,
  ].join('\n');
}

export function scoresJson(scores: Scores): string {
  return JSON.stringify({
    entities: { precision: scores.entities.precision, recall: scores.entities.recall },
    facts: { precision: scores.facts.precision, recall: scores.facts.recall, datesRight: scores.facts.datesRight },
    evidence: scores.evidence,
  });
}
