import type { BaselineData, BaselineHour } from './baseline-data.js';
import { HOUR_MS, HOURS_PER_WEEK, hourNumber, hourOfWeek } from './hour-of-week.js';
import { BINS, percentileOfBins } from './latency-sketch.js';

/** Slower than `factor` times this hour's baseline, and never below `minMs`. */
export interface RelativeThreshold {
  factor: number;
  minMs: number;
}

/** Where a reference came from: this hour of the week, the last hours, or every learned hour. */
export type BaselineSource = 'hour_of_week' | 'recent' | 'all_hours';

/** "Normal" for a provider right now: what current numbers are compared with. */
export interface BaselineReference {
  /** p95 time to first byte, ms. */
  readonly p95Ms: number;
  /** Share of requests that failed (trip outcomes). */
  readonly failureRate: number;
  readonly source: BaselineSource;
}

/** `max(minMs, factor × reference)`, or Infinity (judge nothing) without a reference. */
export function relativeLimitMs(rule: RelativeThreshold, reference: BaselineReference | undefined): number {
  return reference === undefined
    ? Number.POSITIVE_INFINITY
    : Math.max(rule.minMs, rule.factor * reference.p95Ms);
}

// An hour of the week forgets half of what it learned in three weeks: a provider that got
// faster is believed within a month, and one bad week does not become "normal".
const HALF_LIFE_HOURS = 3 * HOURS_PER_WEEK;
// An hour is learned from at least this many requests (and as many times to first byte).
const MIN_CALLS_TO_LEARN = 20;
// An hour of the week is used once this much evidence is behind it (a quarter of an hour seen).
const MIN_HOUR_WEIGHT = 0.25;
// The recent reference ("the last hours"): a histogram halved every hour, used from 50 requests.
const RECENT_HALF_LIFE_MS = HOUR_MS;
const MIN_RECENT_CALLS = 50;

/**
 * One provider's learned normal (docs/design.md, "Baselines and early warning"), in fixed memory:
 *
 * - per hour of the week (168 slots): p95 time to first byte (a weighted geometric mean, so one
 *   bad hour moves it by a factor, not by its size) and failure rate, each hour folded in when it
 *   ends with a weight for how much of it was seen, older evidence decaying with a half-life of
 *   three weeks;
 * - the recent reference: a time-to-first-byte histogram and counts halved every hour, for a
 *   provider whose hour of the week is not learned yet (the first week, or no persisted file).
 *
 * It is fed one completed slot of the stats window at a time, never per request.
 */
export class ProviderBaseline {
  // Allocated when the first hour is learned or restored: most catalog providers never see traffic.
  private hours: HourTable | undefined;
  // The hour being accumulated (hours since the epoch), and what it has seen so far.
  private hour = Number.NaN;
  private hourBins: Float64Array | undefined;
  private hourCalls = 0;
  private hourFailed = 0;
  private hourTtfbs = 0;
  private hourSeenMs = 0;
  // The recent reference.
  private recentBins: Float64Array | undefined;
  private recentCalls = 0;
  private recentFailed = 0;
  private recentAt = Number.NaN;
  private recentP95: number | undefined;
  private allHours: BaselineReference | undefined | null = null;
  /** Something changed since the last `snapshot()`: worth saving. */
  dirty = false;

  /** One slot of the stats window, learned as normal; the times are the slot's end. */
  observe(
    slot: SlotFigures,
    addTtfbs: (into: Float64Array) => void,
    monotonicNow: number,
    wallNow: number,
  ): void {
    const hour = hourNumber(wallNow);
    if (hour !== this.hour) {
      this.foldHour(Math.min(1, this.hourSeenMs / HOUR_MS));
      this.hour = hour;
    }
    this.hourSeenMs += slot.lengthMs;
    this.hourCalls += slot.calls;
    this.hourFailed += slot.failed;
    this.hourTtfbs += slot.ttfbs;
    if (slot.ttfbs > 0) {
      this.hourBins ??= new Float64Array(BINS);
      addTtfbs(this.hourBins);
    }
    this.addRecent(slot, addTtfbs, monotonicNow);
  }

  /**
   * Folds what the current hour has seen into its hour of the week, weighted by the share of the
   * hour seen; at an hour's end, and at exit (a restart within the hour folds the rest later).
   */
  foldHour(coverage: number = Math.min(1, this.hourSeenMs / HOUR_MS)): void {
    const bins = this.hourBins;
    const p95 = bins === undefined ? undefined : percentileOfBins(bins, 0.95);
    const enough = this.hourCalls >= MIN_CALLS_TO_LEARN && this.hourTtfbs >= MIN_CALLS_TO_LEARN;
    if (enough && p95 !== undefined && coverage > 0 && Number.isFinite(this.hour)) {
      this.learnHour(this.hour, p95, this.hourFailed / this.hourCalls, coverage);
    }
    bins?.fill(0);
    this.hourCalls = 0;
    this.hourFailed = 0;
    this.hourTtfbs = 0;
    this.hourSeenMs = 0;
  }

  /** Normal right now: this hour of the week if learned, else the recent reference, else every learned hour. */
  reference(wallNow: number): BaselineReference | undefined {
    const hour = hourNumber(wallNow);
    const h = hourOfWeek(wallNow);
    const hours = this.hours;
    if (hours !== undefined && this.weightAt(hours, h, hour) >= MIN_HOUR_WEIGHT) {
      return {
        p95Ms: hours.p95Ms[h] as number,
        failureRate: hours.failureRate[h] as number,
        source: 'hour_of_week',
      };
    }
    if (this.recentCalls >= MIN_RECENT_CALLS && this.recentP95 !== undefined) {
      return { p95Ms: this.recentP95, failureRate: this.recentFailed / this.recentCalls, source: 'recent' };
    }
    if (this.allHours === null) this.allHours = this.acrossHours();
    return this.allHours;
  }

