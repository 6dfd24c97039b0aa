import { TimeSlots } from './time-slots.js';

/**
 * Spend over a sliding window, in fixed memory (docs/design.md, "Token usage and cost"): ten slots
 * of a tenth of the window each, with a running total, so reading it is O(1). Spend leaves the
 * window a slot at a time: a budget of 50 per hour frees up in six-minute steps. Never cleared
 * by a circuit closing: money spent before an outage was still spent.
 */
export class BudgetWindow {
  private readonly slots: TimeSlots;
  private readonly sums = new Float64Array(TimeSlots.COUNT);
  private total = 0;

  constructor(
    /** Spend allowed in one window, in the configured currency. */
    readonly amount: number,
    readonly windowMs: number,
  ) {
    this.slots = new TimeSlots(windowMs);
    this.slots.onExpire((slot) => {
      this.total -= this.sums[slot] as number;
      // Sums of fractions drift by a few ulps as slots come and go; spend is never negative.
      if (this.total < 1e-9) this.total = 0;
      this.sums[slot] = 0;
    });
  }

  add(now: number, cost: number): void {
    if (!(cost > 0)) return;
    const slot = this.slots.slotFor(now);
    if (slot < 0) return;
    this.sums[slot] = (this.sums[slot] as number) + cost;
    this.total += cost;
  }

  /** What was spent within the window that ends at `now`. */
  spent(now: number): number {
    this.slots.advance(now);
    return this.total;
  }

  exhausted(now: number): boolean {
    return this.spent(now) >= this.amount;
  }

  /** Milliseconds until enough spend has left the window to be under the amount again; 0 if it is. */
  msUntilFree(now: number): number {
    let left = this.spent(now);
    if (left < this.amount) return 0;
    // Asked for every request a spent budget answers locally: the slots are walked oldest
    // period first, with nothing allocated.
    const slots = this.slots;
    const head = slots.headEpoch;
    for (let epoch = head - TimeSlots.COUNT + 1; epoch <= head; epoch++) {
      const slot = TimeSlots.slotOfEpoch(epoch);
      const sum = this.sums[slot] as number;
      if (slots.epochOf(slot) !== epoch || !(sum > 0)) continue;
      left -= sum;
      if (left < this.amount) return Math.max(0, slots.expiresAt(slot) - now);
    }
    return this.windowMs;
  }
}
