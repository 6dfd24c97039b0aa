import type { CircuitState } from '../breaker/circuit-state.js';
import type { ProviderStats } from './provider-stats.js';

export type HealthStatus = 'available' | 'degraded' | 'unavailable';

export type HealthReason = 'circuit_open' | 'circuit_half_open' | 'failure_rate' | 'rate_limited' | 'latency';

export interface HealthReport {
  status: HealthStatus;
  reasons: HealthReason[];
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

/** DESIGN.md "Health status": open is unavailable; half-open or a closed circuit with trouble is degraded. */
export function computeHealth(
  circuit: CircuitState,
  stats: ProviderStats,
  thresholds: HealthThresholds,
  now: number,
): HealthReport {
  if (circuit === 'open') return { status: 'unavailable', reasons: ['circuit_open'] };
  const reasons: HealthReason[] = circuit === 'half_open' ? ['circuit_half_open'] : [];
  const recent = stats.recentCounts(now);
  if (recent.total >= thresholds.minRequests) {
    if (recent.failed / recent.total >= thresholds.degradedFailureRate) reasons.push('failure_rate');
    if (recent.rateLimited / recent.total >= thresholds.degradedFailureRate || stats.rateLimitedUntil > now) {
      reasons.push('rate_limited');
    }
  } else if (stats.rateLimitedUntil > now) {
    reasons.push('rate_limited');
  }
  const p95 = stats.latencies.percentile(0.95, now);
  if (
    p95 !== undefined &&
    stats.latencies.count(now) >= thresholds.minRequests &&
    p95 > thresholds.degradedLatencyMs
  ) {
    reasons.push('latency');
  }
  return { status: reasons.length === 0 ? 'available' : 'degraded', reasons };
}
