/**
 * Time and timers for a breaker. Injected so the model-based test can drive thousands of
 * sequences on a manual clock; in production it is the wall clock and unref'd timers.
 */
export interface BreakerClock {
  now(): number;
  /** Schedules `fn` once; the returned handle goes back to `clearTimer`. Must never keep a process alive. */
  setTimer(fn: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: BreakerClock = {
  // Read Date.now at each call, not once at load: fake timers (and anything else that replaces it) apply.
  now: () => Date.now(),
  setTimer(fn, delayMs) {
    // Node caps timers at 2^31-1 ms; a longer delay would fire at once.
    const timer = setTimeout(fn, Math.min(delayMs, 2_147_483_647));
    timer.unref();
    return timer;
  },
  clearTimer(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
