/**
 * Every DataLoader, built once per request by createLoaders(). A batch function returns one
 * value per key, in the keys' order, and null (or an empty list) for a key it could not find.
 * So a request costs one round trip per loader per level of the query, however many results.
 */
import DataLoader from 'dataloader';
import { entitiesById, membersOf } from '../db/entities';
import type { Db } from '../db/executor';
import { evidenceOfFacts, factsById, factsOfEntities, sourcesById } from '../db/facts';
import type { FactFilter } from '../db/filters';
import type { EntityRecord, EvidenceRecord, FactRecord, SourceRecord } from '../db/records';

function byKey<K, V>(keys: readonly K[], values: V[], keyOf: (value: V) => K): Array<V | null> {
  const found = new Map(values.map((value) => [keyOf(value), value]));
  return keys.map((key) => found.get(key) ?? null);
}

function listsByKey<V>(keys: readonly string[], lists: Map<string, V[]>): V[][] {
  return keys.map((key) => lists.get(key) ?? []);
}

export function createLoaders(db: Db) {
  const entity = new DataLoader<string, EntityRecord | null>(async (ids) => byKey(ids, await entitiesById(db, ids), (e) => e.id));
  const fact = new DataLoader<string, FactRecord | null>(async (ids) => byKey(ids, await factsById(db, ids), (f) => f.id));
  const source = new DataLoader<string, SourceRecord | null>(async (ids) => byKey(ids, await sourcesById(db, ids), (s) => s.id));
  const evidence = new DataLoader<string, EvidenceRecord[]>(async (ids) => listsByKey(ids, await evidenceOfFacts(db, ids)));
  const members = new DataLoader<string, EntityRecord[]>(async (ids) => listsByKey(ids, await membersOf(db, ids)));

  // One loader per distinct filter, so entities asked for with the same arguments batch together.
  const factsOf = new Map<string, DataLoader<string, FactRecord[]>>();
  function factsOfEntity(filter: FactFilter, types: string[] | null): DataLoader<string, FactRecord[]> {
    const key = JSON.stringify([filter, types]);
    let loader = factsOf.get(key);
    if (!loader) {
      loader = new DataLoader<string, FactRecord[]>(async (ids) => {
        const { facts, ends } = await factsOfEntities(db, ids, filter, types);
        for (const list of facts.values()) for (const f of list) fact.prime(f.id, f);
        for (const e of ends) entity.prime(e.id, e);
        return listsByKey(ids, facts);
      });
      factsOf.set(key, loader);
    }
    return loader;
  }

  return { entity, fact, source, evidence, members, factsOfEntity };
}

export type Loaders = ReturnType<typeof createLoaders>;
