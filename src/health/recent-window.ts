const BUCKETS = 10;

export interface WindowCounts {
  total: number;
  failed: number;
  rateLimited: number;
}

/**
 * Counts over a sliding time window, in ten buckets so memory is fixed and a record is a few
 * array stores. "Recent" in health status means this window, cleared when a circuit closes.
 */
export class RecentWindow {
  private readonly bucketMs: number;
  private readonly epochs = new Float64Array(BUCKETS).fill(Number.NEGATIVE_INFINITY);
  private readonly totals = new Uint32Array(BUCKETS);
  private readonly failures = new Uint32Array(BUCKETS);
  private readonly rateLimits = new Uint32Array(BUCKETS);

  constructor(readonly windowMs: number) {
    this.bucketMs = Math.max(1, windowMs / BUCKETS);
  }

  record(now: number, failed: boolean, rateLimited: boolean): void {
    const epoch = Math.floor(now / this.bucketMs);
    const slot = epoch % BUCKETS;
    if (this.epochs[slot] !== epoch) {
      this.epochs[slot] = epoch;
      this.totals[slot] = 0;
      this.failures[slot] = 0;
      this.rateLimits[slot] = 0;
    }
    this.totals[slot] = (this.totals[slot] as number) + 1;
    if (failed) this.failures[slot] = (this.failures[slot] as number) + 1;
    if (rateLimited) this.rateLimits[slot] = (this.rateLimits[slot] as number) + 1;
  }

  counts(now: number): WindowCounts {
    const oldest = Math.floor(now / this.bucketMs) - BUCKETS + 1;
    const result: WindowCounts = { total: 0, failed: 0, rateLimited: 0 };
    for (let slot = 0; slot < BUCKETS; slot++) {
      if ((this.epochs[slot] as number) < oldest) continue;
      result.total += this.totals[slot] as number;
      result.failed += this.failures[slot] as number;
      result.rateLimited += this.rateLimits[slot] as number;
    }
    return result;
  }

  clear(): void {
    // -Infinity, not -1: with a clock near zero (performance.now(), tests) -1 is inside the window.
    this.epochs.fill(Number.NEGATIVE_INFINITY);
  }
}
