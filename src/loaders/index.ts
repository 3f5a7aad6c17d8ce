/**
 * Every DataLoader, built once per request by createLoaders(). A batch function returns one
 * value per key, in the keys' order, and null (or an empty list) for a key it could not find.
 * So a request costs one round trip per loader per level of the query, however many results.
 */
import DataLoader from 'dataloader';
import { entitiesById, memberEntitiesOf, membersOf } from '../db/entities';
import type { Db } from '../db/executor';
import { evidenceOfFacts, factsById, factsOfEntities, factsOfEntitiesAndBodies, factTallyOfEntities, passagesOfSources, sourcesById, type EntityFactRecord, type FactTallyRow, type PassageRecord } from '../db/facts';
import type { FactFilter } from '../db/filters';
import type { EntityRecord, EvidenceRecord, FactRecord, SourceRecord } from '../db/records';

function byKey<K, V>(keys: readonly K[], values: V[], keyOf: (value: V) => K): Array<V | null> {
  const found = new Map(values.map((value) => [keyOf(value), value]));
  return keys.map((key) => found.get(key) ?? null);
}

function listsByKey<V>(keys: readonly string[], lists: Map<string, V[]>): V[][] {
  return keys.map((key) => lists.get(key) ?? []);
}

/**
 * A DataLoader that also keeps what it has loaded, so that a resolver can hand graphql-js a
 * value already at hand as a plain value (get): graphql-js completes plain values without a
 * promise each, which counts in answers of thousands of objects.
 */
export class Loader<V> {
  private readonly known = new Map<string, V>();
  private readonly loader: DataLoader<string, V>;

  constructor(batch: (keys: readonly string[]) => Promise<V[]>) {
    this.loader = new DataLoader<string, V>(async (keys) => {
      const values = await batch(keys);
      keys.forEach((key, i) => this.known.set(key, values[i] as V));
      return values;
    });
  }

  load(key: string): Promise<V> {
    return this.loader.load(key);
  }

  loadMany(keys: readonly string[]): Promise<Array<V | Error>> {
    return this.loader.loadMany(keys);
  }

  prime(key: string, value: V): void {
    if (this.known.has(key)) return;
    this.known.set(key, value);
    this.loader.prime(key, value);
  }

  /** The value, if loaded already; else a promise of it, batched as load() is. */
  get(key: string): V | Promise<V> {
    return this.known.has(key) ? (this.known.get(key) as V) : this.loader.load(key);
  }
}

export function createLoaders(db: Db) {
  const entity = new Loader<EntityRecord | null>(async (ids) => byKey(ids, await entitiesById(db, ids), (e) => e.id));
  const fact = new Loader<FactRecord | null>(async (ids) => byKey(ids, await factsById(db, ids), (f) => f.id));
  const source = new Loader<SourceRecord | null>(async (ids) => byKey(ids, await sourcesById(db, ids), (s) => s.id));
  const evidence = new Loader<EvidenceRecord[]>(async (ids) => listsByKey(ids, await evidenceOfFacts(db, ids)));
  const members = new Loader<EntityRecord[]>(async (ids) => listsByKey(ids, await membersOf(db, ids)));
  const passages = new Loader<PassageRecord[]>(async (ids) => listsByKey(ids, await passagesOfSources(db, ids)));

  /** One DataLoader per distinct set of arguments, so entities asked for alike batch together. */
  function perArguments<V>(batch: (args: string) => (ids: readonly string[]) => Promise<V[]>) {
    const loaders = new Map<string, DataLoader<string, V>>();
    return (args: unknown): DataLoader<string, V> => {
      const key = JSON.stringify(args);
      let loader = loaders.get(key);
      if (!loader) {
        loader = new DataLoader<string, V>(batch(key));
        loaders.set(key, loader);
      }
      return loader;
    };
  }

  const factsOf = perArguments<EntityFactRecord[]>((key) => async (ids) => {
    const [filter, types, includeBodies] = JSON.parse(key) as [FactFilter, string[] | null, boolean];
    const { facts, ends }: { facts: Map<string, EntityFactRecord[]>; ends: EntityRecord[] } = includeBodies ? await factsOfEntitiesAndBodies(db, ids, filter, types) : await factsOfEntities(db, ids, filter, types);
    // The fact loader holds facts as they are anywhere; viaBody belongs to this list only.
    for (const list of facts.values()) {
      for (const f of list) {
        const { viaBody: _viaBody, ...plain } = f;
        fact.prime(f.id, plain);
      }
    }
    for (const e of ends) entity.prime(e.id, e);
    return listsByKey(ids, facts);
  });
  function factsOfEntity(filter: FactFilter, types: string[] | null, includeBodies = false): DataLoader<string, EntityFactRecord[]> {
    return factsOf([filter, types, includeBodies]);
  }

  const tallies = perArguments<FactTallyRow[]>((key) => async (ids) => {
    const [filter, types, includeBodies] = JSON.parse(key) as [FactFilter, string[] | null, boolean];
    return listsByKey(ids, await factTallyOfEntities(db, ids, filter, types, includeBodies));
  });
  function factTally(filter: FactFilter, types: string[] | null, includeBodies: boolean): DataLoader<string, FactTallyRow[]> {
    return tallies([filter, types, includeBodies]);
  }

  const membersByFilter = perArguments<EntityRecord[]>((key) => async (ids) => {
    const lists = await memberEntitiesOf(db, ids, JSON.parse(key) as FactFilter);
    for (const list of lists.values()) for (const e of list) entity.prime(e.id, e);
    return listsByKey(ids, lists);
  });
  function memberEntities(filter: FactFilter): DataLoader<string, EntityRecord[]> {
    return membersByFilter(filter);
  }

  return { entity, fact, source, evidence, members, passages, factsOfEntity, factTally, memberEntities };
}

export type Loaders = ReturnType<typeof createLoaders>;
