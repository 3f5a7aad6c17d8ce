/**
 * Cypher that reads the graph's known entities for the extraction gazetteer: every name,
 * alias and reference alias, with the id, kind and owner they map to.
 */
import type { Db } from './executor';
import { column, ENTITY_PROJECTION, type EntityRecord } from './records';

/**
 * Every entity, or, with `$exceptSource`, only those that some other source states a fact
 * about: the names a text's extraction may know in advance when its own document is loaded
 * already (for a fair score against that document).
 */
export const KNOWN_ENTITIES = `
  MATCH (n:Entity)
  WHERE $exceptSource IS NULL OR EXISTS {
    MATCH (n)<-[:SUBJECT|OBJECT]-(:Fact)-[:EVIDENCED_BY]->(:Evidence)-[:FROM_SOURCE]->(src:Source)
    WHERE src.id <> $exceptSource
  }
  RETURN ${ENTITY_PROJECTION} AS entity
  ORDER BY n.id`;

export async function knownEntities(db: Db, exceptSource: string | null = null): Promise<EntityRecord[]> {
  return column<EntityRecord>(await db.read(KNOWN_ENTITIES, { exceptSource }), 'entity');
}
