/**
 * `npm run bench:extract`: how long `dcg extract` takes on the seed release and each synthetic
 * fixture, with an empty graph (reference data only), and the scores against their curated
 * documents. The first run of the process is reported apart (it builds the reference
 * gazetteer of ~250 countries and warms the regular expressions); then the median and the
 * slowest of --runs more.
 *
 *   npm run bench:extract
 *   npm run bench:extract -- --runs 50
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { buildDraft, extract, gazetteerOf, scoreDraft } from '../src/extract';
import { readDocument } from '../src/ingest/read';
import { validateDocument } from '../src/ingest/validate';
import { PROJECT_ROOT, SEED_DIR } from '../src/paths';

const options = new Command().option('--runs <n>', 'timed runs per text after the first', '20').parse(process.argv).opts<{ runs: string }>();
const runs = Math.max(1, Number(options.runs));
const fixtures = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'extract');
const texts = [
  [path.join(SEED_DIR, 'sources', 'lt-mod-2024-03-25-chod-belgium.txt'), path.join(SEED_DIR, 'lt-mod-2024-03-25-chod-belgium.yaml')],
  ...fs.readdirSync(fixtures).filter((f) => f.endsWith('.txt')).sort().map((f) => [path.join(fixtures, f), path.join(fixtures, f.replace(/\.txt$/, '.yaml'))]),
] as Array<[string, string]>;

const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
let first = true;
process.stdout.write(`| text | characters | first run (ms) | median of ${runs} (ms) | slowest (ms) | entities P / R | facts P / R / dates | evidence exact |\n|---|---|---|---|---|---|---|---|\n`);
for (const [textFile, goldFile] of texts) {
  const bytes = fs.readFileSync(textFile);
  const text = bytes.toString('utf8');
  const gold = validateDocument(readDocument(goldFile));
  if (!gold.ok) throw new Error(`${goldFile} is not valid`);
  const published = gold.document.source.published;
  const once = () => {
    const gazetteer = gazetteerOf([]);
    const extraction = extract(text, { gazetteer, published });
    return buildDraft(extraction, text, bytes, { ...gold.document.source, textFile: path.basename(textFile) });
  };
  let start = process.hrtime.bigint();
  const draft = once();
  const firstMs = ms(start);
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    start = process.hrtime.bigint();
    once();
    times.push(ms(start));
  }
  times.sort((a, b) => a - b);
  const s = scoreDraft(draft, gold.document, text);
  const name = path.basename(textFile, '.txt') + (first ? ' (first in the process)' : '');
  first = false;
  process.stdout.write(
    `| ${name} | ${[...text].length} | ${firstMs.toFixed(0)} | ${(times[Math.floor(times.length / 2)] as number).toFixed(1)} | ${(times[times.length - 1] as number).toFixed(1)} | ${s.entities.precision} / ${s.entities.recall} | ${s.facts.precision} / ${s.facts.recall} / ${s.facts.datesRight} | ${s.evidence.exact} of ${s.evidence.total} |\n`,
  );
}
