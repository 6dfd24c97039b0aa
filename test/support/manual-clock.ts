import type { Clock } from '../../src/common/clock.js';

/** A clock the test moves by hand; timers fire, in due order, when time passes them. */
export class ManualClock implements Clock {
  private time = 1_000_000;
  private nextId = 1;
  private readonly timers = new Map<number, { due: number; fn: () => void }>();

  now = (): number => this.time;
  /** Wall time moves with the manual time, so event times read like the clock the test drives. */
  wallNow = (): number => this.time;

  setTimer(fn: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { due: this.time + delayMs, fn });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      let first: [number, { due: number; fn: () => void }] | undefined;
      for (const entry of this.timers)
        if (entry[1].due <= target && (first === undefined || entry[1].due < first[1].due)) first = entry;
      if (first === undefined) break;
      this.timers.delete(first[0]);
      this.time = Math.max(this.time, first[1].due);
      first[1].fn();
    }
    this.time = target;
  }
}
