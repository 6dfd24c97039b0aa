import type { CircuitState } from '../breaker/circuit-state.js';
import { type Clock, wallTimeOf } from '../common/clock.js';
import { OUTCOMES, type Outcome } from '../outcome/outcome.js';
import type { BaselineSource } from './baseline.js';
import type { EarlyWarning } from './early-warning.js';
import type { HealthReason, HealthStatus } from './health-status.js';
import type { ProviderStats } from './provider-stats.js';
import type { TrendSignal } from './trend-detector.js';

/** This hour's normal, beside the current numbers (docs/design.md, "Baselines and early warning"). */
export interface BaselineMetrics {
  /** Normal p95 time to first byte, seconds. */
  p95TimeToFirstByte: number;
  /** Normal failure share. */
  failureRate: number;
  /** `hour_of_week` (learned for this hour), `recent` (the last hours) or `all_hours`. */
  source: BaselineSource;
}

export interface TrendMetrics {
  warning: boolean;
  signals: TrendSignal[];
  /** Each detector's score as a share of its alarm level (1 raises the warning). */
  failureLevel: number;
  latencyLevel: number;
}

/** One provider's numbers, as `getHealthMetrics()` returns them. Times in seconds, dates ISO 8601. */
export interface HealthMetrics {
  totalRequests: number;
  failedRequests: number;
  /** Answered locally: an open circuit (`rejected`) or a spent budget (`budget_exceeded`). */
  rejectedRequests: number;
  /** Failure share since the circuit last closed, within the stats window. */
  failureRate: number;
  lifetimeFailureRate: number;
  recentRequests: number;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  averageResponseTime: number | null;
  p50ResponseTime: number | null;
  p95ResponseTime: number | null;
  p99ResponseTime: number | null;
  /** Recent p95 time to first byte (response headers), seconds: what the baseline and slow calls judge. */
  p95TimeToFirstByte: number | null;
  /** This hour's normal; null until one is learned. */
  baseline: BaselineMetrics | null;
  trend: TrendMetrics;
  lastSuccessTime: string | null;
  lastFailureTime: string | null;
  lastFailureReason: string | null;
  outcomes: Record<Outcome, number>;
}

export interface ProviderHealthSnapshot {
  name: string;
  status: HealthStatus;
  reasons: readonly HealthReason[];
  circuitState: CircuitState;
  /** Seconds until the next half-open trial while open; null otherwise or while held open. */
  nextTrialIn: number | null;
  metrics: HealthMetrics;
  /** Its endpoints (regions, deployments), each with its own circuit; empty for most providers. */
  endpoints: readonly EndpointSnapshot[];
}

/** One endpoint of a provider: its own circuit, status and numbers. */
export interface EndpointSnapshot extends Omit<ProviderHealthSnapshot, 'endpoints'> {
  key: string;
  region: string | null;
  address: string | null;
}

const seconds = (ms: number | undefined): number | null => (ms === undefined ? null : ms / 1000);

/** `now` and the stats' times are on `clock`'s monotonic scale; dates are shown as wall time. */
export function buildHealthMetrics(
  stats: ProviderStats,
  clock: Clock,
  now: number,
  early?: EarlyWarning,
): HealthMetrics {
  const iso = (ms: number): string | null =>
    Number.isNaN(ms) ? null : new Date(wallTimeOf(clock, ms)).toISOString();
  const recent = stats.recent.counts(now);
  const counted = stats.counted;
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, stats.count(o)])) as Record<Outcome, number>;
  return {
    totalRequests: stats.total,
    failedRequests: stats.failed,
    rejectedRequests: stats.answeredLocally,
    failureRate: recent.total === 0 ? 0 : recent.failed / recent.total,
    lifetimeFailureRate: counted === 0 ? 0 : stats.failed / counted,
    recentRequests: recent.total,
    consecutiveFailures: stats.consecutiveFailures,
    consecutiveSuccesses: stats.consecutiveSuccesses,
    averageResponseTime: stats.durationCount === 0 ? null : stats.durationSumMs / stats.durationCount / 1000,
    p50ResponseTime: seconds(stats.latencies.percentile(0.5, now)),
    p95ResponseTime: seconds(stats.latencies.percentile(0.95, now)),
    p99ResponseTime: seconds(stats.latencies.percentile(0.99, now)),
    p95TimeToFirstByte: seconds(stats.ttfbs.percentile(0.95, now)),
    baseline: baselineOf(early),
    trend: {
      warning: early?.trendWarning ?? false,
      signals: early?.trend.signals() ?? [],
      failureLevel: round(early?.trend.failureLevel ?? 0),
      latencyLevel: round(early?.trend.latencyLevel ?? 0),
    },
    lastSuccessTime: iso(stats.lastSuccessAt),
    lastFailureTime: iso(stats.lastFailureAt),
    lastFailureReason: stats.lastFailureReason ?? null,
    outcomes,
  };
}

function baselineOf(early: EarlyWarning | undefined): BaselineMetrics | null {
  const reference = early?.reference;
  if (reference === undefined) return null;
  return {
    p95TimeToFirstByte: reference.p95Ms / 1000,
    failureRate: reference.failureRate,
    source: reference.source,
  };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

/** The JSON form of docs/design.md "Health endpoints": snake_case keys. */
export interface HealthMetricsJson {
  total_requests: number;
  failed_requests: number;
  rejected_requests: number;
  failure_rate: number;
  lifetime_failure_rate: number;
  recent_requests: number;
  consecutive_failures: number;
  consecutive_successes: number;
  average_response_time: number | null;
  p50_response_time: number | null;
  p95_response_time: number | null;
  p99_response_time: number | null;
  p95_time_to_first_byte: number | null;
  baseline: { p95_time_to_first_byte: number; failure_rate: number; source: BaselineSource } | null;
  trend: { warning: boolean; signals: TrendSignal[]; failure_level: number; latency_level: number };
  last_success_time: string | null;
  last_failure_time: string | null;
  last_failure_reason: string | null;
  outcomes: Record<Outcome, number>;
}

export function healthMetricsToJson(metrics: HealthMetrics): HealthMetricsJson {
  return {
    total_requests: metrics.totalRequests,
    failed_requests: metrics.failedRequests,
    rejected_requests: metrics.rejectedRequests,
    failure_rate: metrics.failureRate,
    lifetime_failure_rate: metrics.lifetimeFailureRate,
    recent_requests: metrics.recentRequests,
    consecutive_failures: metrics.consecutiveFailures,
    consecutive_successes: metrics.consecutiveSuccesses,
    average_response_time: metrics.averageResponseTime,
    p50_response_time: metrics.p50ResponseTime,
    p95_response_time: metrics.p95ResponseTime,
    p99_response_time: metrics.p99ResponseTime,
    p95_time_to_first_byte: metrics.p95TimeToFirstByte,
    baseline:
      metrics.baseline === null
        ? null
        : {
            p95_time_to_first_byte: metrics.baseline.p95TimeToFirstByte,
            failure_rate: metrics.baseline.failureRate,
            source: metrics.baseline.source,
          },
    trend: {
      warning: metrics.trend.warning,
      signals: metrics.trend.signals,
      failure_level: metrics.trend.failureLevel,
      latency_level: metrics.trend.latencyLevel,
    },
    last_success_time: metrics.lastSuccessTime,
    last_failure_time: metrics.lastFailureTime,
    last_failure_reason: metrics.lastFailureReason,
    outcomes: metrics.outcomes,
  };
}
