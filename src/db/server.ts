/**
 * What the Neo4j server says about itself, for the benchmark's and the load scripts' reports:
 * its version, and its JVM's memory through JMX.
 */
import type { Db } from './executor';

export const SERVER_VERSION = `CALL dbms.components() YIELD name, versions, edition RETURN name + " " + versions[0] + " " + edition AS version`;

/** "Neo4j Kernel 5.26.0 community", or the like. */
export async function serverVersion(db: Db): Promise<string> {
  const [row] = await db.read(SERVER_VERSION, {}, 60_000);
  return String(row?.version);
}

export const JVM_MEMORY = `
  CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes
  WITH attributes.HeapMemoryUsage.value.properties AS heap
  CALL dbms.queryJmx('java.lang:type=MemoryPool,name=G1 Old Gen') YIELD attributes
  WITH heap, attributes.CollectionUsage.value.properties.used AS oldAfterGc
  CALL dbms.queryJmx('java.lang:type=GarbageCollector,*') YIELD attributes
  RETURN heap.used AS used, heap.max AS max, oldAfterGc, sum(attributes.CollectionTime.value) AS gcMs`;

export interface JvmMemory {
  /** Bytes of heap in use, and the most it may grow to. */
  used: number;
  max: number;
  /** Bytes of the old generation in use right after its last collection: what is really live. */
  oldAfterGc: number;
  /** Milliseconds spent in garbage collection since the JVM started. */
  gcMs: number;
}

/** The JVM's heap and garbage collection; throws where JMX is not offered (e.g. Aura). */
export async function jvmMemory(db: Db): Promise<JvmMemory> {
  const [row] = await db.read(JVM_MEMORY, {}, 5_000);
  return { used: row?.used as number, max: row?.max as number, oldAfterGc: row?.oldAfterGc as number, gcMs: row?.gcMs as number };
}
