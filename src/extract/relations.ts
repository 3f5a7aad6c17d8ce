/**
 * Facts proposed from one sentence, by relation cues (verbs and nouns of cooperation: joined,
 * serve in, led by, responsible for, cooperation with, to support, signed, hosts, discuss ...).
 * A cue finds its subject in its clause (the first name not governed by a preposition, or the
 * name just before a participle: "the Resilience Work Group led by Lithuania"), its objects after
 * it (a list joined by "," and "and" gives one fact each), and its status from the nearest
 * status cue before it. Each fact names the cue that made it, for the reviewer and for tests.
 */
import type { PartialDateInput } from '../ingest/document';
import type { Domain, EntityKind, RelationType, Role, Status } from '../ontology';
import { domainsOf, findCues, STATUS_CUES, statusBefore, type StatusCue } from './cues';
import type { DateMention } from './dates';
import type { Sentence } from './sentences';

export interface Ref {
  id: string;
  kind: EntityKind;
  subtype?: string;
  /** UTF-16 span in the whole text. */
  start: number;
  end: number;
}

export interface ProposedFact {
  type: RelationType;
  subject: string;
  object: string;
  role?: Role;
  /** For HOLDS_POSITION: the position. */
  title?: string;
  status: Status;
  start?: PartialDateInput;
  end?: PartialDateInput;
  domains: Domain[];
  sentence: Sentence;
  rule: string;
  /** The status cue that set the status, if one did. */
  statusRule?: string;
  confidence: number;
}

/** How a cue's status is read: a verb's from the cues before it, a participle's from its noun, a handover's as ENDED. */
type Mode = 'finite' | 'participle' | 'handover' | 'located';

interface Proposal {
  rule: string;
  type: RelationType;
  role?: Role;
  subjects: Ref[];
  objects: Ref[];
  cueStart: number;
  cueEnd: number;
  mode: Mode;
  confidence: number;
}

interface Context {
  sentence: Sentence;
  refs: Ref[];
  text: string;
  clauses: Array<{ start: number; end: number; subject?: Ref }>;
  /** The document's event (a meeting, a visit), when the text has one. */
  event?: Ref;
  /** Objects of earlier finite cues in this sentence, latest last. */
  lastObjects: Ref[];
  /** What came before this sentence in the text, latest last: for "both countries", "will take part". */
  earlier: Ref[];
  /** Folded names of the entities, by id. */
  names: Map<string, string>;
  /** "the Estonian Minister of Defence Kadri Tamm": who holds which position, for whom. */
  positions: PositionRef[];
}

export interface PositionRef {
  title: string;
  start: number;
  end: number;
  person: Ref;
  holder?: Ref;
}

const AGENTS: EntityKind[] = ['Country', 'Organisation', 'Unit', 'Person'];
const ACTORS: EntityKind[] = ['Country', 'Organisation', 'Unit', 'Person', 'Initiative'];
const JOINABLE: EntityKind[] = ['Initiative', 'Unit', 'Organisation', 'Event'];
const PLACES: EntityKind[] = ['Place', 'Country'];

const PREPOSITION_BEFORE = /\b(?:of|in|into|to|for|with|at|from|by|on|alongside|than|as)\s+(?:the\s+|a\s+|an\s+)?$/iu;
const COORDINATION = /^\s*(?:\([^()]*\)\s*)?(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|as\s+well\s+as\s+)(?:of\s+|to\s+|with\s+)?(?:the\s+|a\s+)?$/iu;
const CLAUSE_BREAK = /,\s+(?=(?:it|they|which|who|while|whereas)\b)|\s+(?=(?:when|while|whereas|where)\s)|;\s*/giu;

function clausesOf(sentence: Sentence): Array<{ start: number; end: number }> {
  const clauses: Array<{ start: number; end: number }> = [];
  let start = sentence.start;
  for (const match of sentence.text.matchAll(CLAUSE_BREAK)) {
    const at = sentence.start + match.index;
    if (at > start) clauses.push({ start, end: at });
    start = at + match[0].length;
  }
  clauses.push({ start, end: sentence.end });
  return clauses;
}

function clauseAt(ctx: Context, at: number): { start: number; end: number; subject?: Ref } {
  return ctx.clauses.find((c) => at >= c.start && at < c.end) ?? (ctx.clauses[ctx.clauses.length - 1] as Context['clauses'][number]);
}

const governed = (ctx: Context, ref: Ref): boolean => PREPOSITION_BEFORE.test(ctx.text.slice(Math.max(0, ref.start - 30), ref.start));

