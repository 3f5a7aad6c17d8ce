/**
 * Candidate new entities: proper names the gazetteer does not know. English writes them in
 * capitals ("Belgian Special Forces Group", "Ministry of Defence of Ukraine"), and their last
 * word, or a common noun after them ("the Ramstein format", "the Interflex and EUMAM Ukraine
 * missions"), says what they are. People are named after their rank or title ("General
 * Valdemaras Rupšys"). Every candidate carries the rule that found it.
 */
import type { EntityKind } from '../ontology';
import type { Mention } from './gazetteer';
import { tokensText } from './gazetteer';
import type { Token } from './tokens';
import { isPossessive } from './tokens';

export interface Candidate {
  name: string;
  kind: EntityKind;
  subtype?: string;
  /** Id of a known entity the name says it belongs to ("Belgian Navy" -> belgium). */
  belongsTo?: string;
  aliases: string[];
  start: number;
  end: number;
  first: number;
  last: number;
  rule: string;
  confidence: number;
}

type Kind = { kind: EntityKind; subtype?: string };

/** What a name is, by its last word (folded). Words before it refine some ("Special ... Forces"). */
function byHead(head: string, words: string[]): Kind | undefined {
  const has = (w: string): boolean => words.includes(w);
  switch (head) {
    case 'forces':
    case 'force':
      if (has('special')) return { kind: 'Unit', subtype: 'SPECIAL_FORCES' };
      if (has('armed') || has('defence') || has('defense')) return { kind: 'Organisation', subtype: 'ARMED_FORCES' };
      if (has('air')) return { kind: 'Organisation', subtype: 'SERVICE_BRANCH' };
      return { kind: 'Unit', subtype: 'UNIT' };
    case 'navy':
    case 'army':
    case 'marines':
    case 'guard':
      return { kind: 'Organisation', subtype: 'SERVICE_BRANCH' };
    case 'group':
    case 'groups':
      if (has('work') || has('working')) return { kind: 'Initiative', subtype: 'WORKING_GROUP' };
      if (has('special')) return { kind: 'Unit', subtype: 'SPECIAL_FORCES' };
      if (has('battle')) return { kind: 'Unit', subtype: 'BATTLE_GROUP' };
      if (has('maritime') || has('naval') || has('mine') || has('countermeasures') || has('strike')) return { kind: 'Unit', subtype: 'NAVAL_GROUP' };
      return { kind: 'Unit', subtype: 'UNIT' };
    case 'battalion':
    case 'brigade':
    case 'division':
    case 'corps':
    case 'regiment':
      return { kind: 'Unit', subtype: 'FORMATION' };
    case 'squadron':
    case 'company':
    case 'wing':
    case 'fleet':
    case 'flotilla':
      return { kind: 'Unit', subtype: 'UNIT' };
    case 'command':
    case 'headquarters':
      return { kind: 'Organisation', subtype: 'COMMAND' };
    case 'ministry':
      return { kind: 'Organisation', subtype: 'MINISTRY' };
    case 'agency':
    case 'council':
    case 'staff':
    case 'academy':
    case 'centre':
    case 'center':
      return { kind: 'Organisation', subtype: 'GOVERNMENT_BODY' };
    case 'mission':
    case 'missions':
      return { kind: 'Initiative', subtype: 'MISSION' };
    case 'operation':
    case 'operations':
      return { kind: 'Initiative', subtype: 'OPERATION' };
    case 'exercise':
    case 'exercises':
      return { kind: 'Initiative', subtype: 'EXERCISE' };
    case 'coalition':
      return { kind: 'Initiative', subtype: 'COALITION' };
    case 'format':
      return { kind: 'Initiative', subtype: 'FORMAT' };
    case 'project':
    case 'projects':
      return { kind: 'Initiative', subtype: 'PROJECT' };
    case 'initiative':
    case 'programme':
    case 'program':
      return { kind: 'Initiative', subtype: 'PROGRAMME' };
    case 'presidency':
      return { kind: 'Initiative', subtype: 'PRESIDENCY' };
    case 'agreement':
    case 'memorandum':
    case 'treaty':
    case 'accord':
    case 'arrangement':
    case 'understanding':
    case 'partnership':
      return { kind: 'Initiative', subtype: 'AGREEMENT' };
    case 'sea':
    case 'ocean':
    case 'gulf':
      return { kind: 'Place', subtype: 'SEA' };
    case 'region':
      return { kind: 'Place', subtype: 'REGION' };
    case 'base':
    case 'range':
    case 'airfield':
      return { kind: 'Place', subtype: 'SETTLEMENT' };
    case 'meeting':
    case 'summit':
    case 'conference':
      return { kind: 'Event', subtype: 'MEETING' };
    default:
      return undefined;
  }
}

