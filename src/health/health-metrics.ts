import type { CircuitState } from '../breaker/circuit-state.js';
import { type Clock, wallTimeOf } from '../common/clock.js';
import { OUTCOMES, type Outcome } from '../outcome/outcome.js';
import type { HealthReason, HealthStatus } from './health-status.js';
import type { ProviderStats } from './provider-stats.js';

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
export function buildHealthMetrics(stats: ProviderStats, clock: Clock, now: number): HealthMetrics {
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
    lastSuccessTime: iso(stats.lastSuccessAt),
    lastFailureTime: iso(stats.lastFailureAt),
    lastFailureReason: stats.lastFailureReason ?? null,
    outcomes,
  };
}

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
    last_success_time: metrics.lastSuccessTime,
    last_failure_time: metrics.lastFailureTime,
    last_failure_reason: metrics.lastFailureReason,
    outcomes: metrics.outcomes,
  };
}
