/** Cypher that reads entities: by id, by country code, pages, search, members. */
import { SUBTYPES } from '../ontology';
import { FULLTEXT_INDEX, FULLTEXT_STOP_WORDS } from './schema';
import type { Db } from './executor';
import { factPredicate, filterParams, type FactFilter } from './filters';
import { column, ENTITY_PROJECTION, type EntityRecord } from './records';

export type { EntityRecord } from './records';

export const ENTITIES_BY_ID = `
  UNWIND $ids AS id
  MATCH (n:Entity {id: id})
  RETURN ${ENTITY_PROJECTION} AS entity`;

export async function entitiesById(db: Db, ids: readonly string[]): Promise<EntityRecord[]> {
  return column<EntityRecord>(await db.read(ENTITIES_BY_ID, { ids }), 'entity');
}

export const ENTITY_BY_ISO = `
  MATCH (n:Entity:Country {iso3166: $code})
  RETURN ${ENTITY_PROJECTION} AS entity LIMIT 1`;

export async function entityByIso(db: Db, code: string): Promise<EntityRecord | null> {
  return column<EntityRecord>(await db.read(ENTITY_BY_ISO, { code }), 'entity')[0] ?? null;
}

/** Entities that belong to each given entity (BELONGS_TO: its bodies), for a DataLoader. */
export const MEMBERS_OF = `
  UNWIND $ids AS id
  MATCH (n:Entity)-[:BELONGS_TO]->(:Entity {id: id})
  WITH id, n ORDER BY n.id
  RETURN id, collect(${ENTITY_PROJECTION}) AS members`;

export async function membersOf(db: Db, ids: readonly string[]): Promise<Map<string, EntityRecord[]>> {
  const rows = await db.read(MEMBERS_OF, { ids });
  return new Map(rows.map((row) => [row.id as string, row.members as EntityRecord[]]));
}

/** The members of each given entity: subjects of MEMBER_OF facts that pass the filter, for a DataLoader. */
export const MEMBER_ENTITIES_OF = `
  UNWIND $ids AS id
  MATCH (n:Entity)-[r:MEMBER_OF]->(:Entity {id: id})
  WHERE ${factPredicate('r')}
  WITH DISTINCT id, n ORDER BY n.id
  RETURN id, collect(${ENTITY_PROJECTION}) AS members`;

export async function memberEntitiesOf(db: Db, ids: readonly string[], filter: FactFilter): Promise<Map<string, EntityRecord[]>> {
  const rows = await db.read(MEMBER_ENTITIES_OF, { ids, ...filterParams(filter) });
  return new Map(rows.map((row) => [row.id as string, row.members as EntityRecord[]]));
}

/**
 * One page in id order after a cursor id (keyset paging: an insert never shifts a page). Each
 * reads an index in order from the cursor on (the id constraint's, or the (kind, id) index for
 * one kind), so a page costs its size wherever it is. With no cursor, `$after` is '' (before
 * every id).
 */
export const ENTITY_PAGE = `
  MATCH (n:Entity) WHERE n.id > $after
  RETURN ${ENTITY_PROJECTION} AS entity
  ORDER BY n.id
  LIMIT $limit`;

export const ENTITY_PAGE_OF_KIND = `
  MATCH (n:Entity) WHERE n.kind = $kind AND n.id > $after
  RETURN ${ENTITY_PROJECTION} AS entity
  ORDER BY n.id
  LIMIT $limit`;

export async function entityPage(db: Db, kind: string | null, after: string | null, first: number): Promise<EntityRecord[]> {
  const params = { kind, after: after ?? '', limit: first + 1 };
  return column<EntityRecord>(await db.read(kind === null ? ENTITY_PAGE : ENTITY_PAGE_OF_KIND, params), 'entity');
}

/** Counted from the label's count store, without loading a row. */
export const COUNT_ALL = 'MATCH (n:Entity) RETURN count(n) AS total';
export const COUNT_BY_LABEL: Record<string, string> = {
  Country: 'MATCH (n:Country) RETURN count(n) AS total',
  Organisation: 'MATCH (n:Organisation) RETURN count(n) AS total',
  Unit: 'MATCH (n:Unit) RETURN count(n) AS total',
  Initiative: 'MATCH (n:Initiative) RETURN count(n) AS total',
  Person: 'MATCH (n:Person) RETURN count(n) AS total',
  Event: 'MATCH (n:Event) RETURN count(n) AS total',
  Place: 'MATCH (n:Place) RETURN count(n) AS total',
};

export async function countEntities(db: Db, kind: string | null): Promise<number> {
  const query = kind === null ? COUNT_ALL : COUNT_BY_LABEL[kind];
  if (!query) throw new Error(`Not an entity kind: ${kind}`);
  const [row] = await db.read(query);
  return (row?.total as number | undefined) ?? 0;
}

/**
 * Full-text search. The words are folded and escaped, so the text is taken literally; each word
 * matches whole (boosted) or as a prefix. Kinds and subtypes filter on their properties.
 */
