import { OUTCOME_INDEX, OUTCOMES, type Outcome } from '../outcome/outcome.js';
import { LatencySketch } from './latency-sketch.js';
import { RecentWindow, type WindowCounts } from './recent-window.js';

/**
 * Everything measured about one provider, in fixed memory: lifetime counts per outcome,
 * a recent window (since the circuit last closed), the last 1024 response times, and the
 * last success and failure.
 */
export class ProviderStats {
  readonly outcomeCounts = new Float64Array(OUTCOMES.length);
  /**
   * Lifetime counts by outcome and HTTP status, keyed `outcomeIndex * 1000 + status` (status 0:
   * none), read by the requests counter at collection time so recording costs one Map update.
   */
  readonly statusCounts = new Map<number, number>();
  total = 0;
  failed = 0;
  consecutiveFailures = 0;
  consecutiveSuccesses = 0;
  lastSuccessAt: number | undefined;
  lastFailureAt: number | undefined;
  lastFailureReason: string | undefined;
  /** Epoch ms until which the provider asked us to wait (retry-after on a 429). */
  rateLimitedUntil = 0;
  durationSumMs = 0;
  durationCount = 0;
  readonly latencies: LatencySketch;
  readonly recent: RecentWindow;

  constructor(windowMs: number) {
    this.recent = new RecentWindow(windowMs);
    this.latencies = new LatencySketch(windowMs);
  }

  /**
   * @param failed whether this outcome counts as a failure for this provider (its trip rules)
   * @param durationMs undefined for outcomes that never reached the provider (rejected)
   */
  record(
    outcome: Outcome,
    failed: boolean,
    durationMs: number | undefined,
    now: number,
    reason?: string,
    statusCode = 0,
  ): void {
    const index = OUTCOME_INDEX[outcome];
    this.outcomeCounts[index] = (this.outcomeCounts[index] as number) + 1;
    const key = index * 1000 + (statusCode > 0 && statusCode < 1000 ? statusCode : 0);
    this.statusCounts.set(key, (this.statusCounts.get(key) ?? 0) + 1);
    this.total++;
    if (outcome === 'rejected' || outcome === 'canceled') return;
    if (durationMs !== undefined) {
      this.durationSumMs += durationMs;
      this.durationCount++;
      this.latencies.record(durationMs, now);
    }
    const rateLimited = outcome === 'rate_limited';
    this.recent.record(now, failed, rateLimited);
    if (outcome === 'success') {
      this.consecutiveFailures = 0;
      this.consecutiveSuccesses++;
      this.lastSuccessAt = now;
      return;
    }
    // Like the breaker: only outcomes that count as failures for this provider advance the count
    // and are "the last failure"; a 400 or a 401 neither advances nor resets it.
    if (!failed) return;
    this.failed++;
    this.consecutiveSuccesses = 0;
    this.consecutiveFailures++;
    this.lastFailureAt = now;
    this.lastFailureReason = reason ?? outcome;
  }

  noteRetryAfter(untilMs: number): void {
    if (untilMs > this.rateLimitedUntil) this.rateLimitedUntil = untilMs;
  }

  /** Requests that reached the provider or failed trying: not rejected locally, not canceled. */
  get counted(): number {
    return this.total - this.count('rejected') - this.count('canceled');
  }

  count(outcome: Outcome): number {
    return this.outcomeCounts[OUTCOME_INDEX[outcome]] as number;
  }

  recentCounts(now: number): WindowCounts {
    return this.recent.counts(now);
  }

  /** Called when a circuit closes: what happened before the outage no longer says anything. */
  clearRecent(): void {
    this.recent.clear();
    this.latencies.clear();
  }
}
