/**
 * The measurement harness (bench/harness) on this very process and on small child processes:
 * the figures, the /proc readers, V8's full-GC lines, and a child server's start and stop.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { connectionsTo, cpuSeconds, formatTable, freePort, fullGcs, listenerPid, median, percentile, rssMb, spawnServer, startFlags } from '../../bench/harness';

const NO_NEO4J = { uri: 'bolt://127.0.0.1:1', user: 'neo4j', password: '', database: undefined };

describe('figures', () => {
  it('takes nearest-rank percentiles and the lower median', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([0.5, 0.95, 0.99, 1].map((p) => percentile(sorted, p))).toEqual([50, 95, 99, 100]);
    expect(percentile([], 0.5)).toBeNaN();
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([3, 1, 2])).toBe(2);
  });

  it('aligns a table: first column left, the others right, the header underlined', () => {
    expect(formatTable([['figure', 'value'], ['requests', '7'], ['p99', '12.5 ms']]).split('\n')).toEqual([
      '  figure      value',
      '  --------  -------',
      '  requests        7',
      '  p99       12.5 ms',
    ]);
  });
});

describe('/proc readers', () => {
  it('read this process: RSS, CPU time, and nothing for a process that is gone', () => {
    expect(rssMb(process.pid)).toBeGreaterThan(10);
    expect(cpuSeconds(process.pid)).toBeGreaterThan(0);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid as number;
    expect(rssMb(gone)).toBeNull();
    expect(cpuSeconds(gone)).toBeNull();
    expect(connectionsTo(gone, 80)).toBeNull();
  });

  it('count the established connections from a process to a port, and find who listens on it', async () => {
    const accepted: net.Socket[] = [];
    const server = net.createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const clients = await Promise.all(
      [1, 2, 3].map(() => new Promise<net.Socket>((resolve) => {
        const socket: net.Socket = net.connect(port, '127.0.0.1', () => resolve(socket));
      })),
    );
    try {
      expect(connectionsTo(process.pid, port)).toBe(3);
      expect(listenerPid(port)).toBe(process.pid);
    } finally {
      for (const socket of [...clients, ...accepted]) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(listenerPid(port)).toBeNull();
  });

  it("read V8's full GCs from --trace-gc output: when, and the heap left after each", () => {
    const run = spawnSync(process.execPath, ['--trace-gc', '--trace-gc-ignore-scavenger', '--expose-gc', '-e', 'gc(); gc()'], { encoding: 'utf8' });
    const gcs = fullGcs(run.stdout);
    expect(gcs.length).toBeGreaterThanOrEqual(2);
    for (const gc of gcs) {
      expect(gc.ms).toBeGreaterThan(0);
      expect(gc.afterMb).toBeGreaterThan(0);
    }
    expect(fullGcs('[1:0x1]  12 ms: Scavenge 3.1 (4.0) -> 2.6 (5.0) MB, 1.0 / 0.0 ms')).toEqual([]);
  });
});

describe('a child server', () => {
  const listener = (exitOnTerm: string) =>
    `require('http').createServer((q, s) => s.end(q.url === '/health/ready' ? 'ready' : process.env.NODE_ENV)).listen(Number(process.env.PORT), process.env.HOST, () => console.log('ready ' + process.env.PORT)); process.on('SIGTERM', () => { ${exitOnTerm} });`;

  it('starts on the port with the environment, is ready when it says so, and stops on SIGTERM with its exit code', async () => {
    const port = await freePort();
    const child = await spawnServer({ name: 'probe', args: ['-e', listener('process.exit(0)')], port, neo4j: NO_NEO4J, ready: /^ready /m, readyWithinMs: 20_000 });
    expect(child.base).toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(`${child.base}/`)).text()).toBe('production');
    expect(child.isRunning()).toBe(true);
    expect(await child.stop()).toBe(0);
    expect(child.isRunning()).toBe(false);
  });

  it('is killed when it ignores SIGTERM past the limit', async () => {
    const child = await spawnServer({ name: 'stubborn', args: ['-e', listener('')], port: await freePort(), neo4j: NO_NEO4J, ready: 'health', readyWithinMs: 20_000 });
    expect(await child.stop(500)).toBe('killed after 0.5 s');
  });

  it('fails with its exit code when it exits before it is ready', async () => {
    await expect(spawnServer({ name: 'broken', args: ['-e', 'process.exit(3)'], port: await freePort(), neo4j: NO_NEO4J, ready: 'health', readyWithinMs: 20_000 })).rejects.toThrow(
      'broken exited (code 3, signal null) before it was ready',
    );
  });
});

describe('the server as npm start serves it', () => {
  it("takes its Node flags from package.json's start script", () => {
    expect(startFlags()).toEqual(['--max-semi-space-size=8']);
  });
});
