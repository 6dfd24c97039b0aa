import type { CircuitState } from '../breaker/circuit-state.js';
import type { ProviderStats } from './provider-stats.js';

export type HealthStatus = 'available' | 'degraded' | 'unavailable';

export type HealthReason =
  | 'circuit_open'
  | 'circuit_half_open'
  | 'failure_rate'
  | 'rate_limited'
  | 'latency'
  | 'endpoints'
  | 'baseline_latency'
  | 'trend'
  | 'budget';

export interface HealthReport {
  readonly status: HealthStatus;
  readonly reasons: readonly HealthReason[];
}

export interface HealthThresholds {
  /** Degraded at or above this recent failure (or rate-limit) share. */
  degradedFailureRate: number;
  /** Degraded when recent p95 exceeds this, ms. */
  degradedLatencyMs: number;
  /** Fewer recent requests than this say nothing about a rate. */
  minRequests: number;
}

export const MIN_REQUESTS_FOR_RATE = 5;

// One bit a reason, in the order reports list them.
const REASONS: readonly HealthReason[] = [
  'circuit_open',
  'circuit_half_open',
  'failure_rate',
  'rate_limited',
  'latency',
  'endpoints',
  'baseline_latency',
  'trend',
  'budget',
];
const OPEN = 1;
const HALF_OPEN = 2;
const FAILURE_RATE = 4;
const RATE_LIMITED = 8;
const LATENCY = 16;
const ENDPOINTS = 32;
const BASELINE_LATENCY = 64;
const TREND = 128;
const BUDGET = 256;

/** What the baseline and the trend detector say (early-warning.ts), read at no cost. */
export interface EarlySignals {
  /** The trend detector's warning is up. */
  readonly trendWarning: boolean;
  /** Recent p95 time to first byte above `degradedLatencyBaseline`. */
  readonly aboveBaseline: boolean;
}

// Reports are immutable and shared: one per combination of reasons, built on first use, so
// evaluating health on every failure allocates nothing.
const reports: HealthReport[] = [];

function reportFor(mask: number): HealthReport {
  let report = reports[mask];
  if (report === undefined) {
    const reasons = Object.freeze(REASONS.filter((_, bit) => (mask >> bit) & 1));
    const status: HealthStatus = mask & OPEN ? 'unavailable' : mask === 0 ? 'available' : 'degraded';
    report = Object.freeze({ status, reasons });
    reports[mask] = report;
  }
  return report;
}

export const AVAILABLE: HealthReport = reportFor(0);

/**
 * docs/design.md "Health status": open is unavailable; half-open or a closed circuit with trouble
 * is degraded (including an early warning, which never rejects anything). O(1): the recent window
 * keeps running totals, the latency sketch counts the samples under the latency threshold as they
 * arrive, and the early signals are flags set about once a second.
 */
export function computeHealth(
  circuit: CircuitState,
  stats: ProviderStats,
  thresholds: HealthThresholds,
  now: number,
  early?: EarlySignals,
): HealthReport {
  if (circuit === 'open') return reportFor(OPEN);
  let mask = circuit === 'half_open' ? HALF_OPEN : 0;
  const recent = stats.recent;
  recent.advance(now);
  const total = recent.total;
  if (total >= thresholds.minRequests) {
    if (recent.failed / total >= thresholds.degradedFailureRate) mask |= FAILURE_RATE;
    if (recent.rateLimited / total >= thresholds.degradedFailureRate) mask |= RATE_LIMITED;
  }
  if (stats.rateLimitedUntil > now) mask |= RATE_LIMITED;
  const latencies = stats.latencies;
  latencies.setThreshold(thresholds.degradedLatencyMs);
  if (latencies.count(now) >= thresholds.minRequests && latencies.exceeds(0.95, now)) mask |= LATENCY;
  if (early !== undefined && circuit === 'closed') {
    if (early.aboveBaseline) mask |= BASELINE_LATENCY;
    if (early.trendWarning) mask |= TREND;
  }
  return reportFor(mask);
}

/**
 * A provider whose budget is spent (docs/design.md, "Token usage and cost") is at least
 * `degraded`, reason `budget`, so `pickHealthy` routes elsewhere; an open circuit still says
 * `unavailable`.
 */
export function withBudgetSpent(report: HealthReport): HealthReport {
  return reportFor(maskOf(report) | BUDGET);
}

export function hasBudgetReason(report: HealthReport): boolean {
  return (maskOf(report) & BUDGET) !== 0;
}

/**
 * A provider with endpoints (regions, deployments; docs/design.md, "Endpoints"): `unavailable` only
 * when every endpoint is, `degraded` (reason `endpoints`) when some endpoint is not available,
 * else what its own traffic says. `own` counts as one more endpoint when the provider also
 * takes requests of its own (a host with no endpoint, like Vertex AI's global one).
 */
export function aggregateReports(
  own: HealthReport,
  ownTakesTraffic: boolean,
  endpoints: Iterable<HealthReport>,
): HealthReport {
  let all = 0;
  let unavailable = 0;
  let troubled = 0;
  for (const report of ownTakesTraffic ? [own, ...endpoints] : endpoints) {
    all++;
    if (report.status === 'unavailable') unavailable++;
    if (report.status !== 'available') troubled++;
  }
  // The budget is the provider's, whichever endpoint spent it.
  const budget = maskOf(own) & BUDGET;
  if (all === 0) return own;
  if (unavailable === all) return reportFor(OPEN | budget);
  if (troubled === 0) return ownTakesTraffic ? own : reportFor(budget);
  let mask = ENDPOINTS | budget;
  if (ownTakesTraffic) mask |= maskOf(own) & ~OPEN;
  return reportFor(mask);
}

function maskOf(report: HealthReport): number {
  let mask = 0;
  for (const reason of report.reasons) mask |= 1 << REASONS.indexOf(reason);
  return mask;
}
