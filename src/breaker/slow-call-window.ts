/**
 * The slow-call rule's window (docs/design.md, "Breaker semantics"): whether each of the last
 * `size` calls was slow, in a ring, with a running count, so that adding a call is O(1) and
 * allocates nothing. Like resilience4j's count-based window whose size is its minimum number of
 * calls: the rate is judged only once `size` calls were seen, and it trips at or above the rate.
 */
export class SlowCallWindow {
  private readonly marks: Uint8Array;
  private next = 0;
  private seen = 0;
  /** Slow calls in the window. */
  slow = 0;
  /** Slow calls that trip: the fewest `k` with `k / size >= rate`. */
  private needed = 0;

  constructor(
    readonly size: number,
    rate: number,
  ) {
    this.marks = new Uint8Array(size);
    this.setRate(rate);
  }

  /**
   * The fewest slow calls whose share is at least `rate`, computed with the same division a
   * reader of the rule would do (`slow / size >= rate`), so no rounding moves the boundary.
   */
  setRate(rate: number): void {
    let needed = Math.max(1, Math.ceil(rate * this.size));
    while (needed > 1 && (needed - 1) / this.size >= rate) needed--;
    while (needed <= this.size && needed / this.size < rate) needed++;
    this.needed = needed;
  }

  /** Adds one call; true when the window is full and its slow share has reached the rate. */
  add(slow: boolean): boolean {
    const mark = slow ? 1 : 0;
    const index = this.next;
    this.slow += mark - (this.marks[index] as number);
    this.marks[index] = mark;
    this.next = index + 1 === this.size ? 0 : index + 1;
    if (this.seen < this.size) this.seen++;
    return this.seen === this.size && this.slow >= this.needed;
  }

  clear(): void {
    this.marks.fill(0);
    this.next = 0;
    this.seen = 0;
    this.slow = 0;
  }
}
