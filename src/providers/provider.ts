import type { BreakerClock } from '../breaker/breaker-clock.js';
import { systemClock } from '../breaker/breaker-clock.js';
import type { BreakerOptions } from '../breaker/breaker-options.js';
import { CircuitBreaker } from '../breaker/circuit-breaker.js';
import {
  ADMITTED,
  type Admission,
  type CircuitState,
  REJECTED,
  type TransitionEvent,
} from '../breaker/circuit-state.js';
import {
  buildHealthMetrics,
  type HealthMetrics,
  type ProviderHealthSnapshot,
} from '../health/health-metrics.js';
import {
  computeHealth,
  type HealthReport,
  type HealthStatus,
  type HealthThresholds,
} from '../health/health-status.js';
import { ProviderStats } from '../health/provider-stats.js';
import { OUTCOME_INDEX, type Outcome } from '../outcome/outcome.js';
import type { OutcomeRules } from '../outcome/rules.js';
import type { CatalogEntry } from './catalog.js';
import type { ProviderHub } from './provider-hub.js';

export interface ProviderConfig {
  name: string;
  hosts: readonly string[];
  errorShape: CatalogEntry['errorShape'];
  probePath: string | undefined;
  apiKeyEnv: string | undefined;
  healthCheckUrl: string | false;
  /** Classification rules that win over the built-in ones (`providers.<name>.outcomes`). */
  rules: OutcomeRules;
  breaker: BreakerOptions;
  tripOn: readonly Outcome[];
  thresholds: HealthThresholds;
  statsWindowMs: number;
}

// Non-success outcomes re-evaluate health at once; successes at most this often, since a
// success can only end a degradation that a later read would notice anyway.
const HEALTH_REFRESH_MS = 250;

/**
 * One AI provider: its breaker (the source of truth for its state), its stats and its health.
 * The interceptors call `admit()` before a request and `record()` when it ends.
 */
export class Provider {
  readonly breaker: CircuitBreaker;
  readonly stats: ProviderStats;
  /** Set once the provider has seen a request or was configured by the user; /health lists those. */
  active = false;
  /** performance.now() of the last response whose rate-limit headers were read (see intercept/). */
  rateLimitSampledAt = Number.NEGATIVE_INFINITY;
  /** Last announced rate-limit headroom (see telemetry/metrics/ratelimit-store.ts), NaN: never seen. */
  rateLimits: Float64Array | undefined;
  private tripMask = 0;
  private report: HealthReport = { status: 'available', reasons: [] };
  private lastHealthAt = 0;

  constructor(
    readonly config: ProviderConfig,
    private readonly hub: ProviderHub,
    private readonly clock: BreakerClock = systemClock,
  ) {
    this.breaker = new CircuitBreaker(config.name, config.breaker, clock);
    this.breaker.onTransition = (event) => this.onTransition(event);
    this.stats = new ProviderStats(config.statsWindowMs);
    this.tripOn = config.tripOn;
  }

  get name(): string {
    return this.config.name;
  }

  /** Outcomes that count as failures for this provider's breaker; settable at run time. */
  get tripOn(): Outcome[] {
    return Object.entries(OUTCOME_INDEX)
      .filter(([, index]) => (this.tripMask >> index) & 1)
      .map(([outcome]) => outcome as Outcome);
  }
  set tripOn(outcomes: readonly Outcome[]) {
    let mask = 0;
    for (const outcome of outcomes)
      if (outcome !== 'canceled' && outcome !== 'rejected') mask |= 1 << OUTCOME_INDEX[outcome];
    this.tripMask = mask;
  }

  /** Synchronous: `REJECTED`, `ADMITTED`, or a half-open trial id. Observe mode never rejects. */
  admit(): Admission {
    this.active = true;
    const admission = this.breaker.admit();
    // Only enforce mode rejects: observe measures, and off (the preload did not start) must leave
    // explicit calls (execute, the mollitia module) alone too.
    return admission === REJECTED && this.hub.mode !== 'enforce' ? ADMITTED : admission;
  }

  /**
   * Records the end of one request. `durationMs` / `ttfbMs` are -1 when unknown, `statusCode` 0
   * when there was no response. `retryAfterMs` is the provider's requested wait, if any.
   */
  record(
    admission: Admission,
    outcome: Outcome,
    statusCode = 0,
    durationMs = -1,
    ttfbMs = -1,
    detail?: string,
    retryAfterMs?: number,
  ): void {
    const now = this.clock.now();
    const failed = ((this.tripMask >> OUTCOME_INDEX[outcome]) & 1) === 1;
    this.stats.record(outcome, failed, durationMs < 0 ? undefined : durationMs, now, detail, statusCode);
    if (outcome === 'success') this.breaker.onSuccess(admission);
    else if (failed)
      this.breaker.onFailure(admission, detail ?? outcome, outcome === 'rate_limited' ? retryAfterMs : 0);
    // Neither success nor failure (a 400, a cancel, a rejection further down an execute() call):
    // a trial that ends so must still give back its slot.
    else this.breaker.onIgnored(admission);
    if (retryAfterMs !== undefined && outcome === 'rate_limited')
      this.stats.noteRetryAfter(now + retryAfterMs);
    const observer = this.hub.onRecord;
    if (observer !== undefined) observer(this, outcome, statusCode, durationMs, ttfbMs);
    if (outcome !== 'success' || now - this.lastHealthAt >= HEALTH_REFRESH_MS) this.refreshHealth(now);
  }

  get circuitState(): CircuitState {
    return this.breaker.state;
  }

  getHealthStatus(): HealthStatus {
    return this.refreshHealth(this.clock.now()).status;
  }

  getHealthReport(): HealthReport {
    return this.refreshHealth(this.clock.now());
  }

  getHealthMetrics(): HealthMetrics {
    return buildHealthMetrics(this.stats, this.clock.now());
  }

  /** Everything the health endpoints and the status page show for this provider. */
  snapshot(): ProviderHealthSnapshot {
    const now = this.clock.now();
    const report = this.refreshHealth(now);
    const retryMs = this.breaker.retryAfterMs(now);
    return {
      name: this.name,
      status: report.status,
      reasons: report.reasons,
      circuitState: this.breaker.state,
      nextTrialIn: this.breaker.state === 'open' && Number.isFinite(retryMs) ? retryMs / 1000 : null,
      metrics: buildHealthMetrics(this.stats, now),
    };
  }

  /** Close the breaker and clear counters (operator action). */
  reset(): void {
    this.breaker.reset();
    this.refreshHealth(this.clock.now());
  }

  private onTransition(event: TransitionEvent): void {
    if (event.to === 'closed') this.stats.clearRecent();
    this.hub.transitionListeners.emit(event);
    this.refreshHealth(this.clock.now());
  }

  private refreshHealth(now: number): HealthReport {
    this.lastHealthAt = now;
    const next = computeHealth(this.breaker.state, this.stats, this.config.thresholds, now);
    const previous = this.report;
    this.report = next;
    if (next.status !== previous.status)
      this.hub.statusListeners.emit(this.name, next.status, previous.status, next);
    return next;
  }
}