/** Common nouns that, written after a proper name, say what it is: "the Ramstein format". */
const TRAILING_HEADS = new Set([
  'format', 'region', 'project', 'projects', 'mission', 'missions', 'operation', 'operations', 'exercise', 'exercises',
  'coalition', 'initiative', 'programme', 'program', 'agreement', 'memorandum', 'battalion', 'brigade', 'sea',
]);

/** Names that begin with what they are: "Exercise Open Spirit", "Operation Atalanta". */
const LEADING_HEADS: Record<string, Kind> = {
  exercise: { kind: 'Initiative', subtype: 'EXERCISE' },
  operation: { kind: 'Initiative', subtype: 'OPERATION' },
  ministry: { kind: 'Organisation', subtype: 'MINISTRY' },
  memorandum: { kind: 'Initiative', subtype: 'AGREEMENT' },
};

/** Military ranks and civil titles before a person's name (folded, longest first). */
const RANKS = [
  'lieutenant general', 'major general', 'brigadier general', 'lieutenant colonel', 'rear admiral', 'vice admiral', 'air marshal',
  'general', 'admiral', 'colonel', 'major', 'captain', 'commodore', 'brigadier', 'lieutenant', 'sergeant', 'commander',
  'minister', 'secretary', 'president', 'ambassador', 'mr', 'ms', 'mrs', 'dr',
];
const CIVIL_TITLES = new Set(['minister', 'secretary', 'president', 'ambassador', 'mr', 'ms', 'mrs', 'dr']);

/** Positions, which are not entities ("Chief of Defence"); facts may name them as titles. */
export const POSITIONS = [
  'chief of defence', 'chief of defense', 'chief of the defence staff', 'chief of staff', 'chief of the general staff',
  'minister of defence', 'minister of defense', 'minister of national defence', 'defence minister', 'defense minister',
  'secretary general', 'commander', 'chod', 'chods', 'chief',
];

/** Capitalised words that start a sentence or a date, and so say nothing about a name. */
const NOT_NAME_WORDS = new Set([
  'the', 'a', 'an', 'in', 'on', 'at', 'by', 'for', 'from', 'with', 'since', 'this', 'these', 'that', 'those', 'its', 'their',
  'another', 'after', 'before', 'during', 'today', 'yesterday', 'also', 'both', 'all', 'each', 'as', 'it', 'they', 'we', 'our',
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'allied', 'photo',
]);
const CONNECTORS = new Set(['of', 'and', 'in', 'for', 'on']);
/** Verbs a relation cue may use, never part of a name. */
const VERB_LIKE = /(?:ed|ing)$/u;

const isCap = (t: Token): boolean => /^\p{Lu}/u.test(t.text);
/** "15th", "21st": an ordinal begins a unit's name ("15th Mechanised Brigade"). */
const isOrdinal = (t: Token | undefined): boolean => t !== undefined && /^\d+(?:st|nd|rd|th)$/u.test(t.text);
const isAcronym = (t: Token): boolean => /^\p{Lu}[\p{Lu}\d]+s?$/u.test(t.text) && t.text.length >= 2;
const spaced = (t: Token | undefined): boolean => t !== undefined && /^[ \u00a0]$/u.test(t.gap);
/** Words of one name: one space apart, or a hyphen between capitals ("Polish-Lithuanian"). */
const joined = (t: Token): boolean => /^[ \u00a0]$/u.test(t.gap) || (t.gap === '-' && isCap(t));

