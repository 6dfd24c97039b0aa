import {
  type BaselineReference,
  ProviderBaseline,
  type RelativeThreshold,
  relativeLimitMs,
  type SlotFigures,
} from './baseline.js';
import type { ProviderStats } from './provider-stats.js';
import { TimeSlots } from './time-slots.js';
import { latencyLineMs, TrendDetector } from './trend-detector.js';

export interface EarlyWarningOptions {
  /** Run the trend detector (`trendDetection`). */
  trend: boolean;
  /** Degraded while the recent p95 time to first byte is above this relative line (`degradedLatencyBaseline`). */
  latencyBaseline: RelativeThreshold | false;
}

/** What `sample()` changed. */
export const WARNING_CHANGED = 1;
export const REFERENCE_CHANGED = 2;

// An incident is not normal: while a warning (or the relative latency line) is up, nothing is
// learned, for at most this long. A slowdown that lasts longer is the new normal, and the
// warning then clears as it is learned.
const LEARN_AGAIN_AFTER_MS = 3_600_000;
// Fewer recent times to first byte than this say nothing about their p95.
const MIN_REQUESTS_FOR_P95 = 5;

/**
 * A provider's baseline and early warning (docs/design.md, "Baselines and early warning"),
 * never per request:
 *
 * - `sample()` runs about once a second from the provider's health refresh. Each slot of the
 *   stats window that completed since the last sample is read once (its requests, failures,
 *   times to first byte and how many were above the latency line) and fed to the trend detector.
 * - A slot is learned into the baseline only when it leaves the window, and only if no warning
 *   came up meanwhile: the onset of an incident has a whole window to raise a warning before it
 *   could become part of "normal".
 */
export class EarlyWarning {
  readonly baseline = new ProviderBaseline();
  readonly trend = new TrendDetector();
  /** Recent p95 time to first byte above the relative line (`degradedLatencyBaseline`). */
  aboveBaseline = false;
  /** Whether the circuit is closed: nothing is learned from an outage or its trials. */
  circuitClosed = true;
  private current: BaselineReference | undefined;
  private lastEpoch = Number.NEGATIVE_INFINITY;
  /** Since when a warning or the relative latency line has been up (monotonic ms), NaN while neither. */
  private incidentSince = Number.NaN;
  /** Wall time minus monotonic time at the last sample: dates a slot for its hour of the week. */
  private wallOffset = Number.NaN;
  private readonly figures: SlotFigures = { calls: 0, failed: 0, ttfbs: 0, ttfbsAbove: 0, lengthMs: 0 };

  constructor(
    private readonly stats: ProviderStats,
    readonly options: EarlyWarningOptions,
  ) {
    stats.slots.beforeExpire((slot) => this.learn(slot));
  }

  get trendWarning(): boolean {
    return this.trend.warning !== 0;
  }

  /** This hour's normal, as of the last sample. */
  get reference(): BaselineReference | undefined {
    return this.current;
  }

  /**
   * @param closed whether the circuit is closed: an open or half-open circuit is an outage the
   * breaker already handles; the detector starts afresh once it closes, and nothing is learned.
   * @returns WARNING_CHANGED and/or REFERENCE_CHANGED
   */
  sample(now: number, wallNow: number, closed: boolean): number {
    let changed = 0;
    this.wallOffset = wallNow - now;
    this.circuitClosed = closed;
    if (!closed && this.trend.reset()) changed |= WARNING_CHANGED;
    const slots = this.stats.slots;
    slots.advance(now);
    const head = slots.headEpoch;
    const last = this.lastEpoch;
    this.lastEpoch = head;
    if (head > last && last !== Number.NEGATIVE_INFINITY) {
      // Every slot that completed since the last sample, oldest first (at most the window's ten).
      for (let epoch = Math.max(last, head - TimeSlots.COUNT + 1); epoch < head; epoch++) {
        const slot = TimeSlots.slotOfEpoch(epoch);
        if (slots.epochOf(slot) === epoch) changed |= this.completed(slot, slots.slotLengthMs, now, closed);
      }
    }
    const reference = this.baseline.reference(wallNow);
    if (!sameReference(reference, this.current)) {
      this.current = reference;
      // What the latency signal counts from now on: requests above the line, per slot, as they arrive.
      this.stats.ttfbs.setThreshold(
        reference === undefined ? Number.POSITIVE_INFINITY : latencyLineMs(reference),
      );
      changed |= REFERENCE_CHANGED;
    }
    this.aboveBaseline = closed && this.isAboveBaseline(now);
    const incident = this.trend.warning !== 0 || this.aboveBaseline;
    if (!incident) this.incidentSince = Number.NaN;
    else if (Number.isNaN(this.incidentSince)) this.incidentSince = now;
    return changed;
  }

  /** Folds the partial hour in (at exit); the next process folds the rest of it. */
  foldHour(): void {
    this.baseline.foldHour();
  }

  private completed(slot: number, lengthMs: number, now: number, closed: boolean): number {
    const reference = this.current;
    if (!closed || !this.options.trend || reference === undefined) return 0;
    return this.trend.update(this.read(slot, lengthMs), reference, now) ? WARNING_CHANGED : 0;
  }

  /** A slot leaving the window: learned, unless something was wrong since it was recorded. */
  private learn(slot: number): void {
    const slots = this.stats.slots;
    const length = slots.slotLengthMs;
    const end = (slots.epochOf(slot) + 1) * length;
    if (!this.circuitClosed || Number.isNaN(this.wallOffset)) return;
    if (!Number.isNaN(this.incidentSince) && end - this.incidentSince < LEARN_AGAIN_AFTER_MS) return;
    const figures = this.read(slot, length);
    if (figures.calls === 0 && figures.ttfbs === 0) return;
    const ttfbs = this.stats.ttfbs;
    // Dated by its middle: a slot ending on the hour belongs to the hour it ends.
    this.baseline.observe(
      figures,
      (into) => ttfbs.addSlotTo(slot, into),
      end,
      end - length / 2 + this.wallOffset,
    );
  }

  private read(slot: number, lengthMs: number): SlotFigures {
    const stats = this.stats;
    const figures = this.figures;
    figures.calls = stats.recent.slotTotal(slot);
    figures.failed = stats.recent.slotFailed(slot);
    figures.ttfbs = stats.ttfbs.slotCount(slot);
    figures.ttfbsAbove = figures.ttfbs - stats.ttfbs.slotBelow(slot);
    figures.lengthMs = lengthMs;
    return figures;
  }

  private isAboveBaseline(now: number): boolean {
    const rule = this.options.latencyBaseline;
    if (rule === false || this.current === undefined) return false;
    const ttfbs = this.stats.ttfbs;
    if (ttfbs.count(now) < MIN_REQUESTS_FOR_P95) return false;
    const p95 = ttfbs.percentile(0.95, now);
    return p95 !== undefined && p95 > relativeLimitMs(rule, this.current);
  }
}

function sameReference(a: BaselineReference | undefined, b: BaselineReference | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.p95Ms === b.p95Ms && a.failureRate === b.failureRate && a.source === b.source;
}
