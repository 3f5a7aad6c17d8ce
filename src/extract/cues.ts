/**
 * Cue words of English defence-cooperation releases: what status a statement has ("plans",
 * "will", "proposal" -> PLANNED or PROPOSED; "officially", "has become" -> ACTIVE) and which
 * domains its words name. Each cue is a pattern with the name a reviewer sees in `review.rule`.
 */
import type { Domain, Status } from '../ontology';

export interface StatusCue {
  name: string;
  pattern: RegExp;
  status: Status;
}

/** Modal and aspect cues; the one nearest before a relation's verb decides its status. */
export const STATUS_CUES: StatusCue[] = [
  { name: 'status.planned-to', pattern: /\b(?:is|are|was|were)\s+planned\s+to\b/giu, status: 'PLANNED' },
  { name: 'status.plans', pattern: /\bplan(?:s|ned|ning)?\b/giu, status: 'PLANNED' },
  { name: 'status.will', pattern: /\b(?:will|shall)\b/giu, status: 'PLANNED' },
  { name: 'status.is-to', pattern: /\b(?:is|are)\s+to\s+(?!be\b)/giu, status: 'PLANNED' },
  { name: 'status.to-be', pattern: /\bto\s+be\s+\w+(?:ed|en)\b/giu, status: 'PLANNED' },
  { name: 'status.intends', pattern: /\b(?:intend\w*|expected\s+to|scheduled\s+to|aims?\s+to|set\s+to|agreed\s+to|prepar\w+\s+to)\b/giu, status: 'PLANNED' },
  { name: 'status.departs', pattern: /\b(?:departs?|departing|travels?\s+to|upcoming|next\s+(?:week|month|year))\b/giu, status: 'PLANNED' },
  { name: 'status.proposal', pattern: /\b(?:propos\w*|suggest\w*|consider\w*)\b/giu, status: 'PROPOSED' },
  // Lower case only: "May" is also a month.
  { name: 'status.would', pattern: /\b(?:would|could|might|may)\b/gu, status: 'PROPOSED' },
  { name: 'status.officially', pattern: /\b(?:officially|already|formally)\b/giu, status: 'ACTIVE' },
  { name: 'status.has-become', pattern: /\b(?:has|have)\s+(?:become|been|joined|signed|taken)\b|\bbecame\b/giu, status: 'ACTIVE' },
  { name: 'status.serve', pattern: /\bserv(?:e|es|ing)\b/giu, status: 'ACTIVE' },
  { name: 'status.past', pattern: /\b(?:signed|took\s+over|joined|hosted|launched|established)\b/giu, status: 'ACTIVE' },
];

export interface CueMatch<T> {
  cue: T;
  /** UTF-16 span in the whole text. */
  start: number;
  end: number;
}

export function findCues<T extends { pattern: RegExp }>(cues: T[], sentence: string, offset: number): Array<CueMatch<T>> {
  const found: Array<CueMatch<T>> = [];
  for (const cue of cues) {
    for (const match of sentence.matchAll(cue.pattern)) {
      found.push({ cue, start: offset + match.index, end: offset + match.index + match[0].length });
    }
  }
  return found.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The status the nearest cue before `at` gives (or the default, ACTIVE, with no cue). */
export function statusBefore(cues: Array<CueMatch<StatusCue>>, from: number, at: number): { status: Status; cue?: string } {
  let best: CueMatch<StatusCue> | undefined;
  for (const cue of cues) if (cue.start >= from && cue.start <= at && (!best || cue.start >= best.start)) best = cue;
  return best ? { status: best.cue.status, cue: best.cue.name } : { status: 'ACTIVE' };
}

/** Words that name a domain of cooperation. */
export const DOMAIN_CUES: Array<{ domain: Domain; pattern: RegExp }> = [
  { domain: 'AIR', pattern: /\b(?:air|aircraft|fighters?|airspace|aviation|F-\d+)\b/iu },
  { domain: 'MARITIME', pattern: /\b(?:maritime|naval|navy|sea|ships?|vessels?|mine\s+countermeasures)\b/iu },
  { domain: 'LAND', pattern: /\b(?:land|troops|battalions?|brigades?|battle\s+group|infantry|armou?red|tanks?)\b/iu },
  { domain: 'SPECIAL_OPERATIONS', pattern: /\bspecial\s+(?:operations|forces)\b/iu },
  { domain: 'CYBER', pattern: /\bcyber\w*/iu },
  { domain: 'PROCUREMENT', pattern: /\b(?:procure\w*|acquisitions?|purchas\w+)\b/iu },
  { domain: 'MILITARY_QUALIFICATION', pattern: /\bmilitary\s+qualification\b/iu },
  { domain: 'DEMINING', pattern: /\b(?:demining|mine\s+clearance|ordnance\s+disposal)\b/iu },
  { domain: 'TRAINING', pattern: /\b(?:train\w*|courses?|exercises?|drills?)\b/iu },
  { domain: 'RESILIENCE', pattern: /\bresilien\w*/iu },
  { domain: 'DETERRENCE', pattern: /\bdeterren\w*/iu },
  { domain: 'ASSISTANCE', pattern: /\b(?:assistance|aid)\b/iu },
];

export function domainsOf(sentence: string): Domain[] {
  return DOMAIN_CUES.filter((d) => d.pattern.test(sentence)).map((d) => d.domain);
}