function matchPhrase(tokens: Token[], at: number, phrases: string[]): number {
  for (const phrase of phrases) {
    const words = phrase.split(' ');
    if (words.every((w, k) => tokens[at + k]?.folded === w && (k === 0 || spaced(tokens[at + k])))) return words.length;
  }
  return 0;
}

export interface NameContext {
  tokens: Token[];
  mentions: Mention[];
  /** Token indexes covered by dates. */
  dateTokens: Set<number>;
}

/** Finds candidate names in a sentence. Gazetteer mentions inside a longer name become part of it. */
export function findCandidates({ tokens, mentions, dateTokens }: NameContext): { candidates: Candidate[]; positions: Array<{ first: number; last: number; title: string }> } {
  const mentionAt = new Map<number, Mention>();
  for (const m of mentions) mentionAt.set(m.first, m);
  const blocked = new Set<number>(dateTokens);
  const positions: Array<{ first: number; last: number; title: string }> = [];
  const persons: Candidate[] = [];

  // Positions and people first: "Chief of Defence Admiral Michel Hofman".
  for (let i = 0; i < tokens.length; i += 1) {
    const position = mentionAt.has(i) ? 0 : matchPhrase(tokens, i, POSITIONS);
    if (position > 0 && isCap(tokens[i] as Token)) {
      positions.push({ first: i, last: i + position, title: tokensText(tokens, i, i + position) });
      for (let k = i; k < i + position; k += 1) blocked.add(k);
    }
    if (position > 0 && isCap(tokens[i] as Token) && matchPhrase(tokens, i + position, RANKS) === 0) {
      const j = personName(tokens, i + position, mentionAt);
      if (j - (i + position) >= 2) {
        const civil = /minister|secretary/u.test((tokens[i] as Token).folded);
        persons.push({
          name: tokensText(tokens, i + position, j),
          kind: 'Person',
          subtype: civil ? 'OFFICIAL' : 'MILITARY_OFFICER',
          aliases: [],
          start: (tokens[i + position] as Token).start,
          end: (tokens[j - 1] as Token).end,
          first: i + position,
          last: j,
          rule: 'name.person-after-position',
          confidence: 0.7,
        });
        for (let k = i + position; k < j; k += 1) blocked.add(k);
        i = j - 1;
        continue;
      }
    }
    const rank = matchPhrase(tokens, i, RANKS);
    if (rank > 0 && isCap(tokens[i] as Token)) {
      const j = personName(tokens, i + rank, mentionAt);
      const size = j - (i + rank);
      if (size >= 2) {
        const civil = CIVIL_TITLES.has((tokens[i] as Token).folded);
        persons.push({
          name: tokensText(tokens, i + rank, j),
          kind: 'Person',
          subtype: civil ? 'OFFICIAL' : 'MILITARY_OFFICER',
          aliases: civil ? [] : [tokensText(tokens, i, j)],
          start: (tokens[i + rank] as Token).start,
          end: (tokens[j - 1] as Token).end,
          first: i + rank,
          last: j,
          rule: 'name.person-after-rank',
          confidence: 0.8,
        });
        for (let k = i; k < j; k += 1) blocked.add(k);
        i = j - 1;
      } else if (size === 1 && !CIVIL_TITLES.has((tokens[i] as Token).folded)) {
        // "Colonel Brazauskas": a person named before by rank, first name and surname.
        persons.push({
          name: tokensText(tokens, i + rank, j),
          kind: 'Person',
          subtype: 'MILITARY_OFFICER',
          aliases: [tokensText(tokens, i, j)],
          start: (tokens[i + rank] as Token).start,
          end: (tokens[j - 1] as Token).end,
          first: i + rank,
          last: j,
          rule: 'name.rank-surname',
          confidence: 0.5,
        });
        for (let k = i; k < j; k += 1) blocked.add(k);
        i = j - 1;
      } else if (position === 0) {
        // A rank word alone ("Major", "Commander") is not a name.
        for (let k = i; k < i + rank; k += 1) blocked.add(k);
      }
    }
  }

  const candidates: Candidate[] = [...persons];
  const nameStart = (t: Token, i: number): boolean =>
    !blocked.has(i) &&
    !isPossessive(t) &&
    (isCap(t) || mentionAt.has(i) || (isOrdinal(t) && tokens[i + 1] !== undefined && isCap(tokens[i + 1] as Token))) &&
    !(NOT_NAME_WORDS.has(t.folded) && !mentionAt.has(i));

  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i] as Token;
    if (!nameStart(token, i) || (/\($/u.test(token.gap) && candidates.some((c) => c.last === i && c.aliases.includes(token.text)))) {
      i += 1;
      continue;
    }
    // Grow the run: capitalised words, known names, numbers after a name ("Group 1"), and
    // connectors or a participle ("NATO enhanced Forward Presence ...") between capitals.
    let j = i;
    const advance = (): number => {
      const m = mentionAt.get(j);
      return m ? m.last : j + 1;
    };
    j = advance();
    while (j < tokens.length) {
      const t = tokens[j] as Token;
      if (!joined(t) || blocked.has(j) || (tokens[j - 1] && isPossessive(tokens[j - 1] as Token))) break;
      if (t.gap === '-' && !isCap(tokens[j - 1] as Token)) break;
      if (nameStart(t, j) || mentionAt.has(j)) {
        j = advance();
        continue;
      }
      if (/^\d{1,3}$/u.test(t.text) && isCap(tokens[j - 1] as Token)) {
        j += 1;
        continue;
      }
      const next = tokens[j + 1];
      const nextIsCap = next !== undefined && spaced(next) && !blocked.has(j + 1) && (isCap(next) || mentionAt.has(j + 1)) && !isPossessive(next);
      if (CONNECTORS.has(t.folded) && nextIsCap && !NOT_NAME_WORDS.has(next.folded)) {
        j += 1;
        continue;
      }
      const after = tokens[j + 2];
      if (VERB_LIKE.test(t.folded) && /^\p{Ll}/u.test(t.text) && isAcronym(tokens[j - 1] as Token) && nextIsCap && after && isCap(after) && spaced(after)) {
        // Only when the name ends in a word that says what it is: checked below.
        j += 1;
        continue;
      }
      break;
    }
    // A possessive ending closes the name before it.
    if (tokens[j - 1] && isPossessive(tokens[j - 1] as Token)) j -= 1;
    while (j > i && CONNECTORS.has((tokens[j - 1] as Token).folded)) j -= 1;
    const run = { first: i, last: j };
    i = Math.max(j, i + 1);
    candidates.push(...classify(tokens, run, mentionAt));
  }
  return { candidates, positions };
}