  /** The persisted form; clears `dirty`. */
  snapshot(provider: string, wallNow: number): BaselineData {
    this.dirty = false;
    const table = this.hours;
    const hours: Array<BaselineHour | null> = [];
    for (let h = 0; h < HOURS_PER_WEEK; h++) {
      const weight = table === undefined ? 0 : (table.weight[h] as number);
      hours.push(
        table !== undefined && weight > 0
          ? [
              round(table.p95Ms[h] as number, 1),
              round(table.failureRate[h] as number, 6),
              round(weight, 4),
              table.updatedAt[h] as number,
            ]
          : null,
      );
    }
    return { version: 1, provider, savedAt: new Date(wallNow).toISOString(), hours };
  }

  /**
   * Takes what a store kept. An hour learned here since the process started is kept, weighted
   * with the stored one, so a late load never loses what this process learned.
   */
  restore(data: BaselineData): void {
    const t = this.table();
    for (let h = 0; h < HOURS_PER_WEEK; h++) {
      const entry = data.hours[h];
      if (entry === null || entry === undefined) continue;
      const [p95, rate, weight, hour] = entry;
      const mine = t.weight[h] as number;
      if (mine > 0) {
        const total = mine + weight;
        t.p95Ms[h] = Math.exp((mine * Math.log(t.p95Ms[h] as number) + weight * Math.log(p95)) / total);
        t.failureRate[h] = (mine * (t.failureRate[h] as number) + weight * rate) / total;
        t.weight[h] = total;
        t.updatedAt[h] = Math.max(t.updatedAt[h] as number, hour);
      } else {
        t.p95Ms[h] = p95;
        t.failureRate[h] = rate;
        t.weight[h] = weight;
        t.updatedAt[h] = hour;
      }
    }
    this.allHours = null;
  }

  private table(): HourTable {
    this.hours ??= {
      p95Ms: new Float64Array(HOURS_PER_WEEK),
      failureRate: new Float64Array(HOURS_PER_WEEK),
      weight: new Float64Array(HOURS_PER_WEEK),
      updatedAt: new Float64Array(HOURS_PER_WEEK),
    };
    return this.hours;
  }

  /** Weight of an hour of the week as of `hour`, after decay (0 when never learned). */
  private weightAt(t: HourTable, h: number, hour: number): number {
    const weight = t.weight[h] as number;
    if (weight === 0) return 0;
    // A date in the future (a clock set back, a file from elsewhere) decays nothing, never grows.
    return weight * 2 ** (-Math.max(0, hour - (t.updatedAt[h] as number)) / HALF_LIFE_HOURS);
  }

  private learnHour(hour: number, p95: number, rate: number, coverage: number): void {
    const t = this.table();
    const h = hourOfWeek(hour * HOUR_MS);
    const before = this.weightAt(t, h, hour);
    const total = before + coverage;
    const oldLog = before > 0 ? Math.log(t.p95Ms[h] as number) : 0;
    t.p95Ms[h] = Math.exp((before * oldLog + coverage * Math.log(Math.max(p95, 0.5))) / total);
    t.failureRate[h] = (before * (t.failureRate[h] as number) + coverage * rate) / total;
    t.weight[h] = total;
    t.updatedAt[h] = hour;
    this.allHours = null;
    this.dirty = true;
  }

  private addRecent(slot: SlotFigures, addTtfbs: (into: Float64Array) => void, now: number): void {
    this.recentBins ??= new Float64Array(BINS);
    const bins = this.recentBins;
    const decay = Number.isNaN(this.recentAt)
      ? 1
      : 2 ** (-Math.max(0, now - this.recentAt) / RECENT_HALF_LIFE_MS);
    this.recentAt = now;
    if (decay < 1) for (let bin = 0; bin < BINS; bin++) bins[bin] = (bins[bin] as number) * decay;
    this.recentCalls = this.recentCalls * decay + slot.calls;
    this.recentFailed = this.recentFailed * decay + slot.failed;
    if (slot.ttfbs > 0) addTtfbs(bins);
    this.recentP95 = percentileOfBins(bins, 0.95);
  }

  /** Every learned hour of the week, weighted: the fallback before this hour or recent traffic is known. */
  private acrossHours(): BaselineReference | undefined {
    const t = this.hours;
    if (t === undefined) return undefined;
    let weights = 0;
    let logs = 0;
    let rates = 0;
    for (let h = 0; h < HOURS_PER_WEEK; h++) {
      const weight = t.weight[h] as number;
      if (weight === 0) continue;
      weights += weight;
      logs += weight * Math.log(t.p95Ms[h] as number);
      rates += weight * (t.failureRate[h] as number);
    }
    if (weights === 0) return undefined;
    return { p95Ms: Math.exp(logs / weights), failureRate: rates / weights, source: 'all_hours' };
  }
}

/** Per hour of the week: what was learned, how much evidence is behind it, and when it was last learned. */
interface HourTable {
  readonly p95Ms: Float64Array;
  readonly failureRate: Float64Array;
  readonly weight: Float64Array;
  /** Hours since the epoch. */
  readonly updatedAt: Float64Array;
}

/** What one completed slot of the stats window held. */
export interface SlotFigures {
  /** Requests that reached the provider or failed trying. */
  calls: number;
  /** Of those, failures by the provider's trip rules. */
  failed: number;
  /** Requests with a time to first byte (response headers came). */
  ttfbs: number;
  /** Of those, slower than the trend's latency line. */
  ttfbsAbove: number;
  lengthMs: number;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