/** The clause's subject: its first name of the given kinds that no preposition governs; a pronoun refers to the previous clause's. */
function subjectsOf(ctx: Context, at: number, kinds: EntityKind[], prefer?: EntityKind): Ref[] {
  const clause = clauseAt(ctx, at);
  const opening = ctx.text.slice(clause.start, at);
  // "Both countries are members ...": the last two countries named before.
  const both = /^(?:both|the\s+two)\s+(countries|nations|states|allies|navies|armies|air\s+forces|brigades|battalions|units|ministers)\b/iu.exec(opening);
  if (both) {
    const word = (both[1] as string).toLowerCase().replace(/\s+/gu, ' ');
    const singular = word.replace(/ies$/u, 'y').replace(/s$/u, '');
    const fits = (r: Ref): boolean =>
      ['countries', 'nations', 'states', 'allies'].includes(word) ? r.kind === 'Country' : word === 'ministers' ? r.kind === 'Person' : (ctx.names.get(r.id) ?? '').includes(singular);
    const two = [...new Map([...ctx.earlier].reverse().filter((r) => fits(r) && kinds.includes(r.kind)).map((r) => [r.id, r])).values()].slice(0, 2);
    return two.length === 2 ? two.reverse() : [];
  }
  // "Around 600 troops from Latvia, Poland and Denmark will take part": the countries they come from.
  const from = /^(?:[\w\s]{0,30}?\b)?(?:troops|soldiers|personnel|service\s+members|specialists|sailors|airmen|units)\s+from\s+(?:the\s+)?/iu.exec(opening);
  if (from) {
    const first = ctx.refs.find((r) => r.start === clause.start + from[0].length && kinds.includes(r.kind));
    if (first) return withList(ctx, first, at, kinds);
  }
  const inClause = ctx.refs.filter((r) => r.start >= clause.start && r.end <= at && kinds.includes(r.kind) && !governed(ctx, r));
  const first = (prefer && inClause.find((r) => r.kind === prefer)) || inClause[0];
  if (!first) {
    const index = ctx.clauses.indexOf(clause as Context['clauses'][number]);
    if (index > 0 && /^(?:,\s*)?(?:it|they|which|who)\b/iu.test(ctx.text.slice(clause.start, clause.start + 12))) {
      const previous = ctx.clauses[index - 1] as Context['clauses'][number];
      const subject = ctx.refs.find((r) => r.start >= previous.start && r.end <= previous.end && kinds.includes(r.kind) && !governed(ctx, r));
      return subject ? [subject] : [];
    }
    return [];
  }
  return withList(ctx, first, at, kinds);
}