function classify(tokens: Token[], run: { first: number; last: number }, mentionAt: Map<number, Mention>): Candidate[] {
  const { first, last } = run;
  const words = tokens.slice(first, last).map((t) => t.folded);
  const only = mentionAt.get(first);
  if (only && only.last >= last) return [];
  // Known names joined by "and" ("Lithuania and Belgium") are a list, not a new name.
  let k = first;
  while (k < last && (mentionAt.has(k) || CONNECTORS.has((tokens[k] as Token).folded))) k = mentionAt.get(k)?.last ?? k + 1;
  if (k >= last && !TRAILING_HEADS.has(tokens[last]?.folded ?? '')) return [];
  const hasParticiple = tokens.slice(first, last).some((t) => /^\p{Ll}/u.test(t.text) && !CONNECTORS.has(t.folded));
  const trailing = tokens[last];
  const trailingHead = trailing && spaced(trailing) && TRAILING_HEADS.has(trailing.folded) && /^\p{Ll}/u.test(trailing.text) ? trailing : undefined;
  const owner = ownerOf(tokens, run, mentionAt);

  if (trailingHead && trailingHead.folded.endsWith('s') && trailingHead.folded !== 'sea') {
    // "the Interflex and EUMAM Ukraine missions": one name per member of the list.
    const kind = byHead(trailingHead.folded, []) as Kind;
    const parts: Candidate[] = [];
    let start = first;
    for (let k = first; k <= last; k += 1) {
      if (k === last || (tokens[k] as Token).folded === 'and') {
        if (k > start && !(mentionAt.get(start)?.last === k)) {
          parts.push(candidate(tokens, start, k, kind, 'name.list-before-plural-head', 0.6, owner, []));
        }
        start = k + 1;
      }
    }
    return parts;
  }
  if (!trailingHead) {
    const at = words.lastIndexOf('in');
    if (at > 0 && at === last - first - 2 && (byHead(words[at - 1] as string, words) || LEADING_HEADS[words[0] as string]) && !mentionAt.has(first + at + 1)) {
      // "the Memorandum ... Cooperation in Tallinn": the name, then where.
      return [...classify(tokens, { first, last: first + at }, mentionAt), ...placeAfterPreposition(tokens, first + at + 1, last, undefined)];
    }
  }
  const head = trailingHead ? byHead(trailingHead.folded, words) : byHead(headWord(words), words);
  const lead = LEADING_HEADS[words[0] as string];
  const named = trailingHead ? last + 1 : last;
  if (head || lead) {
    if (hasParticiple && !head) return [];
    const rule = trailingHead ? 'name.before-common-head' : head ? 'name.head-word' : 'name.leading-head-word';
    const aliases = trailingHead ? [tokensText(tokens, first, last)] : [];
    let kind = (head ?? lead) as Kind;
    const before = tokens.slice(Math.max(0, first - 3), first).map((t) => t.folded).join(' ');
    if (kind.subtype === 'COMMAND' && /\b(?:developed|developing|planned|proposed|future|new)$/u.test(before)) kind = { kind: 'Initiative', subtype: 'COMMAND_IN_DEVELOPMENT' };
    const found = candidate(tokens, first, named, kind, rule, trailingHead ? 0.6 : 0.7, owner, aliases);
    const acronym = parenthesisedAcronym(tokens, named);
    if (acronym) found.aliases.push(acronym);
    if (hasParticiple) {
      // "NATO enhanced Forward Presence ... Group": also known without the owner's name.
      const fromParticiple = tokens.slice(first, last).findIndex((t) => /^\p{Ll}/u.test(t.text) && !CONNECTORS.has(t.folded));
      found.aliases.push(tokensText(tokens, first + fromParticiple, named));
    }
    return [found];
  }
  if (hasParticiple) return [];
  const capitalised = tokens.slice(first, last).filter((t) => t.i > 0 && /^\p{Lu}\p{L}/u.test(t.text)).length;
  if (last - first >= 2 && capitalised >= 2) {
    return [candidate(tokens, first, last, { kind: 'Initiative' }, 'name.capitalised-words', 0.3, owner, [])];
  }
  const word = tokens[first] as Token;
  if (isAcronym(word) && !matchPhrase(tokens, first, POSITIONS)) {
    return [candidate(tokens, first, last, { kind: 'Organisation' }, 'name.acronym', 0.3, owner, [])];
  }
  // A single capitalised word where a place is expected: "deployed in Rukla".
  return placeAfterPreposition(tokens, first, last, owner);
}

