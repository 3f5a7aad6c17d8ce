/**
 * Every DataLoader, built once per request by createLoaders(). A batch function returns one
 * value per key, in the keys' order, and null for a key it could not find.
 */
import DataLoader from 'dataloader';
import { entitiesById, type EntityRecord } from '../db/entities';
import type { Db } from '../db/executor';

function byKey<K, V>(keys: readonly K[], values: V[], keyOf: (value: V) => K): Array<V | null> {
  const found = new Map(values.map((value) => [keyOf(value), value]));
  return keys.map((key) => found.get(key) ?? null);
}

export function createLoaders(db: Db) {
  return {
    entity: new DataLoader<string, EntityRecord | null>(async (ids) => byKey(ids, await entitiesById(db, ids), (e) => e.id)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
