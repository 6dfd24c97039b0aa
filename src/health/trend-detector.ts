import type { BaselineReference, SlotFigures } from './baseline.js';

/** Which signal raised the early warning. */
export type TrendSignal = 'failure_rate' | 'latency';
export const TREND_FAILURES = 1;
export const TREND_LATENCY = 2;

// One-sided CUSUM of the log-likelihood ratio of two Bernoulli rates (Page's test): per
// request, ln(p1/p0) when it is "bad" and ln((1-p1)/(1-p0)) when not. The score drifts down
// while the share of bad requests stays near p0 and up once it nears p1; a warning is raised
// at ALARM and cleared below CLEAR. The constants were chosen on the replay harness
// (bench/replay/): at least 60 s of warning before the breaker opens on a slow ramp of errors
// and on latency creep, and at most one false warning a simulated week of noisy healthy traffic.
const ALARM = 12;
const CLEAR = ALARM / 4;
// One slot can add at most half the alarm: a single burst (a few seconds of errors, one GC pause
// of the provider) never raises a warning alone; it takes two slots in a row at least.
const MAX_STEP = ALARM / 2;
// A score cannot bank more than this, so a warning clears within a few slots of recovery.
const MAX_SCORE = 2 * ALARM;

// Failures: normal is the baseline's failure rate, at least 1% (a provider that "never fails"
// must not warn at its first few errors); bad is three times that and at least 5 points more.
const MIN_FAILURE_P0 = 0.01;
const MAX_FAILURE_P0 = 0.5;

// Latency: the share of times to first byte above the latency line (LATENCY_FACTOR × the
// baseline p95, and at least LATENCY_MARGIN_MS above it). Normally a few percent are (the p95 is
// exceeded by 5% of requests, the line is well above it); bad is a quarter of them.
export const LATENCY_FACTOR = 1.5;
export const LATENCY_MARGIN_MS = 100;
const LATENCY_P0 = 0.05;
const LATENCY_P1 = 0.25;

/** The time to first byte above which a request counts against the latency signal, ms. */
export function latencyLineMs(reference: BaselineReference): number {
  return Math.max(LATENCY_FACTOR * reference.p95Ms, reference.p95Ms + LATENCY_MARGIN_MS);
}

/**
 * The early warning (docs/design.md, "Baselines and early warning"): two CUSUM detectors, on the
 * failure share against the baseline's failure rate and on the share of slow times to first byte
 * against the baseline's p95. Fed one completed slot of the stats window at a time, so the
 * record path never pays for it. It raises a warning; it never rejects anything.
 */
export class TrendDetector {
  failureScore = 0;
  latencyScore = 0;
  /** TREND_FAILURES | TREND_LATENCY while warning, else 0. */
  warning = 0;
  /** When the warning was raised (monotonic ms), NaN while none. */
  since = Number.NaN;

  /** One slot; returns true when the warning was raised or cleared. */
  update(slot: SlotFigures, reference: BaselineReference, now: number): boolean {
    const p0 = Math.min(MAX_FAILURE_P0, Math.max(MIN_FAILURE_P0, reference.failureRate));
    const p1 = Math.min(0.95, Math.max(3 * p0, p0 + 0.05));
    this.failureScore = step(this.failureScore, slot.failed, slot.calls, p0, p1);
    this.latencyScore = step(this.latencyScore, slot.ttfbsAbove, slot.ttfbs, LATENCY_P0, LATENCY_P1);
    let warning = this.warning;
    warning = flag(warning, TREND_FAILURES, this.failureScore);
    warning = flag(warning, TREND_LATENCY, this.latencyScore);
    if (warning === this.warning) return false;
    const raised = this.warning === 0;
    this.warning = warning;
    if (warning === 0) this.since = Number.NaN;
    else if (raised) this.since = now;
    return raised || warning === 0;
  }

  /** Scores as shares of the alarm level (1: a warning is raised), for gauges and JSON. */
  get failureLevel(): number {
    return this.failureScore / ALARM;
  }
  get latencyLevel(): number {
    return this.latencyScore / ALARM;
  }

  signals(): TrendSignal[] {
    const signals: TrendSignal[] = [];
    if (this.warning & TREND_FAILURES) signals.push('failure_rate');
    if (this.warning & TREND_LATENCY) signals.push('latency');
    return signals;
  }

  reset(): boolean {
    const had = this.warning !== 0;
    this.failureScore = 0;
    this.latencyScore = 0;
    this.warning = 0;
    this.since = Number.NaN;
    return had;
  }
}

function step(score: number, bad: number, total: number, p0: number, p1: number): number {
  if (total <= 0) return score;
  const llr = bad * Math.log(p1 / p0) + (total - bad) * Math.log((1 - p1) / (1 - p0));
  return Math.min(MAX_SCORE, Math.max(0, score + Math.min(MAX_STEP, llr)));
}

function flag(warning: number, bit: number, score: number): number {
  if (score >= ALARM) return warning | bit;
  if (score < CLEAR) return warning & ~bit;
  return warning;
}