/** A single capitalised word where a place is expected: "deployed in Rukla", "signed in Vilnius". */
function placeAfterPreposition(tokens: Token[], first: number, last: number, owner: string | undefined): Candidate[] {
  if (last - first !== 1 || first === 0) return [];
  const before = tokens.slice(Math.max(0, first - 4), first).map((t) => t.folded);
  if (!['in', 'at', 'near'].includes(before[before.length - 1] ?? '')) return [];
  const verb = before.some((w) => /^(?:deployed|based|stationed|located|held|hosted|arrived|signed|ceremony)$/u.test(w));
  return [candidate(tokens, first, last, { kind: 'Place', subtype: 'SETTLEMENT' }, 'name.place-after-preposition', verb ? 0.6 : 0.4, owner, [])];
}

/** The word that says what a name is: its last, before a number ("Group 1") or an "of ..." ("Armed Forces of Ukraine"). */
function headWord(words: string[]): string {
  let end = words.length;
  while (end > 1 && /^\d+$/u.test(words[end - 1] as string)) end -= 1;
  const last = words[end - 1] as string;
  if (byHead(last, words)) return last;
  const of = words.lastIndexOf('of', end - 1);
  if (of > 0 && byHead(words[of - 1] as string, words)) return words[of - 1] as string;
  // "United States Army Europe": the rightmost word that says what it is.
  return [...words.slice(1, end)].reverse().find((w) => byHead(w, words)) ?? last;
}

