// Pushes remembered between reads; more than this and a read sorts from scratch.
const LOG_LIMIT = 32;

/**
 * The last `capacity` response times, for percentiles. Fixed memory (Float64Arrays only).
 * Every non-success request reads p95 for its health status, so a read must not sort 1,024
 * values each time (~30 µs): the ring keeps a sorted copy and a short log of the pushes since
 * the last read, and a read patches the copy (binary search, copyWithin) when the log is short.
 */
export class LatencyRing {
  private readonly values: Float64Array;
  private next = 0;
  private filled = 0;
  private readonly sorted: Float64Array;
  private sortedCount = 0;
  private readonly added = new Float64Array(LOG_LIMIT);
  private readonly removed = new Float64Array(LOG_LIMIT);
  private changes = 0;

  constructor(readonly capacity = 1024) {
    this.values = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  get size(): number {
    return this.filled;
  }

  push(valueMs: number): void {
    if (this.changes < LOG_LIMIT) {
      this.added[this.changes] = valueMs;
      this.removed[this.changes] = this.values[this.next] as number;
    }
    this.changes++;
    this.values[this.next] = valueMs;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (this.filled < this.capacity) this.filled++;
  }

  /** `q` in [0, 1]; nearest-rank; undefined when empty. */
  percentile(q: number): number | undefined {
    if (this.filled === 0) return undefined;
    if (this.changes > 0) this.syncSorted();
    const rank = Math.min(this.filled - 1, Math.max(0, Math.ceil(q * this.filled) - 1));
    return this.sorted[rank];
  }

  mean(): number | undefined {
    if (this.filled === 0) return undefined;
    let sum = 0;
    for (let i = 0; i < this.filled; i++) sum += this.values[i] as number;
    return sum / this.filled;
  }

  clear(): void {
    this.next = 0;
    this.filled = 0;
    this.sortedCount = 0;
    this.changes = 0;
  }

  private syncSorted(): void {
    const changes = this.changes;
    this.changes = 0;
    if (changes <= LOG_LIMIT) {
      // Pushes made before the ring was full removed nothing; every later one removed its slot's old value.
      const removals = this.sortedCount + changes - this.filled;
      let consistent = true;
      for (let i = 0; i < changes && consistent; i++) {
        if (i >= changes - removals) consistent = this.removeSorted(this.removed[i] as number);
        this.insertSorted(this.added[i] as number);
      }
      if (consistent && this.sortedCount === this.filled) return;
    }
    this.sorted.set(this.values.subarray(0, this.filled));
    this.sorted.subarray(0, this.filled).sort();
    this.sortedCount = this.filled;
  }

  /** First index whose value is >= `value` (or > it, when `after`). */
  private search(value: number, after: boolean): number {
    let low = 0;
    let high = this.sortedCount;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const at = this.sorted[mid] as number;
      if (at < value || (after && at === value)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private removeSorted(value: number): boolean {
    const index = this.search(value, false);
    if (index >= this.sortedCount || this.sorted[index] !== value) return false;
    this.sorted.copyWithin(index, index + 1, this.sortedCount);
    this.sortedCount--;
    return true;
  }

  private insertSorted(value: number): void {
    const index = this.search(value, true);
    this.sorted.copyWithin(index + 1, index, this.sortedCount);
    this.sorted[index] = value;
    this.sortedCount++;
  }
}
