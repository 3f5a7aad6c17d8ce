/**
 * Admission for heavy work: at most `limit` runs at once, the others wait their turn in
 * arrival order. The analytics that scan the graph (the cooperation network, statistics) go
 * through one, so that a burst of them is answered one after another instead of all of them
 * sharing the CPU until each runs past its timeout, and the memory their answers take while
 * being built stays bounded.
 */
export class Gate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`Gate limit must be a positive integer; got ${limit}`);
  }

  /** Runs under way (for tests and metrics). */
  get running(): number {
    return this.active;
  }

  /** Runs waiting for a place. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The turn passes to the next in line, or the place is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