/** A name and the names listed after it ("German, Czech, Norwegian, Dutch and Luxembourg’s"). */
function withList(ctx: Context, first: Ref, limit: number, kinds: EntityKind[]): Ref[] {
  const list = [first];
  let last = first;
  for (const ref of ctx.refs) {
    if (ref.start < last.end || ref.end > limit) continue;
    if (ref.id === last.id && /^\s*\($/u.test(ctx.text.slice(last.end, ref.start))) {
      last = ref;
      continue;
    }
    if (!COORDINATION.test(ctx.text.slice(last.end, ref.start))) break;
    if (kinds.includes(ref.kind)) list.push(ref);
    last = ref;
  }
  return list;
}

/** The first name of the given kinds after the cue in its clause, and those listed with it. */
function objectsAfter(ctx: Context, at: number, kinds: EntityKind[]): Ref[] {
  const clause = clauseAt(ctx, at);
  const first = ctx.refs.find((r) => r.start >= at && r.end <= clause.end && kinds.includes(r.kind));
  return first ? withList(ctx, first, clause.end, kinds) : [];
}

/** The name that ends right before the cue (for participles: "the Group led by"). */
function nameBefore(ctx: Context, at: number, kinds: EntityKind[], gap = /^\s*(?:\([^()]*\)\s*)?$/u): Ref | undefined {
  const before = ctx.refs.filter((r) => r.end <= at && kinds.includes(r.kind));
  const last = before[before.length - 1];
  return last && gap.test(ctx.text.slice(last.end, at)) ? last : undefined;
}

/** The name a relative clause is about: "Exercise Saber Strike, which is led by". */
function antecedent(ctx: Context, at: number, kinds: EntityKind[]): Ref | undefined {
  const before = ctx.text.slice(Math.max(ctx.sentence.start, at - 40), at);
  if (!/,\s*(?:which|that|who)\s+(?:is|are|was|were|has\s+been|have\s+been|will\s+be)\s+$/iu.test(before)) return undefined;
  const comma = ctx.sentence.start + ctx.text.slice(ctx.sentence.start, at).lastIndexOf(',');
  const candidates = ctx.refs.filter((r) => r.end <= comma && kinds.includes(r.kind));
  return candidates[candidates.length - 1];
}

/** Subjects for an infinitive of purpose ("... the Demining Coalition ... to support"): what the previous verb was about. */
function purposeSubjects(ctx: Context, cueStart: number, kinds: EntityKind[]): Ref[] {
  const before = ctx.text.slice(clauseAt(ctx, cueStart).start, cueStart);
  // "the first NATO member to deploy": the clause's subject does it.
  if (/\b(?:first|second|third|last|only|latest|next)\b[^,;]{0,60}\bto\s+$/iu.test(before)) return subjectsOf(ctx, cueStart, kinds);
  // "the proposal for the Lithuanian Special Operations Forces to take the lead": the name after "for".
  const direct = nameBefore(ctx, cueStart, kinds, /^\s+to\s+$/u);
  if (direct && /\bfor\s+(?:the\s+)?$/iu.test(ctx.text.slice(Math.max(0, direct.start - 10), direct.start))) return [direct];
  const objects = ctx.lastObjects.filter((r) => kinds.includes(r.kind));
  return objects.length > 0 ? [objects[0] as Ref] : subjectsOf(ctx, cueStart, kinds);
}

interface Rule {
  name: string;
  pattern: RegExp;
  apply(ctx: Context, start: number, end: number, match: RegExpMatchArray): Proposal[];
}

const proposal = (rule: string, type: RelationType, subjects: Ref[], objects: Ref[], start: number, end: number, extra: Partial<Proposal> = {}): Proposal[] =>
  subjects.length > 0 && objects.length > 0 ? [{ rule, type, subjects, objects, cueStart: start, cueEnd: end, mode: 'finite', confidence: 0.6, ...extra }] : [];

const isInfinitive = (ctx: Context, start: number): boolean => /\bto\s+$/iu.test(ctx.text.slice(Math.max(0, start - 4), start));

/** Joining or taking part: in an alliance it is membership, elsewhere participation. */
function participation(rule: string, role: Role, ctx: Context, start: number, end: number, confidence: number): Proposal[] {
  const subjects = isInfinitive(ctx, start) ? purposeSubjects(ctx, start, AGENTS) : subjectsOf(ctx, start, AGENTS);
  let objects: Ref[] = [];
  if (/part$/iu.test(ctx.text.slice(start, end))) {
    // "... will take part.": in the exercise or mission the text is about.
    const activity = [...ctx.earlier, ...ctx.refs.filter((r) => r.end <= start)].reverse().find((r) => ['EXERCISE', 'MISSION', 'OPERATION'].includes(r.subtype ?? ''));
    if (activity) objects = [activity];
  } else {
    objects = objectsAfter(ctx, end, JOINABLE);
  }
  // "the Nordic Maritime Task Group, which Norway joined": the clause's subject joined what it is about.
  const relative = /,\s*(?:which|that)\s+$/iu;
  const joiner = subjects[0];
  if (objects.length === 0 && joiner && relative.test(ctx.text.slice(Math.max(ctx.sentence.start, joiner.start - 12), joiner.start))) {
    const comma = ctx.text.lastIndexOf(',', joiner.start);
    const before = ctx.refs.filter((r) => r.end <= comma && JOINABLE.includes(r.kind)).pop();
    if (before) objects = [before];
  }
  const alliances = objects.filter((o) => o.subtype === 'ALLIANCE' || o.subtype === 'UNION');
  const others = objects.filter((o) => !alliances.includes(o) && o.kind !== 'Organisation');
  return [
    ...proposal(rule, 'MEMBER_OF', subjects, alliances, start, end, { confidence }),
    ...proposal(rule, 'PARTICIPATES_IN', subjects, others, start, end, { role, confidence }),
  ];
}

export const RULES: Rule[] = [
  {
    name: 'relation.joins',
    pattern: /\b(?:join(?:s|ed|ing)?|accede[sd]?\s+to)\b/giu,
    apply: (ctx, start, end) => participation('relation.joins', 'PARTICIPANT', ctx, start, end, 0.7),
  },
  {
    name: 'relation.participates',
    pattern: /\b(?:participat\w*|participants?)\s+(?:in|of)\b|\btak(?:e|es|ing|en)\s+part(?:\s+in)?\b/giu,
    apply: (ctx, start, end) => participation('relation.participates', 'PARTICIPANT', ctx, start, end, 0.7),
  },
  {
    name: 'relation.serves-in',
    pattern: /\bserv(?:e|es|ed|ing)\s+(?:in|with|on)\b/giu,
    apply: (ctx, start, end) => {
      const found = participation('relation.serves-in', 'CONTRIBUTOR', ctx, start, end, 0.7);
      // "... alongside German, Czech and Dutch personnel": they serve there too.
      const clause = clauseAt(ctx, start);
      const along = /\b(?:alongside|together\s+with|along\s+with)\s+(?:the\s+)?/giu;
      for (const match of ctx.text.slice(end, clause.end).matchAll(along)) {
        const at = end + match.index + match[0].length;
        const first = ctx.refs.find((r) => r.start === at && AGENTS.includes(r.kind));
        if (first) for (const p of found) p.subjects = [...p.subjects, ...withList(ctx, first, clause.end, AGENTS)];
      }
      return found;
    },
  },
  {
    name: 'relation.member',
    pattern: /\bmembers?\s+(?:state\s+)?of\b/giu,
    apply: (ctx, start, end) => proposal('relation.member', 'MEMBER_OF', subjectsOf(ctx, start, ['Country', 'Organisation']), objectsAfter(ctx, end, ['Organisation']), start, end, { confidence: 0.8 }),
  },
  {
    name: 'relation.member-adjective',
    pattern: /\b(?:member|ally)\b(?!\s+(?:state\s+)?of\b)/giu,
    apply: (ctx, start, end) => {
      const alliance = nameBefore(ctx, start, ['Organisation'], /^\s+$/u);
      return alliance ? proposal('relation.member-adjective', 'MEMBER_OF', subjectsOf(ctx, alliance.start, ['Country', 'Organisation']), [alliance], start, end, { confidence: 0.6 }) : [];
    },
  },
  {
    name: 'relation.contributes',
    pattern: /\b(?:contribut\w*|commission\w*|provid\w*|send\w*|sent|deliver\w*|deploy(?:s|ed|ing)?)\b(?=[^.;]*?\bto\b)(?!\s+(?:in|at)\b)/giu,
    apply: (ctx, start, end) => {
      const to = /\bto\s+(?:the\s+)?/iu.exec(ctx.text.slice(end, clauseAt(ctx, start).end));
      if (!to) return [];
      if (/^deployed$/iu.test(ctx.text.slice(start, end)) && nameBefore(ctx, start, ['Unit', 'Initiative'], /^\s+$/u)) return [];
      const at = end + to.index;
      const subjects = isInfinitive(ctx, start) ? purposeSubjects(ctx, start, AGENTS) : subjectsOf(ctx, start, AGENTS);
      const objects = objectsAfter(ctx, at, [...JOINABLE, 'Country', 'Place']);
      const joined = objects.filter((o) => o.kind === 'Initiative' || o.kind === 'Unit');
      const countries = objects.filter((o) => o.kind === 'Country' || o.kind === 'Place');
      const deploys = /^deploy/iu.test(ctx.text.slice(start, end));
      return [
        ...proposal('relation.contributes', 'PARTICIPATES_IN', subjects, joined, start, end, { role: 'CONTRIBUTOR', confidence: 0.6 }),
        ...(deploys ? [] : proposal('relation.contributes', 'SUPPORTS', subjects, countries.filter((o) => o.kind === 'Country'), start, end, { confidence: 0.4 })),
      ];
    },
  },
  {
    name: 'relation.deployed-at',
    pattern: /\b(?:deployed|based|stationed|located)\s+(?:in|at|to)\b/giu,
    apply: (ctx, start, end) => {
      const unit = nameBefore(ctx, start, ['Unit', 'Initiative', 'Organisation'], /^\s*(?:\([^()]*\)\s*)?$/u) ?? subjectsOf(ctx, start, ['Unit', 'Initiative'])[0];
      return unit ? proposal('relation.deployed-at', 'DEPLOYED_AT', [unit], objectsAfter(ctx, end, PLACES).slice(0, 1), start, end, { mode: 'participle', confidence: 0.7 }) : [];
    },
  },
  {
    name: 'relation.will-deploy',
    pattern: /\bdeploy(?:s|ed|ing)?\b(?!\s+to\b)/giu,
    apply: (ctx, start, end) => {
      // "Poland will deploy the 12th Brigade in Lithuania": the unit named after the verb is deployed at the place.
      const clause = clauseAt(ctx, start);
      const unit = ctx.refs.find((r) => r.start >= end && r.end <= clause.end && r.kind === 'Unit');
      if (!unit) return [];
      const place = ctx.refs.find((r) => r.start >= unit.end && r.end <= clause.end && PLACES.includes(r.kind) && /\b(?:in|to|at)\s+(?:the\s+)?$/iu.test(ctx.text.slice(unit.end, r.start)));
      return place ? proposal('relation.will-deploy', 'DEPLOYED_AT', [unit], [place], start, end, { confidence: 0.6 }) : [];
    },
  },
  {
    name: 'relation.led-by',
    pattern: /\b(led|coordinated|commanded|hosted|organi[sz]ed|chaired)\s+by\b/giu,
    apply: (ctx, start, end, match) => {
      const verb = (match[1] as string).toLowerCase();
      const passive = /^\s*(?:\([^()]*\)\s*)?(?:(?:is|are|was|were|has\s+been|have\s+been|will\s+be|to\s+be)\s+)?$/iu;
      const object = nameBefore(ctx, start, [...JOINABLE, 'Initiative'], passive) ?? antecedent(ctx, start, JOINABLE);
      const subjects = objectsAfter(ctx, end, AGENTS).slice(0, 1);
      if (!object) return [];
      return leadership('relation.led-by', verb, subjects, object, start, end, 'participle');
    },
  },
  {
    name: 'relation.hyphen-led',
    pattern: /-(led|coordinated|commanded|hosted|organi[sz]ed)\b/giu,
    apply: (ctx, start, end, match) => {
      const subject = nameBefore(ctx, start, AGENTS, /^$/u);
      const object = objectsAfter(ctx, end, JOINABLE)[0];
      return subject && object ? leadership('relation.hyphen-led', (match[1] as string).toLowerCase(), [subject], object, start, end, 'participle') : [];
    },
  },
  {
    name: 'relation.leads',
    pattern: /\b(?:leads|leading|(?:will|to|shall)\s+lead|take\s+the\s+lead\s+(?:of|in)|took\s+the\s+lead\s+(?:of|in)|(?:is|are|be|become|became)\s+responsible\s+for|responsible\s+for|in\s+charge\s+of|t(?:ake|akes|ook|aken|aking)\s+over\s+(?:the\s+)?(?:command|lead|leadership)\s+of|command(?:s|ed)?|heads|headed)\b(?!\s+by\b)/giu,
    apply: (ctx, start, end) => {
      const cue = ctx.text.slice(start, end);
      const subjects = isInfinitive(ctx, start) || /^to\b/iu.test(cue) ? purposeSubjects(ctx, start, AGENTS) : subjectsOf(ctx, start, AGENTS, 'Person');
      const object = objectsAfter(ctx, end, [...JOINABLE])[0];
      if (!object) return [];
      const found = leadership('relation.leads', /command/iu.test(cue) ? 'commanded' : 'led', subjects, object, start, end, 'finite');
      // "took over command of the Brigade from Colonel Y": Y's command ends.
      if (/\bover\b/iu.test(cue)) {
        const previous = ctx.refs.find((r) => r.start > object.end && r.kind === 'Person' && /^\s+from\s+(?:\S+\s+){0,3}$/iu.test(ctx.text.slice(object.end, r.start)) && r.end <= clauseAt(ctx, start).end);
        if (previous) found.push(...proposal('relation.handover', 'COMMANDS', [previous], [object], start, end, { confidence: 0.5, mode: 'handover' }));
      }
      return found;
    },
  },
  {
    name: 'relation.coordinates',
    pattern: /(?<!-)\bcoordinat(?:es|ing|e)\b/giu,
    apply: (ctx, start, end) => {
      const object = objectsAfter(ctx, end, JOINABLE)[0];
      return object ? leadership('relation.coordinates', 'coordinated', subjectsOf(ctx, start, AGENTS), object, start, end, 'finite') : [];
    },
  },
  {
    name: 'relation.cooperates-with',
    pattern: /\b(?:co-?operat\w*|partnership|work(?:s|ed|ing)?\s+(?:closely\s+)?together)\s+with\b/giu,
    apply: (ctx, start, end) =>
      proposal('relation.cooperates-with', 'COOPERATES_WITH', subjectsOf(ctx, start, AGENTS.filter((k) => k !== 'Person')), objectsAfter(ctx, end, AGENTS.filter((k) => k !== 'Person')).slice(0, 1), start, end, { confidence: 0.7 }),
  },
  {
    name: 'relation.cooperate-pair',
    pattern: /\b(?:to\s+)?co-?operate\b(?!\s+with\b)|\b(?:defen[cs]e\s+)?co-?operation\b(?!\s+with\b)/giu,
    apply: (ctx, start, end) => {
      // "Lithuanian-Belgian defence cooperation", "Latvia and Estonia agreed to cooperate".
      const clause = clauseAt(ctx, start);
      const before = ctx.refs.filter((r) => r.start >= clause.start && r.end <= start && ['Country', 'Organisation', 'Unit'].includes(r.kind));
      for (let k = before.length - 1; k > 0; k -= 1) {
        const a = before[k - 1] as Ref;
        const b = before[k] as Ref;
        const gap = ctx.text.slice(a.end, b.start);
        const tail = ctx.text.slice(b.end, start);
        if (/^(?:-|\s+and\s+(?:the\s+)?)$/iu.test(gap) && (/^-/u.test(gap) ? /^\s+(?:\w+\s+){0,2}$/u.test(tail) : /^\s+(?:\w+\s+){0,5}$/u.test(tail))) {
          return proposal('relation.cooperate-pair', 'COOPERATES_WITH', [a], [b], start, end, { confidence: 0.6 });
        }
      }
      return [];
    },
  },
  {
    name: 'relation.joint-activity',
    pattern: /\bjoint\s+(patrols?|operations?|exercises?|training|drills?)\b|\b(?:patrol|exercise|train)\s+jointly\b/giu,
    apply: (ctx, start, end) => {
      // "The Royal Norwegian Navy and the Swedish Navy will conduct joint patrols".
      const subjects = subjectsOf(ctx, start, ['Country', 'Organisation', 'Unit']);
      if (subjects.length !== 2) return [];
      const type: RelationType = /exercise|train|drill/iu.test(ctx.text.slice(start, end)) ? 'TRAINS_WITH' : 'COOPERATES_WITH';
      return proposal('relation.joint-activity', type, [subjects[0] as Ref], [subjects[1] as Ref], start, end, { confidence: 0.5 });
    },
  },
  {
    name: 'relation.during-exercise',
    pattern: /\b(?:during|in\s+the\s+course\s+of|as\s+part\s+of)\s+(?:the\s+)?/giu,
    apply: (ctx, start, end) => {
      // "Both navies are planned to train with the Finnish Navy during Exercise Baltops": all of them take part.
      const activity = ctx.refs.find((r) => r.start === end && ['EXERCISE', 'OPERATION', 'MISSION'].includes(r.subtype ?? ''));
      if (!activity) return [];
      const subjects = subjectsOf(ctx, start, AGENTS);
      const clause = clauseAt(ctx, start);
      const partners = ctx.refs.filter((r) => r.start >= clause.start && r.end <= start && AGENTS.includes(r.kind) && /\bwith\s+(?:the\s+)?$/iu.test(ctx.text.slice(Math.max(0, r.start - 10), r.start)));
      return proposal('relation.during-exercise', 'PARTICIPATES_IN', [...subjects, ...partners.filter((p) => !subjects.includes(p))], [activity], start, end, { role: 'PARTICIPANT', confidence: 0.5 });
    },
  },
  {
    name: 'relation.trains-with',
    pattern: /\b(?:train(?:s|ed|ing)?|exercis(?:e|es|ed|ing))\s+(?:together\s+)?with\b/giu,
    apply: (ctx, start, end) => {
      const subjects = subjectsOf(ctx, start, AGENTS);
      const partner = ctx.refs.find((r) => /^\s*(?:the\s+)?$/iu.test(ctx.text.slice(end, Math.max(end, r.start))) && r.start >= end && AGENTS.includes(r.kind));
      if (partner) return proposal('relation.trains-with', 'TRAINS_WITH', subjects, [partner], start, end, { confidence: 0.7 });
      // "The Latvian and the Polish Air Force are planned to train together with ... units": with each other.
      if (/together/iu.test(ctx.text.slice(start, end)) && subjects.length === 2) return proposal('relation.trains-with', 'TRAINS_WITH', [subjects[0] as Ref], [subjects[1] as Ref], start, end, { confidence: 0.5 });
      return [];
    },
  },
  {
    name: 'relation.trains-together',
    pattern: /\btrain(?:s|ed|ing)?\b(?![^.;]{0,60}\bwith\b)(?=[^.;]{0,60}\btogether\b)/giu,
    apply: (ctx, start, end) => {
      // "X cooperates with Y and trains together": with the partner named before.
      const clause = clauseAt(ctx, start);
      const partner = ctx.refs.filter((r) => r.start >= clause.start && r.end <= start && /\bwith\s+(?:the\s+)?$/iu.test(ctx.text.slice(Math.max(0, r.start - 10), r.start))).pop();
      const subjects = subjectsOf(ctx, start, AGENTS).filter((s) => s !== partner);
      return partner ? proposal('relation.trains-together', 'TRAINS_WITH', subjects.slice(0, 1), [partner], start, end, { confidence: 0.5 }) : [];
    },
  },
  {
    name: 'relation.supports',
    pattern: /\b(?:support(?:s|ed|ing)?|assist(?:s|ed|ing)?|assistance\s+to|aid\s+to|help(?:s|ed)?)\b(?!\s+(?:of|from)\b)/giu,
    apply: (ctx, start, end) => {
      const subjects = isInfinitive(ctx, start) ? purposeSubjects(ctx, start, ACTORS) : subjectsOf(ctx, start, ACTORS);
      return proposal('relation.supports', 'SUPPORTS', subjects.slice(0, 1), objectsAfter(ctx, end, ['Country', 'Organisation', 'Unit']), start, end, { confidence: 0.6 });
    },
  },
  {
    name: 'relation.signs',
    pattern: /\bsign(?:s|ed|ing)?\b/giu,
    apply: (ctx, start, end) => {
      const agreement = objectsAfter(ctx, end, ['Initiative'])[0];
      if (!agreement) return [];
      const clause = clauseAt(ctx, start);
      const signatories = ctx.refs.filter((r) => r.start >= clause.start && r.end <= start && ['Country', 'Organisation', 'Person'].includes(r.kind) && !governed(ctx, r));
      const represented = new Set(ctx.positions.filter((p) => p.holder).map((p) => p.person.id));
      const subjects = signatories.filter((r) => r.kind !== 'Person' || !represented.has(r.id));
      const partners = ctx.refs.filter((r) => r.start >= agreement.end && r.end <= clause.end && ['Country', 'Organisation'].includes(r.kind) && /\bwith\s+(?:the\s+)?$/iu.test(ctx.text.slice(Math.max(0, r.start - 10), r.start)));
      return proposal('relation.signs', 'PARTICIPATES_IN', [...subjects, ...partners], [agreement], start, end, { role: 'PARTICIPANT', confidence: 0.7 });
    },
  },
  {
    name: 'relation.hosts',
    pattern: /\b(?:host(?:s|ed|ing)?|will\s+host)\b(?!\s+by\b)/giu,
    apply: (ctx, start, end) => {
      if (/-$/u.test(ctx.text.slice(start - 1, start))) return [];
      const subjects = subjectsOf(ctx, start, ['Country', 'Place', 'Organisation', 'Unit']);
      const objects = objectsAfter(ctx, end, ['Event', 'Initiative']).slice(0, 1);
      return [
        ...proposal('relation.hosts', 'HOSTS', subjects.filter((s) => s.kind === 'Country' || s.kind === 'Place'), objects.filter((o) => o.kind === 'Event'), start, end, { confidence: 0.7 }),
        ...proposal('relation.hosts', 'PARTICIPATES_IN', subjects, objects.filter((o) => o.kind === 'Initiative'), start, end, { role: 'HOST', confidence: 0.7 }),
      ];
    },
  },
  {
    name: 'relation.meets',
    pattern: /\bto\s+(?:have|hold|attend)\s+(?:a|an|the)\s+(?:\w+\s+)?(?:meeting|talks|visit|summit|conference)\b|\b(?:meet(?:s|ing)?|met)\s+with\b|\battend(?:s|ed|ing)?\b/giu,
    apply: (ctx, start, end) => {
      if (!ctx.event) return [];
      const clause = clauseAt(ctx, start);
      const people = subjectsOf(ctx, start, AGENTS, 'Person');
      const subjects = people.some((p) => p.kind === 'Person') ? people.filter((p) => p.kind === 'Person') : people;
      const others = ctx.refs.filter((r) => r.start >= end && r.end <= clause.end && r.kind === (subjects[0]?.kind ?? 'Person') && /\bwith\b[^,;]*$/iu.test(ctx.text.slice(end - 6, r.start)));
      const found = proposal('relation.meets', 'ATTENDS', [...subjects, ...others], [ctx.event], start, end, { confidence: 0.6 });
      // "departs for the Kingdom of Belgium to have a meeting": the country travelled to hosts it.
      const destination = /\b(?:depart\w*\s+for|travel\w*\s+to|arriv\w*\s+in|visit\w*|in)\s+(?:the\s+)?$/iu;
      const host = ctx.refs.filter((r) => r.start >= clause.start && r.end <= start && r.kind === 'Country' && destination.test(ctx.text.slice(Math.max(clause.start, r.start - 25), r.start))).pop();
      if (host) found.push(...proposal('relation.meets', 'HOSTS', [host], [ctx.event], start, end, { confidence: 0.5 }));
      return found;
    },
  },
  {
    name: 'relation.discusses',
    pattern: /\bdiscuss(?:es|ed|ing)?\b|\b(?:focus|topics?|agenda)\s+of\s+the\s+(?:meeting|talks|visit|summit)\b/giu,
    apply: (ctx, start, end) => {
      if (!ctx.event) return [];
      const clause = clauseAt(ctx, start);
      const topics = ctx.refs.filter((r) => r.start >= end && r.end <= clause.end && r.kind !== 'Person' && r.kind !== 'Event' && !isModifier(ctx, r));
      return proposal('relation.discusses', 'CONCERNS', [ctx.event], topics, start, end, { confidence: 0.5 });
    },
  },
  {
    name: 'relation.part-of',
    pattern: /\b(?:as\s+)?(?:a\s+)?part\s+of\b|\bwithin\s+the\s+framework\s+of\b|\bunder\s+the\s+(?:umbrella|auspices)\s+of\b/giu,
    apply: (ctx, start, end) => {
      const part = ctx.refs.filter((r) => r.end <= start && ['Initiative', 'Unit'].includes(r.kind)).pop();
      const whole = objectsAfter(ctx, end, ['Initiative', 'Unit', 'Organisation'])[0];
      return part && whole ? proposal('relation.part-of', 'PART_OF', [part], [whole], start, end, { mode: 'participle', confidence: 0.6 }) : [];
    },
  },
  {
    name: 'relation.in-the',
    pattern: /(?<=\S)\s+(?:in|within|under|at)\s+(?:the\s+)?(?=\S)/giu,
    apply: (ctx, start, end) => {
      // "the Demining Coalition in the Ramstein format": an initiative within another;
      // "the ... Command in the Baltic region": where it stands.
      const part = ctx.refs.find((r) => r.end === start && ['Initiative', 'Unit', 'Organisation'].includes(r.kind));
      const whole = ctx.refs.find((r) => r.start === end);
      if (!part || !whole) return [];
      if (part.kind === 'Initiative' && whole.kind === 'Initiative' && /\bthe\s+$/iu.test(ctx.text.slice(start, end))) {
        return proposal('relation.in-the', 'PART_OF', [part], [whole], start, end, { mode: 'participle', confidence: 0.5 });
      }
      if (whole.kind === 'Place' && part.kind !== 'Organisation' && part.subtype !== 'AGREEMENT') return proposal('relation.in-the', 'DEPLOYED_AT', [part], [whole], start, end, { mode: 'located', confidence: 0.4 });
      return [];
    },
  },
  {
    name: 'relation.with-mission',
    pattern: /\b(?:with|through|in|via)\s+the\s+/giu,
    apply: (ctx, start, end) => {
      // "assistance ... with the Interflex and EUMAM Ukraine missions": taking part in them.
      const first = ctx.refs.find((r) => r.start === end && r.kind === 'Initiative' && ['MISSION', 'OPERATION'].includes(r.subtype ?? ''));
      if (!first) return [];
      const missions = withList(ctx, first, clauseAt(ctx, start).end, ['Initiative']);
      return proposal('relation.with-mission', 'PARTICIPATES_IN', subjectsOf(ctx, start, AGENTS).slice(0, 1), missions, start, end, { role: 'PARTICIPANT', confidence: 0.5 });
    },
  },
  {
    name: 'relation.under-agreement',
    pattern: /\b(?:under|within)\s+the\s+/giu,
    apply: (ctx, start, end) => {
      // "Poland and Lithuania agreed to cooperate ... under the ... Agreement": its parties.
      const agreement = ctx.refs.find((r) => r.start === end && r.subtype === 'AGREEMENT');
      return agreement ? proposal('relation.under-agreement', 'PARTICIPATES_IN', subjectsOf(ctx, start, ['Country', 'Organisation']), [agreement], start, end, { role: 'PARTICIPANT', mode: 'participle', confidence: 0.5 }) : [];
    },
  },
  {
    name: 'relation.presidency',
    pattern: /\bpresidency\b/giu,
    apply: (ctx, start, end) => {
      // "Belgium’s priorities for the EU Presidency": the presidency a country holds.
      const presidency = ctx.refs.find((r) => r.start <= start && r.end >= end && r.subtype === 'PRESIDENCY');
      const clause = clauseAt(ctx, start);
      const holder = ctx.refs.find((r) => r.kind === 'Country' && r.start >= clause.start && r.end <= clause.end && /['\u2019]s?$/u.test(ctx.text.slice(r.start, r.end)));
      return presidency && holder ? proposal('relation.presidency', 'PARTICIPATES_IN', [holder], [presidency], start, end, { role: 'LEAD', mode: 'participle', confidence: 0.5 }) : [];
    },
  },
];

/** "Belgium’s priorities", "the EU Presidency period", "NATO defence plans": the name qualifies the noun after it. */
const FUNCTION_WORDS = /^\s+(?:and|or|with|in|on|to|of|for|as|at|by|from|is|are|was|were|will|which|that|who|has|have|had|would|could|also)\b/iu;
function isModifier(ctx: Context, ref: Ref): boolean {
  if (/['\u2019]s?$/u.test(ctx.text.slice(ref.start, ref.end))) return true;
  const after = ctx.text.slice(ref.end, ref.end + 20);
  return /^\s+\p{Ll}/u.test(after) && !FUNCTION_WORDS.test(after);
}

function leadership(rule: string, verb: string, subjects: Ref[], object: Ref, start: number, end: number, mode: Mode): Proposal[] {
  if (verb === 'commanded') return proposal(rule, 'COMMANDS', subjects, [object], start, end, { mode, confidence: 0.6 });
  const role: Role = verb.startsWith('coordinat') || verb.startsWith('organi') || verb === 'chaired' ? 'COORDINATOR' : verb === 'hosted' ? 'HOST' : 'LEAD';
  if (verb === 'hosted' && object.kind === 'Event') return proposal(rule, 'HOSTS', subjects.filter((s) => s.kind === 'Country'), [object], start, end, { mode, confidence: 0.7 });
  if ((object.kind === 'Unit' || object.kind === 'Organisation') && role === 'LEAD') {
    return proposal(rule, 'COMMANDS', subjects, [object], start, end, { mode, confidence: 0.6 });
  }
  if (object.kind === 'Event' && role !== 'HOST') return [];
  return proposal(rule, 'PARTICIPATES_IN', subjects, [object], start, end, { mode, role, confidence: 0.7 });
}

/** Kinds each relation type takes, so that a cue never proposes a fact the ontology cannot mean. */
const FITS: Partial<Record<RelationType, [EntityKind[], EntityKind[]]>> = {
  MEMBER_OF: [['Country', 'Organisation'], ['Organisation']],
  DEPLOYED_AT: [['Unit', 'Initiative', 'Organisation'], ['Place', 'Country']],
  HOSTS: [['Country', 'Place'], ['Event']],
  ATTENDS: [['Person', 'Country', 'Organisation'], ['Event']],
  CONCERNS: [['Event', 'Initiative'], ['Country', 'Organisation', 'Unit', 'Initiative', 'Place']],
  COMMANDS: [['Person', 'Country', 'Organisation', 'Unit'], ['Unit', 'Organisation', 'Initiative']],
};

/**
 * Positions named beside a person: "the Estonian Minister of Defence Kadri Tamm", "Latvia’s Chief
 * of Defence, Lieutenant General Andris Kalējs", "Chief of Defence of Lithuania General X". The
 * holder is the country or organisation written with the position, if one is.
 */
export function positionsOf(text: string, refs: Ref[], positions: Array<{ start: number; end: number; title: string }>): PositionRef[] {
  const found: PositionRef[] = [];
  for (const position of positions) {
    const person = refs.find((r) => r.kind === 'Person' && r.start >= position.end && /^[\s,]*(?:\p{Lu}\p{L}+\.?\s+){0,2}$/u.test(text.slice(position.end, r.start)));
    if (!person) continue;
    const before = refs.filter((r) => r.end <= position.start && /^(?:\s*|\s+the\s+)$/iu.test(text.slice(r.end, position.start).replace(/^['\u2019]s/u, ''))).pop();
    const of = refs.find((r) => r.start >= position.end && r.end <= person.start && /^\s+of\s+(?:the\s+)?$/iu.test(text.slice(position.end, r.start)));
    const holder = [of, before].find((r) => r && (r.kind === 'Country' || r.kind === 'Organisation'));
    found.push({ title: position.title, start: position.start, end: position.end, person, ...(holder ? { holder } : {}) });
  }
  return found;
}

export function proposeFacts(
  sentence: Sentence,
  text: string,
  refs: Ref[],
  dates: DateMention[],
  event: Ref | undefined,
  earlier: Ref[] = [],
  positions: PositionRef[] = [],
  names: Map<string, string> = new Map(),
): ProposedFact[] {
  const ctx: Context = { sentence, refs: [...refs].sort((a, b) => a.start - b.start), text, clauses: clausesOf(sentence), event, lastObjects: [], earlier, positions, names };
  const statusCues = findCues(STATUS_CUES, sentence.text, sentence.start);
  const matches: Array<{ rule: Rule; start: number; end: number; match: RegExpMatchArray }> = [];
  for (const rule of RULES) {
    for (const match of sentence.text.matchAll(rule.pattern)) {
      matches.push({ rule, start: sentence.start + match.index, end: sentence.start + match.index + match[0].length, match });
    }
  }
  matches.sort((a, b) => a.start - b.start);
  const cueStarts = matches.map((m) => m.start);
  const domains = domainsOf(sentence.text);
  const facts: ProposedFact[] = [];
  for (const p of positions) {
    if (!p.holder) continue;
    facts.push({ type: 'HOLDS_POSITION', subject: p.person.id, object: p.holder.id, title: p.title, status: 'ACTIVE', domains: [], sentence, rule: 'relation.position', confidence: 0.6 });
  }
  const subjectsUsed = new Set<string>();
  for (const m of matches) {
    const proposals = m.rule.apply(ctx, m.start, m.end, m.match);
    for (const p of proposals) {
      if (p.mode === 'finite') ctx.lastObjects = p.objects;
      const described = Math.min(p.cueStart, ...p.subjects.map((r) => r.start), ...p.objects.map((r) => r.start));
      const { status, cue } = statusOf(p, ctx, described, statusCues);
      const date = dateFor(ctx, dates, cueStarts, p.cueStart, p.cueEnd);
      // An ended command needs the day it ended: without one the fact is not proposed.
      if (status === 'ENDED' && !date) continue;
      const when = date ? (status === 'ENDED' ? { end: date.date } : { [date.bound]: date.date, ...(date.until ? { end: date.until } : {}) }) : {};
      for (const subject of p.subjects) {
        if (p.type !== 'CONCERNS' && p.mode === 'finite') subjectsUsed.add(subject.id);
        for (const object of p.objects) {
          if (subject.id === object.id) continue;
          const fits = FITS[p.type];
          if (fits && (!fits[0].includes(subject.kind) || !fits[1].includes(object.kind))) continue;
          facts.push({
            type: p.type,
            subject: subject.id,
            object: object.id,
            ...(p.role ? { role: p.role } : {}),
            status,
            ...when,
            domains,
            sentence,
            rule: p.rule,
            ...(cue ? { statusRule: cue } : {}),
            confidence: p.confidence,
          });
        }
      }
    }
  }
  // A topic of a meeting is not what another cue of the sentence made an actor.
  return facts.filter((f) => f.type !== 'CONCERNS' || !subjectsUsed.has(f.object));
}

/**
 * A verb takes the status of the nearest cue before it; a participle describes its noun as it
 * stands; a place ("Exercise Northern Shield at Lielvārde Air Base") is as certain as the clause
 * naming it, unless its noun is still being developed.
 */
function statusOf(p: Proposal, ctx: Context, described: number, cues: ReturnType<typeof findCues<StatusCue>>): { status: Status; cue?: string } {
  if (p.mode === 'handover') return { status: 'ENDED', cue: 'status.handed-over' };
  if (p.mode === 'participle') return participleStatus(ctx, p.cueStart, described);
  if (p.mode === 'located') {
    const own = participleStatus(ctx, p.cueStart, described);
    if (own.status !== 'ACTIVE') return own;
  }
  return statusBefore(cues, clauseAt(ctx, p.cueStart).start, p.cueEnd);
}

/** A participle describes its noun as it stands, unless it is still to be: "troops to be deployed", "the currently developed command". */
function participleStatus(ctx: Context, at: number, described: number): { status: Status; cue?: string } {
  const before = ctx.text.slice(Math.max(ctx.sentence.start, at - 30), at);
  if (/\b(?:to|will|shall)\s+be\s*$/iu.test(before)) return { status: 'PLANNED', cue: 'status.to-be' };
  const noun = ctx.text.slice(Math.max(ctx.sentence.start, described - 40), described);
  if (/\b(?:planned|proposed|future|(?:currently\s+)?(?:being\s+)?developed|developing)\s+(?:the\s+)?$/iu.test(noun)) return { status: 'PLANNED', cue: 'status.in-development' };
  return { status: 'ACTIVE' };
}

/** The date a cue's fact takes: the nearest before it with no other cue between, or else the first after it, in its clause. */
function dateFor(ctx: Context, dates: DateMention[], cueStarts: number[], start: number, end: number): DateMention | undefined {
  const clause = clauseAt(ctx, start);
  const inClause = dates.filter((d) => d.start >= clause.start && d.end <= clause.end);
  const before = inClause.filter((d) => d.end <= start && !cueStarts.some((c) => c > d.end && c < start)).pop();
  return before ?? inClause.find((d) => d.start >= end);
}
