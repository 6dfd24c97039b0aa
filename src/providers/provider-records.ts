import type { Admission } from '../breaker/circuit-state.js';
import type { HealthReport, HealthStatus } from '../health/health-status.js';
import type { TrendSignal } from '../health/trend-detector.js';
import type { Outcome } from '../outcome/outcome.js';

/**
 * One finished request to a provider, as the admission gate hands it over. The gate's own
 * observation object is passed as is (no copy per request); listeners must not keep it.
 */
export interface RecordedRequest {
  readonly admission: Admission;
  readonly outcome: Outcome;
  /** 0 when no response arrived. */
  readonly statusCode: number;
  /** -1 when unknown (the request never reached the provider). */
  readonly durationMs: number;
  /** -1 when no response started. */
  readonly ttfbMs: number;
  /** When it ended, on the provider's monotonic clock. */
  readonly endedAt: number;
  /** Why, in a few words (`HTTP 529 overloaded_error`), for non-successes. */
  readonly reason: string | undefined;
  /** A wait the provider asked for (`retry-after`), ms. */
  readonly retryAfterMs: number | undefined;
}

/** What a request answered locally carried, for the span the plugin makes of it. */
export interface RejectedRequest {
  readonly method: string;
  readonly url: string;
}

export interface StatusEvent {
  readonly provider: string;
  readonly status: HealthStatus;
  readonly previous: HealthStatus;
  readonly report: HealthReport;
  /** Wall time, ms since the epoch. */
  readonly at: number;
}

/**
 * The early warning raised or cleared (docs/design.md, "Baselines and early warning"): failures
 * or times to first byte trending up against the provider's baseline while its circuit is closed.
 */
export interface TrendEvent {
  readonly provider: string;
  /** true: raised; false: cleared (recovered, or superseded by the circuit opening). */
  readonly warning: boolean;
  /** What trends up; empty once cleared. */
  readonly signals: readonly TrendSignal[];
  /** Wall time, ms since the epoch. */
  readonly at: number;
  /** The numbers compared, for people: `failures 6.1% vs 0.5% normal; p95 time to first byte 2.4 s vs 0.8 s`. */
  readonly detail: string;
}
