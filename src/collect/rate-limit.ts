// Token buckets, one per documented API limit: callers `await bucket.take()` before a
// request. `timeScale` > 1 runs the same limits faster, for benchmarks against the fake cloud.
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  /**
   * @param ratePerSecond sustained requests per second (e.g. 2 for CloudTrail LookupEvents)
   * @param burst how many may go at once after a quiet spell
   */
  constructor(
    readonly name: string,
    readonly ratePerSecond: number,
    readonly burst = Math.max(1, Math.ceil(ratePerSecond)),
    private readonly timeScale = 1,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = clock();
  }

  /** Resolves when a request may be sent; requests are served in order. */
  take(cost = 1): Promise<void> {
    const next = this.queue.then(() => this.wait(cost));
    this.queue = next.catch(() => {});
    return next;
  }

  private async wait(cost: number): Promise<void> {
    for (;;) {
      const now = this.clock();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond * this.timeScale);
      this.last = now;
      if (this.tokens >= cost) {
        this.tokens -= cost;
        return;
      }
      const ms = ((cost - this.tokens) / (this.ratePerSecond * this.timeScale)) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(ms))));
    }
  }
}

// Concurrency caps use p-limit: `const limit = pLimit(8); await limit(() => call())`.

/**
 * `fn` over `items`, at most `limit` at a time, results in the order of `items`. Work starts only as
 * earlier work ends: ten thousands of items (account assignment pairs, principals, groups) are not
 * turned into as many pending promises, closures and queued requests at once, which is memory the
 * concurrency caps would not let them use anyway. After a failure nothing more is started; the
 * failure is thrown once the work already running has settled (no request outlives the call).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  const state: { next: number; failure?: { error: unknown } } = { next: 0 };
  const worker = async () => {
    while (!state.failure && state.next < items.length) {
      const i = state.next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (error) {
        state.failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (state.failure) throw state.failure.error;
  return results;
}