export const SEARCH = `
  CALL db.index.fulltext.queryNodes('${FULLTEXT_INDEX}', $lucene, {limit: $candidates})
  YIELD node AS n, score
  WHERE ($kinds IS NULL OR n.kind IN $kinds) AND ($subtypes IS NULL OR n.subtype IN $subtypes)
  RETURN ${ENTITY_PROJECTION} AS entity, score
  ORDER BY score DESC, n.id
  LIMIT $limit`;

/** Entities of the subtypes a text names ("working group": WORKING_GROUP), from the subtype index. */
export const SEARCH_BY_SUBTYPE = `
  MATCH (n:Entity) WHERE n.subtype IN $named
    AND ($kinds IS NULL OR n.kind IN $kinds) AND ($subtypes IS NULL OR n.subtype IN $subtypes)
  RETURN ${ENTITY_PROJECTION} AS entity
  ORDER BY n.id
  LIMIT $limit`;

const LUCENE_SPECIAL = /[+\-!(){}[\]^"~*?:\\/&|]/g;
/** Letters ASCII folding turns into others than their base letter, beside the combining marks NFD splits off. */
const FOLDED_LETTERS: Record<string, string> = { ß: 'ss', ø: 'o', æ: 'ae', œ: 'oe', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

const ASCII = /^[\x00-\x7f]*$/;

/** Case and accents folded as the full-text analyzer folds them: "Rupšys" is "rupsys". */
export function fold(text: string): string {
  // ASCII has no marks or letters to unfold: lower case is all.
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßøæœłđðþı]/g, (c) => FOLDED_LETTERS[c] ?? c);
}

/** The folded words of a text, as the analyzer splits it. */
export function words(text: string): string[] {
  return fold(text)
    .split(/[\s\p{P}\p{S}]+/u)
    .map((word) => word.replace(LUCENE_SPECIAL, ''))
    .filter((word) => word.length > 0);
}

/** Words this long or longer may also match with one letter wrong, when typos are allowed. */
const TYPO_MIN_LENGTH = 5;

/**
 * Builds a Lucene query that means "these words, as words or word starts", whatever the text
 * holds: folded as the index folds, without the analyzer's stop words (which include the
 * operators AND, OR, NOT and TO). With `typos`, a word of 5 letters or more also matches a
 * word one edit away ("ordnance" finds the source's "ordinance").
 */
export function luceneQuery(text: string, options: { typos?: boolean } = {}): string | null {
  const kept = words(text)
    .filter((word) => !FULLTEXT_STOP_WORDS.includes(word))
    .slice(0, 12);
  if (kept.length === 0) return null;
  return kept.map((word) => (options.typos && word.length >= TYPO_MIN_LENGTH ? `(${word}^3 OR ${word}* OR ${word}~1)` : `(${word}^3 OR ${word}*)`)).join(' AND ');
}

/** The subtypes whose words the text is (singular or plural): "working groups" names WORKING_GROUP. */
export function subtypesNamed(text: string): string[] {
  const said = words(text).join(' ');
  return [...new Set(Object.values(SUBTYPES).flat())].filter((subtype) => {
    const name = subtype.toLowerCase().replaceAll('_', ' ');
    return said === name || said === `${name}s`;
  });
}

/** Whether an entity's name, an alias or a reference alias is the text, case and accents aside (the text's words folded once). */
function exactMatcher(text: string): (entity: EntityRecord) => boolean {
  const wanted = words(text).join(' ');
  return (entity) => [entity.name, ...entity.aliases, ...entity.referenceAliases].some((name) => words(name).join(' ') === wanted);
}

export interface EntityHit {
  entity: EntityRecord;
  score: number;
  exact: boolean;
}

/**
 * Exact name or alias matches first, then by score; entities found only because the text names
 * their subtype come last, with score 0.
 */
export async function searchEntities(db: Db, text: string, kinds: string[] | null, subtypes: string[] | null, first: number): Promise<EntityHit[]> {
  const lucene = luceneQuery(text);
  const named = subtypesNamed(text);
  const [rows, bySubtype] = await Promise.all([
    lucene === null ? [] : db.read(SEARCH, { lucene, kinds, subtypes, limit: Math.max(first * 5, 50), candidates: Math.max(first * 10, 100) }),
    named.length === 0 ? [] : db.read(SEARCH_BY_SUBTYPE, { named, kinds, subtypes, limit: first }),
  ]);
  return rankHits(text, rows as unknown as Array<{ entity: EntityRecord; score: number }>, bySubtype.map((row) => row.entity as EntityRecord), first);
}

/** Hits in the order searchEntities() gives them, from its two queries' rows (also the compiled query's, src/db/compile). */
export function rankHits<E extends EntityRecord>(text: string, rows: ReadonlyArray<{ entity: E; score: number }>, bySubtype: readonly E[], first: number): Array<{ entity: E; score: number; exact: boolean }> {
  const exact = exactMatcher(text);
  const hits = rows.map((row) => ({ entity: row.entity, score: row.score, exact: exact(row.entity) }));
  const seen = new Set(hits.map((hit) => hit.entity.id));
  for (const entity of bySubtype) {
    if (!seen.has(entity.id)) hits.push({ entity, score: 0, exact: false });
  }
  // Array.prototype.sort is stable: within exact and within the rest, the order by score stays.
  return hits.sort((a, b) => Number(b.exact) - Number(a.exact)).slice(0, first);
}
