import { performance } from 'node:perf_hooks';

/**
 * Time and timers for breakers, stats and observations. Injected so the model-based test can
 * drive thousands of sequences on a manual clock; in production it is `performance.now()` and
 * unref'd timers.
 *
 * `now()` is monotonic: a wall-clock jump (NTP, a VM resume) must not open or close a circuit,
 * and the record path reuses the timestamp an observation already read for its duration instead
 * of reading a clock again (a clock read costs ~60 ns on the project's machines). Wall time is
 * read only where a person sees it: event times, last-success dates.
 */
export interface Clock {
  /** Monotonic milliseconds, on the scale of this clock only. */
  now(): number;
  /** Milliseconds since the epoch, for what people read. */
  wallNow(): number;
  /** Schedules `fn` once; the returned handle goes back to `clearTimer`. Must never keep a process alive. */
  setTimer(fn: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

// Node caps timers at 2^31-1 ms; a longer delay would fire at once.
const MAX_TIMER_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => performance.now(),
  // Read Date.now at each call, not once at load: fake timers (and anything else that replaces it) apply.
  wallNow: () => Date.now(),
  setTimer(fn, delayMs) {
    const timer = setTimeout(fn, Math.min(Math.max(0, delayMs), MAX_TIMER_MS));
    timer.unref();
    return timer;
  },
  clearTimer(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** Wall time (epoch ms) of a moment given on `clock`'s monotonic scale. */
export function wallTimeOf(clock: Clock, monotonicMs: number): number {
  return clock.wallNow() - (clock.now() - monotonicMs);
}