/** The end of a person's name: up to three capitalised words that are not a known name or a kind of thing. */
function personName(tokens: Token[], from: number, mentionAt: Map<number, Mention>): number {
  let j = from;
  while (j < tokens.length && j < from + 3 && isCap(tokens[j] as Token) && (j === from ? /^[ \u00a0,]+$/u.test((tokens[j] as Token).gap) || j === 0 : spaced(tokens[j])) && !mentionAt.has(j) && !byHead((tokens[j] as Token).folded, []) && !NOT_NAME_WORDS.has((tokens[j] as Token).folded)) j += 1;
  return j;
}

function parenthesisedAcronym(tokens: Token[], at: number): string | undefined {
  const t = tokens[at];
  if (t && /^\s*\($/u.test(t.gap) && isAcronym(t) && tokens[at + 1]?.gap.startsWith(')')) return t.text;
  if (t && /^\s*\($/u.test(t.gap) && isAcronym(t) && at + 1 === tokens.length) return t.text;
  return undefined;
}

/** "Belgian Navy" -> belgium; "Armed Forces of Ukraine" -> ukraine; "NATO Air Policing Mission" -> nato. */
function ownerOf(tokens: Token[], run: { first: number; last: number }, mentionAt: Map<number, Mention>): string | undefined {
  const inside = [...mentionAt.values()].filter((m) => m.first >= run.first && m.last <= run.last);
  const ofMention = inside.find((m) => m.first > run.first && (tokens[m.first - 1] as Token).folded === 'of');
  if (ofMention && (ofMention.entity.kind === 'Country' || ofMention.entity.kind === 'Organisation')) return ofMention.entity.id;
  // "Polish-Lithuanian ...": a compound of two names is owned by neither.
  const firstMention = inside.find((m) => m.first === run.first && tokens[m.last]?.gap !== '-');
  if (firstMention && (firstMention.entity.kind === 'Country' || firstMention.entity.kind === 'Organisation')) return firstMention.entity.id;
  const compound = (m: Mention): boolean => tokens[m.last]?.gap === '-' || tokens[m.first]?.gap === '-';
  return (inside.find((m) => m.entity.kind === 'Organisation') ?? inside.find((m) => m.entity.kind === 'Country' && !compound(m)))?.entity.id;
}

function candidate(tokens: Token[], first: number, last: number, kind: Kind, rule: string, confidence: number, belongsTo: string | undefined, aliases: string[]): Candidate {
  return {
    name: tokensText(tokens, first, last),
    ...kind,
    ...(belongsTo ? { belongsTo } : {}),
    aliases,
    start: (tokens[first] as Token).start,
    end: (tokens[last - 1] as Token).end,
    first,
    last,
    rule,
    confidence,
  };
}
