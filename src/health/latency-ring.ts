/**
 * The last `capacity` response times, for percentiles. Fixed memory (one Float64Array);
 * percentiles sort a copy on read, and reads are rare (health endpoints, status checks)
 * while writes are one store per request.
 */
export class LatencyRing {
  private readonly values: Float64Array;
  private next = 0;
  private filled = 0;
  private sortedCache: Float64Array | undefined;

  constructor(readonly capacity = 1024) {
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.filled;
  }

  push(valueMs: number): void {
    this.values[this.next] = valueMs;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    if (this.filled < this.capacity) this.filled++;
    this.sortedCache = undefined;
  }

  /** `q` in [0, 1]; nearest-rank; undefined when empty. */
  percentile(q: number): number | undefined {
    if (this.filled === 0) return undefined;
    if (this.sortedCache === undefined) this.sortedCache = this.values.slice(0, this.filled).sort();
    const rank = Math.min(this.filled - 1, Math.max(0, Math.ceil(q * this.filled) - 1));
    return this.sortedCache[rank];
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
    this.sortedCache = undefined;
  }
}
