/**
 * Synthetic documents in the seed format, for benchmarks: `npm run gen -- --scale medium`.
 * Deterministic for a given --seed. About 200 countries, then organisations, units and
 * initiatives whose participation follows a power law (a few hubs, a long tail); facts with
 * statuses, partial dates of every precision, and evidence quoted from a generated text.
 * Written as JSON (fast to parse) to bench/data/<scale>/, one document per source.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { DOMAINS, type RelationType, type Role, type Status } from '../src/ontology';
import type { DocumentInput, EntityInput, FactInput, PartialDateInput } from '../src/ingest/document';
import { factId } from '../src/ingest/document';
import { PROJECT_ROOT } from '../src/paths';

export const SCALES = {
  tiny: { countries: 20, organisations: 10, units: 40, initiatives: 60, facts: 600, factsPerSource: 300 },
  medium: { countries: 200, organisations: 150, units: 800, initiatives: 850, facts: 8_000, factsPerSource: 2_000 },
  large: { countries: 200, organisations: 2_000, units: 15_000, initiatives: 23_000, facts: 160_000, factsPerSource: 10_000 },
} as const;
export type Scale = keyof typeof SCALES;

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index in [0, n) drawn from a Zipf-like law: index 0 is the biggest hub. */
function powerLaw(random: () => number, n: number, exponent = 1.2): number {
  const u = random();
  return Math.min(n - 1, Math.floor(n * Math.pow(u, exponent * 2)));
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function randomDate(random: () => number): PartialDateInput | undefined {
  const roll = random();
  const year = 1995 + Math.floor(random() * 30);
  const month = 1 + Math.floor(random() * 12);
  const dayOf = 1 + Math.floor(random() * 28);
  if (roll < 0.35) return undefined;
  if (roll < 0.6) return { text: String(year), value: String(year), precision: 'YEAR' };
  if (roll < 0.8) return { text: `${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][month - 1]} ${year}`, value: `${year}-${pad(month, 2)}`, precision: 'MONTH' };
  if (roll < 0.92) return { text: `${year}-${pad(month, 2)}-${pad(dayOf, 2)}`, value: `${year}-${pad(month, 2)}-${pad(dayOf, 2)}`, precision: 'DAY' };
  return { text: `early ${year}`, value: String(year), precision: 'RANGE', earliest: `${year}-01-01`, latest: `${year}-04-30` };
}

function statusOf(random: () => number): Status {
  const roll = random();
  if (roll < 0.75) return 'ACTIVE';
  if (roll < 0.85) return 'PLANNED';
  if (roll < 0.92) return 'PROPOSED';
  if (roll < 0.96) return 'ANNOUNCED';
  return 'ENDED';
}

export interface Generated {
  documents: Array<{ name: string; document: DocumentInput; text: string }>;
  entities: number;
  facts: number;
}

export function generate(scale: Scale, seed: number): Generated {
  const spec = SCALES[scale];
  const random = prng(seed);
  const entities: EntityInput[] = [];
  const countries: EntityInput[] = [];
  for (let i = 0; i < spec.countries; i += 1) {
    const code = String.fromCharCode(65 + Math.floor(i / 26) % 26, 65 + (i % 26));
    const e: EntityInput = { id: `country-${pad(i, 3)}`, kind: 'Country', name: `Country ${code}${i}`, aliases: [`C${i}`], reference: { iso3166: code } };
    countries.push(e);
    entities.push(e);
  }
  const actors: EntityInput[] = [...countries];
  const groups: EntityInput[] = [];
  for (let i = 0; i < spec.organisations; i += 1) {
    const e: EntityInput = { id: `org-${pad(i, 5)}`, kind: 'Organisation', subtype: 'ALLIANCE', name: `Organisation ${i}`, aliases: [`ORG${i}`] };
    entities.push(e);
    groups.push(e);
  }
  for (let i = 0; i < spec.units; i += 1) {
    const owner = countries[powerLaw(random, countries.length)] as EntityInput;
    const e: EntityInput = { id: `unit-${pad(i, 6)}`, kind: 'Unit', subtype: 'UNIT', name: `Unit ${i} of ${owner.name}`, aliases: [`U${i}`], belongsTo: owner.id };
    entities.push(e);
    actors.push(e);
  }
  for (let i = 0; i < spec.initiatives; i += 1) {
    const e: EntityInput = { id: `initiative-${pad(i, 6)}`, kind: 'Initiative', subtype: ['MISSION', 'EXERCISE', 'PROJECT', 'COALITION'][i % 4] as string, name: `Initiative ${i}`, aliases: [`INI${i}`] };
    entities.push(e);
    groups.push(e);
  }

  const roles: Role[] = ['CONTRIBUTOR', 'PARTICIPANT', 'LEAD', 'COORDINATOR', 'HOST'];
  const facts: FactInput[] = [];
  const seen = new Set<string>();
  while (facts.length < spec.facts) {
    const roll = random();
    const subject = actors[powerLaw(random, actors.length)] as EntityInput;
    let type: RelationType;
    let object: EntityInput;
    let role: Role | undefined;
    if (roll < 0.7) {
      type = 'PARTICIPATES_IN';
      object = groups[powerLaw(random, groups.length)] as EntityInput;
      role = roles[Math.floor(random() * roles.length)];
    } else if (roll < 0.82) {
      type = 'MEMBER_OF';
      object = groups[powerLaw(random, Math.min(groups.length, spec.organisations))] as EntityInput;
    } else {
      type = (['COOPERATES_WITH', 'TRAINS_WITH', 'SUPPORTS'] as const)[Math.floor(random() * 3)] as RelationType;
      object = actors[powerLaw(random, actors.length)] as EntityInput;
    }
    if (object.id === subject.id || (subject.belongsTo && subject.belongsTo === object.id)) continue;
    const id = factId({ type, subject: subject.id, object: object.id, role });
    if (seen.has(id)) continue;
    seen.add(id);
    const status = statusOf(random);
    const start = randomDate(random);
    const end = status === 'ENDED' ? { text: '2024', value: '2024', precision: 'YEAR' as const } : undefined;
    const domains = [DOMAINS[Math.floor(random() * DOMAINS.length)] as (typeof DOMAINS)[number]];
    facts.push({ type, subject: subject.id, object: object.id, role, domains, status, start: start && end && start.value > '2024' ? undefined : start, end, evidence: [] });
  }

  // One source per slice of facts; its text has one sentence per fact, quoted as evidence.
  const byId = new Map(entities.map((e) => [e.id, e]));
  const documents: Generated['documents'] = [];
  for (let s = 0; s * spec.factsPerSource < facts.length; s += 1) {
    const slice = facts.slice(s * spec.factsPerSource, (s + 1) * spec.factsPerSource);
    const sourceId = `synthetic-${scale}-${pad(s, 4)}`;
    const sentences: string[] = [];
    let offset = 0;
    const used = new Set<string>();
    const docFacts = slice.map((fact) => {
      const sentence = `${byId.get(fact.subject)?.name} ${fact.type.toLowerCase().replace(/_/g, ' ')} ${byId.get(fact.object)?.name}${fact.role ? ` as ${fact.role.toLowerCase()}` : ''}${fact.start ? ` since ${fact.start.text}` : ''} (${fact.status.toLowerCase()}).`;
      const start = offset;
      offset += sentence.length + 1;
      sentences.push(sentence);
      used.add(fact.subject).add(fact.object);
      return { ...fact, evidence: [{ source: sourceId, quote: sentence, start, end: start + sentence.length }] };
    });
    const text = sentences.join('\n');
    const docEntities = entities.filter((e) => used.has(e.id) || (e.kind === 'Country' && [...used].some((u) => byId.get(u)?.belongsTo === e.id)));
    documents.push({
      name: `${sourceId}.json`,
      text,
      document: {
        source: {
          id: sourceId,
          title: `Synthetic source ${s} (${scale}, seed ${seed})`,
          publisher: 'defence-cooperation-graph benchmark generator',
          url: `https://example.org/synthetic/${sourceId}`,
          published: { text: '2024', value: '2024', precision: 'YEAR' },
          language: 'en',
          textFile: `sources/${sourceId}.txt`,
          sha256: crypto.createHash('sha256').update(text, 'utf8').digest('hex'),
          notes: {},
        },
        entities: docEntities,
        facts: docFacts,
      },
    });
  }
  return { documents, entities: entities.length, facts: facts.length };
}

export function writeGenerated(generated: Generated, dir: string): string[] {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'sources'), { recursive: true });
  return generated.documents.map(({ name, document, text }) => {
    fs.writeFileSync(path.join(dir, document.source.textFile), text);
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(document));
    return file;
  });
}

if (require.main === module) {
  const options = new Command('gen')
    .description('write synthetic documents in the seed format')
    .option('--scale <scale>', `one of ${Object.keys(SCALES).join(', ')}`, 'medium')
    .option('--seed <n>', 'random seed', '1')
    .option('--out <dir>', 'output folder (default bench/data/<scale>)')
    .parse(process.argv)
    .opts<{ scale: string; seed: string; out?: string }>();
  if (!(options.scale in SCALES)) {
    process.stderr.write(`--scale must be one of ${Object.keys(SCALES).join(', ')}; got ${JSON.stringify(options.scale)}\n`);
    process.exit(1);
  }
  const seed = Number(options.seed);
  if (!Number.isInteger(seed)) {
    process.stderr.write(`--seed must be an integer; got ${JSON.stringify(options.seed)}\n`);
    process.exit(1);
  }
  const started = Date.now();
  const generated = generate(options.scale as Scale, seed);
  const dir = options.out ?? path.join(PROJECT_ROOT, 'bench', 'data', options.scale);
  const files = writeGenerated(generated, dir);
  process.stdout.write(`${files.length} documents, ${generated.entities} entities, ${generated.facts} facts in ${dir} (${Date.now() - started} ms)\n`);
}
