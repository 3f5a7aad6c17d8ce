/**
 * What Linux's /proc says about a process: resident memory, CPU time, its TCP connections, and
 * which process is the local Neo4j. Each reader returns null when the process is gone or the
 * file cannot be read, so a sampler can outlive what it watches.
 */
import fs from 'node:fs';

/** Clock ticks per second in /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** Resident memory of a process in MB (VmRSS of /proc/<pid>/status), or null if it is gone. */
export function rssMb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the largest, in MB. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number | null } {
  let max: number | null = rssMb(pid);
  const take = () => {
    const now = rssMb(pid);
    if (now !== null && (max === null || now > max)) max = now;
  };
  const timer = setInterval(take, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return max;
    },
  };
}

/** CPU seconds (user + system: utime and stime of /proc/<pid>/stat) a process has used, or null. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine has spent busy (not idle or waiting for I/O), and in all, over every core. */
export function machineCpu(): { busy: number; total: number } {
  const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/**
 * Waits until the given processes together use under `maxCores` of a core over two windows in
 * a row, at most `maxMs`: requests a load generator gave up on (at the end of a warm-up or a
 * timed run) may still be running in the server or in Neo4j, and must not weigh on the next run.
 * Returns the ms waited, or null when it gave up.
 */
export async function waitIdle(pids: number[], maxMs = 60_000, maxCores = 0.1, windowMs = 500): Promise<number | null> {
  const started = Date.now();
  let quiet = 0;
  while (Date.now() - started < maxMs) {
    const before = pids.map(cpuSeconds);
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = pids.map(cpuSeconds);
    const used = after.reduce((sum: number, t, i) => {
      const b = before[i];
      return sum + (t !== null && b !== null && b !== undefined ? t - b : 0);
    }, 0);
    const cores = used / (windowMs / 1000);
    quiet = cores < maxCores ? quiet + 1 : 0;
    if (quiet >= 2) return Date.now() - started;
  }
  return null;
}

function numericEntries(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => /^\d+$/.test(name));
}

/** The local Neo4j's JVM (started by src/neo4j/local.ts on this data folder, which its command line names), if there is one. */
export function findNeo4jPid(dataDir: string): number | null {
  for (const entry of numericEntries('/proc')) {
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes('dcg.LocalNeo4j') && cmdline.includes(dataDir)) return Number(entry);
    } catch {
      // gone, or not ours to read
    }
  }
  return null;
}

function socketInodes(pid: number | string): Set<string> {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1] as string);
    } catch {
      // closed while we looked
    }
  }
  return inodes;
}

/** Rows of a /proc/.../net/tcp{,6} table, split into columns; none if the table cannot be read. */
function tcpRows(file: string): string[][] {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols.length >= 10);
  } catch {
    return [];
  }
}

const portOf = (address: string | undefined) => parseInt((address ?? '').split(':')[1] ?? '', 16);
const LISTEN = '0A';
const ESTABLISHED = '01';

/** The process listening on `port` of this machine (e.g. a Neo4j not started here), found by its socket's inode; null if none is. */
export function listenerPid(port: number): number | null {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const cols of tcpRows(table)) if (cols[3] === LISTEN && portOf(cols[1]) === port) inodes.add(cols[9] as string);
  }
  if (inodes.size === 0) return null;
  for (const entry of numericEntries('/proc')) {
    try {
      for (const inode of socketInodes(entry)) if (inodes.has(inode)) return Number(entry);
    } catch {
      // gone, or not ours to read
    }
  }
  return null;
}

/** Established TCP connections from the process to `port`: its sockets matched against /proc/<pid>/net/tcp{,6}; null if it is gone. */
export function connectionsTo(pid: number, port: number): number | null {
  let inodes: Set<string>;
  try {
    inodes = socketInodes(pid);
  } catch {
    return null;
  }
  let count = 0;
  for (const table of ['tcp', 'tcp6']) {
    for (const cols of tcpRows(`/proc/${pid}/net/${table}`)) {
      if (cols[3] === ESTABLISHED && portOf(cols[2]) === port && inodes.has(cols[9] as string)) count += 1;
    }
  }
  return count;
}

/**
 * Full GCs in the output of a Node process run with `--trace-gc`: when (ms since the process
 * started) and the heap left after each (MB), i.e. its live heap, which tells a leak from
 * garbage not yet collected.
 */
export function fullGcs(logText: string): Array<{ ms: number; afterMb: number }> {
  const out: Array<{ ms: number; afterMb: number }> = [];
  for (const match of logText.matchAll(/^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: Mark-Compact[^\n]*? [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/gm)) {
    out.push({ ms: Number(match[1]), afterMb: Number(match[2]) });
  }
  return out;
}
