/** Cypher that reads entities: by id, by country code, pages, search, members. */
import { FULLTEXT_INDEX } from './schema';
import type { Db } from './executor';
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

/** Entities that belong to each given entity (BELONGS_TO), for a DataLoader. */
export const MEMBERS_OF = `
  UNWIND $ids AS id
  MATCH (n:Entity)-[:BELONGS_TO]->(:Entity {id: id})
  WITH id, n ORDER BY n.id
  RETURN id, collect(${ENTITY_PROJECTION}) AS members`;

export async function membersOf(db: Db, ids: readonly string[]): Promise<Map<string, EntityRecord[]>> {
  const rows = await db.read(MEMBERS_OF, { ids });
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
 * Full-text search. The words are escaped, so the text is taken literally; each word matches
 * whole (boosted) or as a prefix. Kinds filter on the `kind` property.
 */
export const SEARCH = `
  CALL db.index.fulltext.queryNodes('${FULLTEXT_INDEX}', $lucene, {limit: $candidates})
  YIELD node AS n, score
  WHERE $kinds IS NULL OR n.kind IN $kinds
  RETURN ${ENTITY_PROJECTION} AS entity, score
  ORDER BY score DESC, n.id
  LIMIT $limit`;

const LUCENE_SPECIAL = /[+\-!(){}[\]^"~*?:\\/&|]/g;

/** Builds a Lucene query that means "these words, as words or word starts", whatever the text holds. */
export function luceneQuery(text: string): string | null {
  const words = text
    .normalize('NFKC')
    .split(/[\s\p{P}\p{S}]+/u)
    .map((word) => word.replace(LUCENE_SPECIAL, '').toLowerCase())
    .filter((word) => word.length > 0 && !['and', 'or', 'not', 'to'].includes(word))
    .slice(0, 12);
  if (words.length === 0) return null;
  return words.map((word) => `(${word}^3 OR ${word}*)`).join(' AND ');
}

export async function searchEntities(db: Db, text: string, kinds: string[] | null, first: number): Promise<Array<{ entity: EntityRecord; score: number }>> {
  const lucene = luceneQuery(text);
  if (lucene === null) return [];
  const rows = await db.read(SEARCH, { lucene, kinds, limit: first, candidates: Math.max(first * 5, 50) });
  return rows.map((row) => ({ entity: row.entity as EntityRecord, score: row.score as number }));
}
