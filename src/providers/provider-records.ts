import type { Admission } from '../breaker/circuit-state.js';
import type { HealthReport, HealthStatus } from '../health/health-status.js';
import type { ModelSlot } from '../health/spend-ledger.js';
import type { TrendSignal } from '../health/trend-detector.js';
import type { Outcome } from '../outcome/outcome.js';
import type { UsageOperation } from '../usage/usage-format.js';

/**
 * The token usage a response reported (docs/design.md, "Token usage and cost"). The gate fills in
 * what it read; the provider adds the ledger slot and the cost when it records the request.
 */
export interface RequestUsage {
  readonly operation: UsageOperation;
  /** The model the response named, else the one the path named; undefined when neither did. */
  readonly model: string | undefined;
  /** Whether `model` came from the response (`gen_ai.response.model`) or the path (`gen_ai.request.model`). */
  readonly modelFromResponse: boolean;
  readonly inputTokens: number;
  readonly outputTokens: number;
  slot: ModelSlot | undefined;
  /** In the configured currency; 0 without a price. */
  cost: number;
}

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
  /** Token usage the response reported, when its provider and path have a usage rule and it had one. */
  readonly usage?: RequestUsage | undefined;
}

/** What a request answered locally carried, for the span the plugin makes of it. */
export interface RejectedRequest {
  readonly method: string;
  readonly url: string;
  /** Why it was answered locally: an open circuit, or a spent budget. */
  readonly budget: boolean;
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
