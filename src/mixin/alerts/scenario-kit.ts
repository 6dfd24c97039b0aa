/** Shared pieces of the promtool scenarios: providers, instances, state timelines, `for:` in minutes. */
import { durationMinutes } from '../config/durations.js';
import type { Mixin } from '../mixin.js';
import type { CircuitState } from './test-series.js';

export const OPENAI = 'openai';
export const ANTHROPIC = 'anthropic';
export const MISTRAL = 'mistral_ai';

export const between = (from: number, to: number) => (t: number) => t >= from && t <= to;

export const openDuring =
  (from: number, to: number) =>
  (t: number): CircuitState =>
    between(from, to)(t) ? 'open' : 'closed';

export const alwaysClosed = (): CircuitState => 'closed';

/** An alert's `for:` in whole minutes. */
export const forMinutes = (m: Mixin, alert: string): number => durationMinutes(m.forOf(alert));

/**
 * When a condition that starts holding at `start` must be pending (half-way through `for:`, and
 * at least `settled` minutes in, once windows are full) and firing (one minute after `for:`).
 */
export function pendingAndFiring(start: number, forMin: number, settled = 0) {
  return { pendingAt: start + Math.floor(forMin / 2), firesAt: start + Math.max(forMin + 1, settled) };
}

/**
 * Requests per minute whose share `ratio` of "bad" outcomes is above `threshold` from the very
 * first minute of bad traffic, even diluted by a 5-minute window of good traffic before it
 * (bad/(5·good + bad) > threshold), and whose total is twice `minRequestRate`. The ratio has
 * three decimals, so Prometheus prints it exactly (`humanizePercentage`).
 */
export function ratioTraffic(threshold: number, minRequestRate: number) {
  const perMille = Math.min(999, Math.ceil((1000 * 6 * threshold) / (1 + 5 * threshold) - 1e-9));
  const scale = Math.max(1, Math.ceil(0.12 * minRequestRate));
  return { bad: perMille * scale, good: (1000 - perMille) * scale, ratio: perMille / 1000 };
}

/** Requests per minute comfortably above `minRequestRate` (requests per second). */
export const busyPerMinute = (minRequestRate: number): number =>
  Math.max(60, Math.ceil(120 * minRequestRate));
/** Requests per minute below it: half the rate. */
export const quietPerMinute = (minRequestRate: number): number => 30 * minRequestRate;
