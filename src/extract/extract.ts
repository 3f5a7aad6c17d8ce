/**
 * Extraction of one text: sentences, then in each its known names (gazetteer), dates and
 * candidate new names, then the facts its cues propose. The result is a list of proposals with
 * the rule and confidence behind each, and evidence spans in UTF-16 indexes that draft.ts
 * turns into code point offsets.
 */
import type { PartialDateInput } from '../ingest/document';
import type { EntityKind } from '../ontology';
import { findDates } from './dates';
import type { Gazetteer, KnownEntity } from './gazetteer';
import { findCandidates, type Candidate } from './names';
import { positionsOf, proposeFacts, type ProposedFact, type Ref } from './relations';
import { splitSentences, type Sentence } from './sentences';
import { fold, slug } from './text';
import { tokenize } from './tokens';

export interface Review {
  /** The rule (or rules, joined by "+") that proposed the entry. */
  rule: string;
  /** 0..1: how often the rule is right, as a hint for the reviewer. */
  confidence: number;
}

export interface ProposedEntity {
  id: string;
  kind: EntityKind;
  subtype?: string;
  name: string;
  aliases: string[];
  reference?: { iso3166?: string; wikidata?: string; aliases?: string[] };
  belongsTo?: string;
  /** Known from the graph or reference data, or a new name found in the text. */
  origin: 'graph' | 'reference' | 'text';
  review: Review;
}

export interface Extraction {
  sentences: Sentence[];
  entities: ProposedEntity[];
  facts: ProposedFact[];
}

export interface ExtractOptions {
  gazetteer: Gazetteer;
  /** The publication date: the year of "On March 25", and the year in the event's id. */
  published: PartialDateInput;
}

/**
 * "The brigade", "the exercise": a thing named before, by the word that says what it is (the
 * most recent entity whose name or kind has that word).
 */
const DEFINITE = /\b[Tt]he\s+(brigade|battalion|regiment|division|mission|exercise|operation|coalition|agreement|memorandum|command|group|project|initiative)(?!\s+\p{Lu})\b/gu;
const SUBTYPE_WORD: Record<string, string> = { exercise: 'EXERCISE', mission: 'MISSION', operation: 'OPERATION', coalition: 'COALITION', agreement: 'AGREEMENT', memorandum: 'AGREEMENT', project: 'PROJECT' };

/** "a bilateral meeting", "the official visit": the event a release is about, if any. */
const EVENT = /\b(?:a|an|the)\s+((?:(?:bilateral|trilateral|multilateral|official|joint|annual|working)\s+)?(meeting|talks|visit|summit|conference))\b/giu;

