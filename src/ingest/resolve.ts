/**
 * Catching duplicates before a load (`dcg resolve <doc>`): for each entity a document defines,
 * the stored entities it may be the same as. Names and aliases are compared folded (case,
 * accents, punctuation, possessives and titles such as "Lt Gen" or "Admiral" set aside), and
 * reference ids (Wikidata, ISO 3166) compared as they are. Pure: the graph's entities are given.
 */
import type { StoredName } from '../db/ingest';
import type { EntityInput } from './document';

/** Ranks and honorifics that precede names in the sources ("General Valdemaras Rupšys"). */
const TITLES = new Set([
  'adm', 'admiral', 'brig', 'brigadier', 'capt', 'captain', 'cdr', 'cmdr', 'commander', 'col', 'colonel', 'cpt',
  'dr', 'gen', 'general', 'hon', 'lt', 'lieutenant', 'maj', 'major', 'mr', 'mrs', 'ms', 'prof', 'rear', 'sgt',
  'sergeant', 'sir', 'vadm', 'vice',
]);

/** A name as compared: "Lt Gen Valdemaras Rupšys" and "valdemaras rupsys" fold alike. */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((word) => word.length > 0 && !TITLES.has(word))
    .join(' ');
}

export type { StoredName };

export interface Candidate {
  id: string;
  kind: string;
  name: string;
  /** Why it may be the same: 'same id', 'wikidata Q31', 'iso3166 BE', or 'name "belgium"'. */
  reasons: string[];
}

export interface Resolution {
  entity: string;
  candidates: Candidate[];
}

function namesOf(e: { name: string; aliases: string[] }): Set<string> {
  return new Set([e.name, ...e.aliases].map(foldName).filter((n) => n.length > 0));
}

/** For each entity of `entities`, the stored ones it may be the same as, most reasons first. */
export function resolveEntities(entities: EntityInput[], stored: StoredName[]): Resolution[] {
  const byName = new Map<string, StoredName[]>();
  for (const s of stored) {
    for (const name of namesOf(s)) {
      const list = byName.get(name) ?? [];
      list.push(s);
      byName.set(name, list);
    }
  }
  const byId = new Map(stored.map((s) => [s.id, s]));
  return entities.map((entity) => {
    const found = new Map<string, Candidate>();
    const add = (s: StoredName, reason: string) => {
      const c = found.get(s.id) ?? { id: s.id, kind: s.kind, name: s.name, reasons: [] };
      if (!c.reasons.includes(reason)) c.reasons.push(reason);
      found.set(s.id, c);
    };
    const same = byId.get(entity.id);
    if (same) add(same, 'same id');
    const { wikidata, iso3166 } = entity.reference ?? {};
    for (const s of stored) {
      if (wikidata && s.wikidata === wikidata) add(s, `wikidata ${wikidata}`);
      if (iso3166 && s.iso3166 === iso3166) add(s, `iso3166 ${iso3166}`);
    }
    for (const name of namesOf({ name: entity.name, aliases: [...entity.aliases, ...(entity.reference?.aliases ?? [])] })) {
      for (const s of byName.get(name) ?? []) add(s, `name "${name}"`);
    }
    const candidates = [...found.values()].sort((a, b) => b.reasons.length - a.reasons.length || a.id.localeCompare(b.id));
    return { entity: entity.id, candidates };
  });
}
