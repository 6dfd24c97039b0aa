import { TimeSlots } from './time-slots.js';

export interface WindowCounts {
  total: number;
  failed: number;
  rateLimited: number;
}

/**
 * Counts over a sliding time window, with running totals so reading them is O(1): "recent" in
 * health status means this window, cleared when a circuit closes (docs/design.md, "Health status").
 */
export class RecentWindow {
  private readonly slots: TimeSlots;
  private readonly totals = new Uint32Array(TimeSlots.COUNT);
  private readonly failures = new Uint32Array(TimeSlots.COUNT);
  private readonly rateLimits = new Uint32Array(TimeSlots.COUNT);
  /** Running sums over the live slots; current after `advance(now)` or a record at `now`. */
  total = 0;
  failed = 0;
  rateLimited = 0;

  /** A window of its own, or a share of the slots of a provider's stats (one clock step for all). */
  constructor(window: number | TimeSlots) {
    this.slots = typeof window === 'number' ? new TimeSlots(window) : window;
    this.slots.onExpire((slot) => {
      this.total -= this.totals[slot] as number;
      this.failed -= this.failures[slot] as number;
      this.rateLimited -= this.rateLimits[slot] as number;
      this.totals[slot] = 0;
      this.failures[slot] = 0;
      this.rateLimits[slot] = 0;
    });
  }

  record(now: number, failed: boolean, rateLimited: boolean): void {
    this.recordIn(this.slots.slotFor(now), failed, rateLimited);
  }

  /** Records into a slot `slotFor()` of the shared slots gave; -1 (too old) counts nowhere. */
  recordIn(slot: number, failed: boolean, rateLimited: boolean): void {
    if (slot < 0) return;
    this.totals[slot] = (this.totals[slot] as number) + 1;
    this.total++;
    if (failed) {
      this.failures[slot] = (this.failures[slot] as number) + 1;
      this.failed++;
    }
    if (rateLimited) {
      this.rateLimits[slot] = (this.rateLimits[slot] as number) + 1;
      this.rateLimited++;
    }
  }

  /** Moves the window to `now`, so the running sums count only what is inside it. */
  advance(now: number): void {
    this.slots.advance(now);
  }

  counts(now: number): WindowCounts {
    this.slots.advance(now);
    return { total: this.total, failed: this.failed, rateLimited: this.rateLimited };
  }

  /** Requests recorded in one slot (a slot `slotFor()` gave). */
  slotTotal(slot: number): number {
    return slot < 0 ? 0 : (this.totals[slot] as number);
  }

  /** Failures recorded in one slot. */
  slotFailed(slot: number): number {
    return slot < 0 ? 0 : (this.failures[slot] as number);
  }

  clear(): void {
    this.slots.clear();
  }
}
