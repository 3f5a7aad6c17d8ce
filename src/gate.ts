/**
 * Admission: at most `limit` runs at once, the others wait their turn in arrival order.
 *
 * The server puts every GraphQL execution (a request the response cache did not answer) through
 * one (GRAPHQL_CONCURRENCY), so that under a crowd each request, once admitted, finds a free
 * connection for each of its queries, instead of queueing again in the driver's pool for every
 * level of its query while later requests overtake it. The analytics that scan the graph (the
 * cooperation network, statistics) go through another (ANALYTICS_CONCURRENCY), so that a burst
 * of them is answered one after another instead of all sharing the CPU until each runs past its
 * timeout, and the memory their answers take while being built stays bounded; whole `partners`
 * lists, which grow with the entity's partners, go through a third (PARTNERS_CONCURRENCY).
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

  /** Waits for a place; the function returned gives it up (once, however often it is called). */
  async enter(): Promise<() => void> {
    if (this.active < this.limit) this.active += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let left = false;
    return () => {
      if (left) return;
      left = true;
      // The turn passes to the next in line, or the place is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const leave = await this.enter();
    try {
      return await work();
    } finally {
      leave();
    }
  }
}
