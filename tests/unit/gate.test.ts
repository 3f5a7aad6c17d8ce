import { Gate } from '../../src/gate';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Gate', () => {
  it('runs at most `limit` at once, the rest in arrival order, and frees its places', async () => {
    const gate = new Gate(2);
    const started: number[] = [];
    const finish: Array<() => void> = [];
    const runs = [0, 1, 2, 3, 4].map((i) =>
      gate.run(async () => {
        started.push(i);
        await new Promise<void>((resolve) => finish.push(resolve));
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(gate.running).toBe(2);
    expect(gate.queued).toBe(3);
    finish[1]?.();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    finish[0]?.();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const f of finish.slice(2)) f();
    await tick();
    finish[4]?.();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(gate.running).toBe(0);
    expect(gate.queued).toBe(0);
  });

  it('passes its place on when a run fails', async () => {
    const gate = new Gate(1);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toBe('next');
    expect(gate.running).toBe(0);
  });

  it('refuses a limit below 1', () => {
    expect(() => new Gate(0)).toThrow(/positive integer; got 0/);
  });
});
