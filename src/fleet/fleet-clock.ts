/**
 * Local time and timers for the fleet store: the same shape as the breaker's clock, so one clock
 * can serve both. Local time only ever measures durations here (when a message arrived, how long
 * since the last one); the time that decides state is Redis TIME (docs/fleet.md, "Time").
 */
export interface FleetClock {
  now(): number;
  /** Schedules `fn` once; must never keep the process alive. */
  setTimer(fn: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemFleetClock: FleetClock = {
  now: () => Date.now(),
  setTimer(fn, delayMs) {
    const timer = setTimeout(fn, Math.min(Math.max(0, delayMs), 2_147_483_647));
    timer.unref();
    return timer;
  },
  clearTimer(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
