/**
 * Generated traffic to one AI provider, on a virtual clock: a healthy baseline with realistic
 * noise (a daily cycle of load and latency, bursts of traffic, single long generations, a mix of
 * streamed and non-streamed calls, a trickle of errors) and incident shapes laid over it.
 */
import type { Outcome } from '../../src/outcome/outcome.js';
import { Random } from './random.js';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

/** One request as the provider answers it. */
export interface Answer {
  outcome: Outcome;
  statusCode: number;
  /** -1: no response headers came. */
  ttfbMs: number;
  durationMs: number;
}

/** What an incident does to the provider at time `t` (wall ms), on top of the healthy noise. */
export interface Conditions {
  /** Times to first byte are multiplied by this. */
  latency: number;
  /** Extra chance that a request fails. */
  failure: number;
  failureKind: 'provider_error' | 'timeout' | 'connection_error';
}

export const NORMAL: Conditions = { latency: 1, failure: 0, failureKind: 'provider_error' };

/** An incident: conditions per request (a request may go to a sick endpoint, or not). */
export type Incident = (t: number, random: Random) => Conditions;

export interface TrafficOptions {
  /** Mean requests per second over a day. */
  ratePerSecond: number;
  seed: number;
  /** When the traffic starts and ends, wall ms. */
  from: number;
  to: number;
}

interface Burst {
  from: number;
  to: number;
  rate: number;
}

// Healthy provider: the daily cycle peaks at 18:00 UTC (US afternoon, European evening).
const LOAD_SWING = 0.4;
const LATENCY_SWING = 0.3;
const BASE_FAILURE = 0.004;
const STREAM_SHARE = 0.7;
const LONG_GENERATION = 0.003;
const BURSTS_PER_DAY = 4;
const TIMEOUT_MS = 60_000;
// Latency levels wobble ±8% from day to day and ±10% from hour to hour (one sigma).
const DAY_WOBBLE = 0.08;
const HOUR_WOBBLE = 0.1;

/** Load of the day at `t`: 1 on average, 1 ± LOAD_SWING over the day. */
export function dailyCycle(t: number): number {
  const hourOfDay = (t % DAY) / HOUR;
  return Math.sin((2 * Math.PI * (hourOfDay - 12)) / 24);
}

/**
 * A request stream: `next()` gives the next arrival time and how the provider answers it.
 * Arrivals are a Poisson process whose rate follows the daily cycle and the bursts.
 */
export class Traffic {
  private readonly random: Random;
  private readonly bursts: Burst[] = [];
  /** Day-to-day and hour-to-hour wobble of the provider's latency that no cycle explains. */
  private readonly dayLevels: number[] = [];
  private readonly hourLevels: number[] = [];
  private t: number;

  constructor(
    private readonly options: TrafficOptions,
    private readonly incident: Incident = () => NORMAL,
  ) {
    this.random = new Random(options.seed);
    this.t = options.from;
    // Bursts of 3-6x the traffic, 2-10 minutes long, about four a day at random times.
    for (let at = options.from + this.random.exponential(DAY / BURSTS_PER_DAY); at < options.to; ) {
      const length = this.random.between(2 * MINUTE, 10 * MINUTE);
      this.bursts.push({ from: at, to: at + length, rate: this.random.between(3, 6) });
      at += length + this.random.exponential(DAY / BURSTS_PER_DAY);
    }
    for (let day = 0; day * DAY < options.to - options.from + DAY; day++)
      this.dayLevels.push(this.random.logNormal(1, DAY_WOBBLE));
    for (let hour = 0; hour * HOUR < options.to - options.from + HOUR; hour++)
      this.hourLevels.push(this.random.logNormal(1, HOUR_WOBBLE));
  }

  /** Next request: its start time (wall ms) and answer; undefined past the end. */
  next(): { at: number; answer: Answer } | undefined {
    // Thinning: candidates at the highest rate possible, kept with probability rate(t) / max.
    const max = this.options.ratePerSecond * (1 + LOAD_SWING) * 6;
    for (;;) {
      this.t += this.random.exponential(SECOND / max);
      if (this.t >= this.options.to) return undefined;
      const burst = this.burstAt(this.t);
      const rate = this.options.ratePerSecond * (1 + LOAD_SWING * dailyCycle(this.t)) * (burst?.rate ?? 1);
      if (this.random.next() * max < rate)
        return { at: this.t, answer: this.answer(this.t, burst !== undefined) };
    }
  }

  private burstAt(t: number): Burst | undefined {
    for (const burst of this.bursts) if (t >= burst.from && t < burst.to) return burst;
    return undefined;
  }

  private answer(t: number, inBurst: boolean): Answer {
    const random = this.random;
    const cycle = dailyCycle(t);
    const sick = this.incident(t, random);
    const since = t - this.options.from;
    const wobble =
      (this.dayLevels[Math.floor(since / DAY)] ?? 1) * (this.hourLevels[Math.floor(since / HOUR)] ?? 1);
    const latency = (1 + LATENCY_SWING * cycle) * wobble * (inBurst ? 1.15 : 1) * sick.latency;
    const failure = BASE_FAILURE * (1 + 0.5 * cycle) * (inBurst ? 1.5 : 1) + sick.failure;
    if (random.next() < failure) {
      const kind =
        sick.failure > 0
          ? sick.failureKind
          : ((['provider_error', 'provider_error', 'timeout', 'connection_error'] as const)[
              Math.floor(random.next() * 4)
            ] ?? 'provider_error');
      return failed(kind, random, latency);
    }
    const long = random.next() < LONG_GENERATION;
    const generation = long ? random.between(60_000, 240_000) : random.logNormal(6_000, 0.7);
    if (random.next() < STREAM_SHARE) {
      // A stream: headers with the first token, then the generation.
      const ttfb = random.logNormal(600, 0.45) * latency;
      return { outcome: 'success', statusCode: 200, ttfbMs: ttfb, durationMs: ttfb + generation };
    }
    // Not streamed: the headers come with the whole answer.
    const whole = long ? generation * latency : random.logNormal(2_500, 0.6) * latency;
    return { outcome: 'success', statusCode: 200, ttfbMs: whole, durationMs: whole + random.between(1, 20) };
  }
}

function failed(kind: Conditions['failureKind'], random: Random, latency: number): Answer {
  if (kind === 'timeout') return { outcome: 'timeout', statusCode: 0, ttfbMs: -1, durationMs: TIMEOUT_MS };
  if (kind === 'connection_error')
    return { outcome: 'connection_error', statusCode: 0, ttfbMs: -1, durationMs: random.between(20, 200) };
  const ttfb = random.logNormal(300, 0.5) * latency;
  return { outcome: 'provider_error', statusCode: 503, ttfbMs: ttfb, durationMs: ttfb + 5 };
}
