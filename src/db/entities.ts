/** Cypher that reads entities. */
import type { Db, Row } from './executor';

export interface EntityRecord {
  id: string;
  kind: string;
  subtype: string | null;
  name: string;
  aliases: string[];
  iso3166: string | null;
  wikidata: string | null;
}

const ENTITY_FIELDS = 'id: n.id, kind: n.kind, subtype: n.subtype, name: n.name, aliases: n.aliases, iso3166: n.iso3166, wikidata: n.wikidata';

export const ENTITIES_BY_ID = `
  UNWIND $ids AS id
  MATCH (n:Entity {id: id})
  RETURN n { ${ENTITY_FIELDS} } AS entity`;

export function toEntity(row: Row): EntityRecord {
  return row.entity as EntityRecord;
}

export async function entitiesById(db: Db, ids: readonly string[]): Promise<EntityRecord[]> {
  const rows = await db.read(ENTITIES_BY_ID, { ids });
  return rows.map(toEntity);
}