export function extract(text: string, options: ExtractOptions): Extraction {
  const sentences = splitSentences(text);
  const published = new Date(`${(options.published.earliest ?? options.published.value).padEnd(10, '-01').slice(0, 10)}T12:00:00Z`);
  const entities = new Map<string, ProposedEntity>();
  const byName = new Map<string, string>();

  const remember = (entity: ProposedEntity): void => {
    for (const name of [entity.name, ...entity.aliases]) if (!byName.has(fold(name))) byName.set(fold(name), entity.id);
  };
  const addSurface = (entity: ProposedEntity, surface: string): void => {
    const folded = fold(surface);
    if (folded !== fold(entity.name) && !entity.aliases.some((a) => fold(a) === folded) && !entity.reference?.aliases?.some((a) => fold(a) === folded)) {
      entity.aliases.push(surface);
    }
    remember(entity);
  };
  const known = (k: KnownEntity, surface: string): ProposedEntity => {
    let entity = entities.get(k.id);
    if (!entity) {
      entity = {
        id: k.id,
        kind: k.kind,
        ...(k.subtype ? { subtype: k.subtype } : {}),
        name: k.name,
        aliases: [...k.aliases],
        ...(k.reference && Object.keys(k.reference).length > 0 ? { reference: k.reference } : {}),
        ...(k.belongsTo ? { belongsTo: k.belongsTo } : {}),
        origin: k.origin,
        review: { rule: k.origin === 'graph' ? 'gazetteer.graph' : 'gazetteer.reference', confidence: 0.9 },
      };
      entities.set(k.id, entity);
    }
    addSurface(entity, surface);
    return entity;
  };
  const unique = (base: string): string => {
    let id = base || 'entity';
    for (let n = 2; entities.has(id) || options.gazetteer.entities.some((e) => e.id === id); n += 1) id = `${base}-${n}`;
    return id;
  };
  const candidate = (c: Candidate): ProposedEntity => {
    const same = [c.name, ...c.aliases].map((n) => byName.get(fold(n))).find((id) => id !== undefined);
    const existing = same ? entities.get(same) : undefined;
    if (existing) {
      for (const alias of [c.name, ...c.aliases]) addSurface(existing, alias);
      return existing;
    }
    const entity: ProposedEntity = {
      id: unique(slug(c.name)),
      kind: c.kind,
      ...(c.subtype ? { subtype: c.subtype } : {}),
      name: c.name,
      aliases: [...new Set(c.aliases.filter((a) => fold(a) !== fold(c.name)))],
      ...(c.belongsTo ? { belongsTo: c.belongsTo } : {}),
      origin: 'text',
      review: { rule: c.rule, confidence: c.confidence },
    };
    entities.set(entity.id, entity);
    remember(entity);
    return entity;
  };

  // The event the text is about: its first mention names it; "the meeting" later is the same.
  let event: ProposedEntity | undefined;
  const eventMatch = EVENT.exec(text);
  EVENT.lastIndex = 0;
  if (eventMatch) {
    const name = eventMatch[1] as string;
    const subtype = /visit/iu.test(eventMatch[2] as string) ? 'VISIT' : 'MEETING';
    event = {
      id: unique(`${slug(name)}-${published.getUTCFullYear()}`),
      kind: 'Event',
      subtype,
      name,
      aliases: [],
      origin: 'text',
      review: { rule: 'name.event-phrase', confidence: 0.5 },
    };
  }

  const facts: ProposedFact[] = [];
  const earlier: Ref[] = [];
  for (const sentence of sentences) {
    const tokens = tokenize(sentence);
    const mentions = options.gazetteer.match(tokens);
    const dates = findDates(sentence.text, sentence.start, published);
    const dateTokens = new Set(tokens.filter((t) => dates.some((d) => t.start < d.end && t.end > d.start)).map((t) => t.i));
    const { candidates, positions } = findCandidates({ tokens, mentions, dateTokens });
    const refs: Ref[] = [];
    for (const c of candidates) {
      if (c.rule === 'name.rank-surname') {
        // "Colonel Brazauskas" is someone named in full before, or no one the draft knows.
        const surname = fold(c.name);
        const person = [...entities.values()].find((e) => e.kind === 'Person' && fold(e.name).endsWith(` ${surname}`));
        if (!person) continue;
        for (const alias of c.aliases) addSurface(person, alias);
        refs.push({ id: person.id, kind: 'Person', start: c.start, end: c.end });
        continue;
      }
      const entity = candidate(c);
      refs.push({ id: entity.id, kind: entity.kind, ...(entity.subtype ? { subtype: entity.subtype } : {}), start: c.start, end: c.end });
    }
    for (const m of mentions) {
      if (candidates.some((c) => m.first < c.last && m.last > c.first)) continue;
      const entity = known(m.entity, m.surface);
      refs.push({ id: entity.id, kind: entity.kind, ...(entity.subtype ? { subtype: entity.subtype } : {}), start: m.start, end: m.end });
    }
    for (const match of sentence.text.matchAll(DEFINITE)) {
      const start = sentence.start + match.index;
      if (refs.some((r) => r.start <= start && r.end > start)) continue;
      const word = (match[1] as string).toLowerCase();
      const antecedent = [...earlier, ...refs.filter((r) => r.end <= start)]
        .reverse()
        .find((r) => {
          const e = entities.get(r.id);
          return e !== undefined && r.kind !== 'Country' && (fold(e.name).split(/[\s-]+/u).includes(word) || e.subtype === SUBTYPE_WORD[word]);
        });
      if (antecedent) refs.push({ ...antecedent, start, end: start + match[0].length });
    }
    let eventRef: Ref | undefined;
    if (event) {
      for (const match of sentence.text.matchAll(EVENT)) {
        const start = sentence.start + match.index + match[0].length - (match[1] as string).length;
        refs.push({ id: event.id, kind: 'Event', start, end: start + (match[1] as string).length });
      }
      eventRef = { id: event.id, kind: 'Event', start: -1, end: -1 };
    }
    const spans = positions.map((p) => ({ title: p.title, start: (tokens[p.first] as { start: number }).start, end: (tokens[p.last - 1] as { end: number }).end }));
    const sorted = [...refs].sort((a, b) => a.start - b.start);
    const names = new Map([...entities.values()].map((e) => [e.id, fold(e.name)]));
    facts.push(...proposeFacts(sentence, text, sorted, dates, eventRef, earlier, positionsOf(text, sorted, spans), names));
    earlier.push(...sorted);
  }

  if (event && facts.some((f) => f.subject === event?.id || f.object === event?.id)) {
    entities.set(event.id, event);
  }
  // An owner must be declared beside what it owns: a known one is added, an unknown one dropped.
  for (const entity of [...entities.values()]) {
    if (!entity.belongsTo || entities.has(entity.belongsTo)) continue;
    const owner = options.gazetteer.entities.find((k) => k.id === entity.belongsTo);
    if (owner) {
      known(owner, owner.name).review = { rule: 'gazetteer.owner', confidence: 0.7 };
    } else {
      delete entity.belongsTo;
    }
  }
  return { sentences, entities: [...entities.values()], facts };
}
