/**
 * Claims and the one rule that derives a fact's view from them (docs/ontology.md, section 4).
 *
 * A claim is one source's statement of a fact: its status, dates, domains, title and note as
 * that source gives them. The view a reader sees (status, validity, domains, ...) is derived
 * here, from the set of claims only, so that it does not depend on the order in which sources
 * were loaded. The loader stores the view it derives (and one view per "known from" day, for
 * `knownOn` reads); the API derives views with the same functions.
 */
import type { Domain, Precision, Status } from './ontology';

export interface ClaimDate {
  text: string;
  value: string;
  precision: Precision;
  earliest: string;
  latest: string;
}

export interface Claim {
  source: string;
  publisher: string;
  /** The last day the source can have been published (its publishedLatest): when it is certainly known. */
  published: string;
  status: Status;
  title: string | null;
  /** Sorted. */
  domains: Domain[];
  note: string | null;
  start: ClaimDate | null;
  end: ClaimDate | null;
}

/** The fields on which claims can contradict each other. */
export const CONFLICT_FIELDS = ['status', 'start', 'end', 'title'] as const;
export type ConflictField = (typeof CONFLICT_FIELDS)[number];

/** Claims of equally recent sources that contradict each other on one field. */
export interface Conflict {
  field: ConflictField;
  /** The sources in contradiction, by id. */
  sources: string[];
  /** What each of them gives, in the order of `sources`. */
  values: string[];
}

export interface FactView {
  status: Status;
  title: string | null;
  domains: Domain[];
  note: string | null;
  start: ClaimDate | null;
  end: ClaimDate | null;
  /** The earliest `published` of the claims. */
  firstStated: string;
  /** start.latest, or firstStated when there is no start. */
  inForceFrom: string;
  /** end.earliest, or null. */
  inForceUntil: string | null;
  /** The source whose claim decided status and dates. */
  decidedBy: string;
  conflicts: Conflict[];
}

/** One step of what was known of a fact: the view derived from the claims published by `knownFrom`. */
export interface KnownStep {
  knownFrom: string;
  view: FactView;
}

/** Publication order: oldest first; among equally recent sources, by source id. */
export function byPublication(a: Claim, b: Claim): number {
  if (a.published !== b.published) return a.published < b.published ? -1 : 1;
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

function days(date: ClaimDate): number {
  return (Date.parse(date.latest) - Date.parse(date.earliest)) / 86_400_000;
}

function within(inner: ClaimDate, outer: ClaimDate): boolean {
  return inner.earliest >= outer.earliest && inner.latest <= outer.latest;
}

function overlap(a: ClaimDate, b: ClaimDate): boolean {
  return a.earliest <= b.latest && b.earliest <= a.latest;
}

/**
 * The date the view gives for `which`: the deciding claim's, unless another claim of the same
 * status gives a date it does not contradict (inside its span, or where it gives none) and is
 * more precise; the most precise such date wins (ties: the most recent source, then source id).
 */
function refinedDate(decider: Claim, claims: Claim[], which: 'start' | 'end'): ClaimDate | null {
  const own = decider[which];
  let best: { date: ClaimDate; claim: Claim } | null = own === null ? null : { date: own, claim: decider };
  for (const claim of claims) {
    const date = claim[which];
    if (claim === decider || claim.status !== decider.status || date === null) continue;
    if (own !== null && !within(date, own)) continue;
    const better =
      best === null ||
      days(date) < days(best.date) ||
      (days(date) === days(best.date) && best.claim !== decider && byPublication(claim, best.claim) > 0);
    if (better) best = { date, claim };
  }
  return best?.date ?? null;
}

function dateText(date: ClaimDate | null): string {
  return date === null ? '(none)' : `${date.text} (${date.earliest}..${date.latest})`;
}

/** Contradictions among the most recent claims: different statuses or titles, dates that cannot both hold. */
function conflictsAmong(latest: Claim[]): Conflict[] {
  if (latest.length < 2) return [];
  const conflicts: Conflict[] = [];
  const report = (field: ConflictField, value: (c: Claim) => string) => {
    conflicts.push({ field, sources: latest.map((c) => c.source), values: latest.map(value) });
  };
  if (new Set(latest.map((c) => c.status)).size > 1) report('status', (c) => c.status);
  if (new Set(latest.map((c) => c.title ?? '')).size > 1) report('title', (c) => c.title ?? '(none)');
  for (const which of ['start', 'end'] as const) {
    const given = latest.map((c) => c[which]).filter((d): d is ClaimDate => d !== null);
    if (given.some((a, i) => given.some((b, j) => j > i && !overlap(a, b)))) report(which, (c) => dateText(c[which]));
  }
  return conflicts;
}

/**
 * The view of a fact from its claims (at least one). The claim of the most recently published
 * source decides status, title, note and dates; among equally recent sources that contradict
 * each other, the first by source id is shown and the contradiction is reported in `conflicts`.
 * A date may be refined by another claim of the same status (refinedDate). Domains are the
 * union of all claims' domains.
 */
export function deriveView(claims: readonly Claim[]): FactView {
  if (claims.length === 0) throw new Error('A fact needs at least one claim to derive its view from');
  const ordered = [...claims].sort(byPublication);
  const newest = ordered[ordered.length - 1]!.published;
  const latest = ordered.filter((c) => c.published === newest);
  const decider = latest[0]!;
  const start = refinedDate(decider, ordered, 'start');
  const end = refinedDate(decider, ordered, 'end');
  const firstStated = ordered[0]!.published;
  return {
    status: decider.status,
    title: decider.title,
    domains: [...new Set(ordered.flatMap((c) => c.domains))].sort(),
    note: decider.note,
    start,
    end,
    firstStated,
    inForceFrom: start?.latest ?? firstStated,
    inForceUntil: end?.earliest ?? null,
    decidedBy: decider.source,
    conflicts: conflictsAmong(latest),
  };
}

/**
 * What was known of a fact over time: one step per distinct publication day of its claims,
 * each derived from the claims published on or before it. The last step is today's view.
 */
export function knownSteps(claims: readonly Claim[]): KnownStep[] {
  const ordered = [...claims].sort(byPublication);
  const daysKnown = [...new Set(ordered.map((c) => c.published))];
  return daysKnown.map((knownFrom) => ({ knownFrom, view: deriveView(ordered.filter((c) => c.published <= knownFrom)) }));
}

/** The view as the sources published on or before `day` told it; null when none of them stated the fact. */
export function viewKnownOn(claims: readonly Claim[], day: string): FactView | null {
  const known = claims.filter((c) => c.published <= day);
  return known.length === 0 ? null : deriveView(known);
}

/** How many distinct sources and publishers state a fact. */
export function corroboration(claims: readonly Claim[]): { sources: number; publishers: number } {
  return { sources: new Set(claims.map((c) => c.source)).size, publishers: new Set(claims.map((c) => c.publisher)).size };
}
