/**
 * Scoring a draft against a curated document of the same text. Entities are the same when they
 * have the same id, or a name or alias equal after folding; facts when they have the same type,
 * subject, object and status (subject and object compared through the entity matching), and
 * "with dates right" when their start and end are also the same. Evidence is exact when the
 * quote is the text at its code point offsets.
 */
import { fold } from './text';

interface ScoredEntity {
  id: string;
  name: string;
  aliases?: string[];
}
interface ScoredDate {
  value: string;
  precision: string;
  earliest?: string;
  latest?: string;
}
interface ScoredFact {
  type: string;
  subject: string;
  object: string;
  status: string;
  start?: ScoredDate;
  end?: ScoredDate;
  evidence: Array<{ quote: string; start: number; end: number }>;
}
export interface ScoredDocument {
  entities: ScoredEntity[];
  facts: ScoredFact[];
}

export interface Scores {
  entities: { precision: number; recall: number; matched: number; proposed: number; curated: number };
  facts: { precision: number; recall: number; datesRight: number; matched: number; proposed: number; curated: number };
  evidence: { exact: number; total: number };
}

const ratio = (n: number, d: number): number => (d === 0 ? 1 : Math.round((n / d) * 1000) / 1000);

function names(e: ScoredEntity): Set<string> {
  return new Set([e.name, ...(e.aliases ?? [])].map(fold));
}

function sameDate(a: ScoredDate | undefined, b: ScoredDate | undefined): boolean {
  if (!a || !b) return a === b;
  return a.value === b.value && a.precision === b.precision && (a.precision !== 'RANGE' || (a.earliest === b.earliest && a.latest === b.latest));
}

export function scoreDraft(draft: ScoredDocument, gold: ScoredDocument, text: string): Scores {
  // Each proposed entity to the curated one it is (same id first, then a shared name).
  const toGold = new Map<string, string>();
  const goldNames = gold.entities.map((g) => ({ id: g.id, names: names(g) }));
  for (const e of draft.entities) {
    const byId = gold.entities.find((g) => g.id === e.id);
    if (byId) {
      toGold.set(e.id, byId.id);
      continue;
    }
    const own = names(e);
    const byName = goldNames.find((g) => [...own].some((n) => g.names.has(n)));
    if (byName) toGold.set(e.id, byName.id);
  }
  const goldFound = new Set(toGold.values());
  const entityMatched = draft.entities.filter((e) => toGold.has(e.id)).length;

  const key = (f: ScoredFact, subject: string, object: string): string => `${f.type}|${subject}|${object}|${f.status}`;
  // Curated facts that differ only in role share a key: finding it finds each of them.
  const goldFacts = new Map<string, ScoredFact[]>();
  for (const f of gold.facts) goldFacts.set(key(f, f.subject, f.object), [...(goldFacts.get(key(f, f.subject, f.object)) ?? []), f]);
  const foundGold = new Set<string>();
  const datedGold = new Set<string>();
  let factMatched = 0;
  for (const f of draft.facts) {
    const k = key(f, toGold.get(f.subject) ?? `?${f.subject}`, toGold.get(f.object) ?? `?${f.object}`);
    const same = goldFacts.get(k);
    if (!same) continue;
    factMatched += 1;
    same.forEach((g, i) => {
      foundGold.add(`${k}#${i}`);
      if (sameDate(f.start, g.start) && sameDate(f.end, g.end)) datedGold.add(`${k}#${i}`);
    });
  }

  const codePoints = Array.from(text);
  const evidence = draft.facts.flatMap((f) => f.evidence);
  const exact = evidence.filter((e) => codePoints.slice(e.start, e.end).join('') === e.quote).length;

  return {
    entities: {
      precision: ratio(entityMatched, draft.entities.length),
      recall: ratio(goldFound.size, gold.entities.length),
      matched: entityMatched,
      proposed: draft.entities.length,
      curated: gold.entities.length,
    },
    facts: {
      precision: ratio(factMatched, draft.facts.length),
      recall: ratio(foundGold.size, gold.facts.length),
      datesRight: ratio(datedGold.size, gold.facts.length),
      matched: factMatched,
      proposed: draft.facts.length,
      curated: gold.facts.length,
    },
    evidence: { exact, total: evidence.length },
  };
}
