import type { BreakerOptions } from '../breaker/breaker-options.js';
import { CircuitBreaker } from '../breaker/circuit-breaker.js';
import type { Admission, CircuitState, TransitionEvent } from '../breaker/circuit-state.js';
import { type Clock, systemClock } from '../common/clock.js';
import { log } from '../common/log.js';
import type { AbortTimeoutRule, BudgetAction, EndpointOptions, SlowCallRule } from '../config/options.js';
import { relativeLimitMs } from '../health/baseline.js';
import { BudgetWindow } from '../health/budget-window.js';
import {
  EarlyWarning,
  type EarlyWarningOptions,
  REFERENCE_CHANGED,
  WARNING_CHANGED,
} from '../health/early-warning.js';
import {
  buildHealthMetrics,
  type HealthMetrics,
  type ProviderHealthSnapshot,
} from '../health/health-metrics.js';
import {
  AVAILABLE,
  aggregateReports,
  computeHealth,
  type HealthReport,
  type HealthStatus,
  type HealthThresholds,
  hasBudgetReason,
  withBudgetSpent,
} from '../health/health-status.js';
import { type PriceRule, PriceTable } from '../health/price-table.js';
import { ProviderStats } from '../health/provider-stats.js';
import { SpendLedger } from '../health/spend-ledger.js';
import { OUTCOME_INDEX, OUTCOMES, type Outcome, UNCOUNTED_OUTCOMES } from '../outcome/outcome.js';
import type { OutcomeRules } from '../outcome/rules.js';
import type { UsageFormat } from '../usage/usage-format.js';
import type { CatalogEntry } from './catalog.js';
import type { RecordedRequest, RequestUsage, StatusEvent, TrendEvent } from './provider-records.js';
import { trendDetail } from './trend-detail.js';

export interface ProviderConfig {
  name: string;
  hosts: readonly string[];
  errorShape: CatalogEntry['errorShape'];
  probePath: string | undefined;
  apiKeyEnv: string | undefined;
  healthCheckUrl: string | false;
  /** Classification rules that win over the built-in ones (`providers.<name>.outcomes`). */
  rules: OutcomeRules;
  /** When an abort before any response header is a timeout (`providers.<name>.abortTimeout`). */
  abortTimeout: AbortTimeoutRule | false;
  /** What the `*` of the provider's wildcard hosts names: each value an endpoint of its own. */
  endpointKind: 'region' | 'deployment' | undefined;
  /** Endpoints named in configuration, with their hosts (`providers.<name>.endpoints`). */
  endpoints: Readonly<Record<string, EndpointOptions>>;
  /** Where its responses report token usage; undefined: no response body is read for usage. */
  usage: UsageFormat | undefined;
  /** Prices per million tokens by model (`providers.<name>.prices`); none built in. */
  prices: readonly PriceRule[];
  /** Spend allowed over a sliding window (`providers.<name>.budget`). */
  budget: { amount: number; windowMs: number } | undefined;
  /** What a spent budget does: `degrade` or `reject` (answered locally, outcome budget_exceeded). */
  budgetAction: BudgetAction;
  breaker: BreakerOptions;
  /** The slow-call rule (`providers.<name>.slowCallDuration`); a relative one follows the baseline. */
  slowCall: SlowCallRule | false;
  tripOn: readonly Outcome[];
  thresholds: HealthThresholds;
  statsWindowMs: number;
  /** The baseline's uses: the trend detector and the relative latency line. */
  earlyWarning: EarlyWarningOptions;
}

/** Where a provider announces what happens to it: the registry's event surface (provider-events.ts). */
export interface ProviderEventSink {
  has(name: 'record'): boolean;
  emit(name: 'record', provider: Provider, request: RecordedRequest): void;
  emit(name: 'transition', event: TransitionEvent): void;
  emit(name: 'status', event: StatusEvent): void;
  emit(name: 'trend', event: TrendEvent): void;
}

/** One endpoint of a provider (docs/design.md, "Endpoints"): a region or a deployment. */
export interface EndpointInfo {
  /** `us-east-1`, `my-resource`: the qualifier of the endpoint's name (`aws.bedrock@us-east-1`). */
  readonly key: string;
  /** The cloud region, when the key is one (`cloud.region`). */
  readonly region: string | undefined;
  /** The host it was first reached at (`server.address`). */
  readonly address: string | undefined;
}

/** Endpoints a provider keeps apart at most; more share one `other` (bounded metric cardinality). */
export const MAX_ENDPOINTS = 32;
const OVERFLOW_KEY = 'other';

// Non-success outcomes re-evaluate health at once; successes at most this often, since a
// success can only end a degradation that a later read would notice anyway.
const HEALTH_REFRESH_MS = 250;
// The baseline and the trend detector read the stats window about this often (never per request).
const SIGNALS_EVERY_MS = 1_000;
const SUCCESS = OUTCOME_INDEX.success;
const RATE_LIMITED = OUTCOME_INDEX.rate_limited;

/**
 * One AI provider: its breaker (the source of truth for its state), its stats and its health.
 * The admission gate (src/gate) admits a request through `breaker` and hands the finished
 * request to `recordRequest()`; everything else reads.
 */
export class Provider {
  readonly breaker: CircuitBreaker;
  readonly stats: ProviderStats;
  /** The learned baseline and the early warning (docs/design.md, "Baselines and early warning"). */
  readonly early: EarlyWarning;
  /** Set once the provider has seen a request or was configured by the user; /health lists those. */
  active = false;
  /** The provider this is an endpoint of; undefined for a provider. */
  readonly parent: Provider | undefined;
  readonly endpoint: EndpointInfo | undefined;
  /** Told of each endpoint created from now on (the registry's: the fleet shares every breaker). */
  onEndpoint: ((endpoint: Provider) => void) | undefined;
  /**
   * Tokens and spend (docs/design.md, "Token usage and cost"): the provider's, shared by its
   * endpoints, since a budget is the provider's whichever region spent it.
   */
  readonly ledger: SpendLedger;
  /** Whether requests went to the provider itself rather than to one of its endpoints. */
  private direct = false;
  private tripMask = 0;
  private report: HealthReport = AVAILABLE;
  private lastHealthAt = Number.NEGATIVE_INFINITY;
  private nextSignalsAt = Number.NEGATIVE_INFINITY;
  private readonly children = new Map<string, Provider>();

  constructor(
    readonly config: ProviderConfig,
    private readonly events: ProviderEventSink,
    readonly clock: Clock = systemClock,
    of?: { parent: Provider; endpoint: EndpointInfo },
  ) {
    this.parent = of?.parent;
    this.endpoint = of?.endpoint;
    this.ledger =
      of?.parent.ledger ??
      new SpendLedger(
        new PriceTable(config.prices),
        config.budget === undefined
          ? undefined
          : new BudgetWindow(config.budget.amount, config.budget.windowMs),
      );
    this.breaker = new CircuitBreaker(config.name, config.breaker, clock, (event) =>
      this.onTransition(event),
    );
    this.stats = new ProviderStats(config.statsWindowMs);
    this.early = new EarlyWarning(this.stats, config.earlyWarning);
    this.tripOn = config.tripOn;
  }

  /** The provider's name (`aws.bedrock`), also for one of its endpoints. */
  get providerName(): string {
    return this.parent?.name ?? this.name;
  }

  /** Its endpoints seen or configured so far. */
  get endpoints(): readonly Provider[] {
    return [...this.children.values()];
  }

  /** Whether requests went to the provider itself, not (only) to its endpoints. */
  get takesRequestsItself(): boolean {
    return this.children.size === 0 || this.direct;
  }

  existingEndpoint(key: string): Provider | undefined {
    return this.children.get(key);
  }

  /**
   * The endpoint `key` of this provider, created at first sight with the provider's settings and a
   * breaker and stats of its own. Beyond MAX_ENDPOINTS, new keys share one `other` endpoint.
   */
  endpointFor(key: string, address?: string, region?: string): Provider {
    const existing = this.children.get(key);
    if (existing !== undefined) return existing;
    if (this.parent !== undefined) return this;
    const bounded = this.children.size >= MAX_ENDPOINTS ? OVERFLOW_KEY : key;
    const shared = this.children.get(bounded);
    if (shared !== undefined) return shared;
    const overflow = bounded === OVERFLOW_KEY;
    const endpoint: EndpointInfo = {
      key: bounded,
      region: overflow ? undefined : (region ?? (this.config.endpointKind === 'region' ? key : undefined)),
      address: overflow ? undefined : address,
    };
    const config = { ...this.config, name: `${this.name}@${bounded}`, hosts: [] };
    const child = new Provider(config, this.events, this.clock, { parent: this, endpoint });
    child.tripOn = this.tripOn;
    this.children.set(bounded, child);
    this.active = true;
    this.onEndpoint?.(child);
    return child;
  }

  get name(): string {
    return this.config.name;
  }

  /** Outcomes that count as failures for this provider's breaker; settable at run time. */
  get tripOn(): Outcome[] {
    return OUTCOMES.filter((outcome) => (this.tripMask >> OUTCOME_INDEX[outcome]) & 1);
  }
  set tripOn(outcomes: readonly Outcome[]) {
    let mask = 0;
    for (const outcome of outcomes)
      if (!UNCOUNTED_OUTCOMES.includes(outcome)) mask |= 1 << OUTCOME_INDEX[outcome];
    this.tripMask = mask;
  }

  /**
   * The breaker's answer, synchronous: `REJECTED`, `ADMITTED` or a half-open trial id. Raw: the
   * mode (observe never rejects) is applied by the admission gate, which every path goes through.
   */
  admit(): Admission {
    this.active = true;
    if (this.children.size !== 0) this.direct = true;
    return this.breaker.admit();
  }

  /** Records one finished request: stats, breaker, then the `record` event. Allocates nothing. */
  recordRequest(request: RecordedRequest): void {
    const index = OUTCOME_INDEX[request.outcome];
    const now = request.endedAt;
    const failed = ((this.tripMask >> index) & 1) === 1;
    this.stats.record(index, failed, request);
    if (index === SUCCESS) this.breaker.onSuccess(request.admission, request);
    else if (failed) {
      const wait = index === RATE_LIMITED ? (request.retryAfterMs ?? 0) : 0;
      this.breaker.onFailure(request.admission, request.reason ?? request.outcome, wait, request);
    }
    // Neither success nor failure (a 400, a cancel, a rejection further down an execute() call):
    // a trial that ends so must still give back its slot.
    else this.breaker.onIgnored(request.admission);
    if (index === RATE_LIMITED && request.retryAfterMs !== undefined)
      this.stats.noteRetryAfter(now + request.retryAfterMs);
    const usage = request.usage;
    const spentNow = usage !== undefined && this.spend(usage, index, now);
    if (this.events.has('record')) this.events.emit('record', this, request);
    if (spentNow) (this.parent ?? this).refreshHealth(now);
    else if (index !== SUCCESS || now - this.lastHealthAt >= HEALTH_REFRESH_MS) this.refreshHealth(now);
  }

  /**
   * Adds a request's tokens and cost to the ledger (filling in `usage.model` and `usage.cost`);
   * true when this spend used up the budget, so health is re-evaluated at once.
   */
  private spend(usage: RequestUsage, outcomeIndex: number, now: number): boolean {
    const ledger = this.ledger;
    const slot = ledger.slotOf(usage.model, usage.modelFromResponse);
    usage.slot = slot;
    usage.cost = ledger.add(slot, usage.model, outcomeIndex, usage.inputTokens, usage.outputTokens, now);
    const budget = ledger.budget;
    return (
      usage.cost > 0 &&
      budget !== undefined &&
      !hasBudgetReason((this.parent ?? this).report) &&
      budget.exhausted(now)
    );
  }

  /** Whether the provider's budget is spent right now (its own, or its provider's for an endpoint). */
  budgetSpent(now: number = this.clock.now()): boolean {
    return this.ledger.budget?.exhausted(now) === true;
  }

  /** Milliseconds until the budget's window frees up enough to spend again; 0 when it is not spent. */
  budgetFreesInMs(now: number = this.clock.now()): number {
    return this.ledger.budget?.msUntilFree(now) ?? 0;
  }

  /**
   * Records an outcome observed elsewhere (your own client, a queue worker): the same as a request
   * the gate observed. `durationMs` / `ttfbMs` are -1 when unknown, `statusCode` 0 without a response.
   */
  record(
    admission: Admission,
    outcome: Outcome,
    statusCode = 0,
    durationMs = -1,
    ttfbMs = -1,
    reason?: string,
    retryAfterMs?: number,
  ): void {
    this.recordRequest({
      admission,
      outcome,
      statusCode,
      durationMs,
      ttfbMs,
      endedAt: this.clock.now(),
      reason,
      retryAfterMs,
    });
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
    return buildHealthMetrics(this.stats, this.clock, this.clock.now(), this.early);
  }

  /** Everything the health endpoints and the status page show for this provider. */
  snapshot(): ProviderHealthSnapshot {
    const now = this.clock.now();
    const report = this.refreshHealth(now);
    return {
      ...this.ownSnapshot(now, report),
      endpoints: [...this.children.values()].map((child) => ({
        ...child.ownSnapshot(now, child.report),
        key: child.endpoint?.key ?? child.name,
        region: child.endpoint?.region ?? null,
        address: child.endpoint?.address ?? null,
      })),
    };
  }

  private ownSnapshot(now: number, report: HealthReport): Omit<ProviderHealthSnapshot, 'endpoints'> {
    const retryMs = this.breaker.retryAfterMs(now);
    return {
      name: this.name,
      status: report.status,
      reasons: report.reasons,
      circuitState: this.breaker.state,
      nextTrialIn: this.breaker.state === 'open' && Number.isFinite(retryMs) ? retryMs / 1000 : null,
      metrics: buildHealthMetrics(this.stats, this.clock, now, this.early),
    };
  }

  /** Close the breaker and clear counters (operator action). */
  reset(): void {
    this.breaker.reset();
    this.refreshHealth(this.clock.now());
  }

  private onTransition(event: TransitionEvent): void {
    if (event.to === 'closed') this.stats.clearRecent();
    this.early.circuitClosed = event.to === 'closed';
    this.events.emit('transition', event);
    // The breaker has taken over (or a closed circuit starts afresh): the early warning ends.
    if (this.early.trend.reset()) this.announceTrend();
    this.refreshHealth(this.clock.now());
  }

  private refreshHealth(now: number, fromEndpoint = false): HealthReport {
    this.lastHealthAt = now;
    let next = this.ownHealth(now);
    if (this.children.size !== 0) {
      // An endpoint that changed tells its provider with its report already fresh; a read refreshes all.
      if (!fromEndpoint) for (const child of this.children.values()) child.refreshOwn(now);
      next = aggregateReports(
        next,
        this.direct,
        [...this.children.values()].map((child) => child.report),
      );
    }
    if (this.adopt(next, now)) this.parent?.refreshHealth(now, true);
    return next;
  }

  /** Takes a fresh report; tells `status` listeners when the status moved (then true). */
  private adopt(next: HealthReport, now: number): boolean {
    const previous = this.report;
    this.lastHealthAt = now;
    if (next === previous) return false;
    this.report = next;
    if (next.status === previous.status) return false;
    this.events.emit('status', {
      provider: this.name,
      status: next.status,
      previous: previous.status,
      report: next,
      at: this.clock.wallNow(),
    });
    return true;
  }

  /**
   * Health from the breaker, the stats and the early signals, and the budget: a spent budget is
   * at least `degraded` (docs/design.md, "Token usage and cost").
   */
  private ownHealth(now: number): HealthReport {
    if (now >= this.nextSignalsAt) this.sampleSignals(now);
    const report = computeHealth(this.breaker.state, this.stats, this.config.thresholds, now, this.early);
    return this.ledger.budget !== undefined && this.budgetSpent(now) ? withBudgetSpent(report) : report;
  }

  /** About once a second: the baseline learns the slots that completed, the trend detector judges them. */
  private sampleSignals(now: number): void {
    this.nextSignalsAt = now + SIGNALS_EVERY_MS;
    const changed = this.early.sample(now, this.clock.wallNow(), this.breaker.state === 'closed');
    const slowCall = this.config.slowCall;
    if (changed & REFERENCE_CHANGED && slowCall !== false && typeof slowCall.duration !== 'number') {
      this.breaker.slowCallDuration = relativeLimitMs(slowCall.duration, this.early.reference);
    }
    if (changed & WARNING_CHANGED) this.announceTrend();
  }

  private announceTrend(): void {
    const trend = this.early.trend;
    const event: TrendEvent = {
      provider: this.name,
      warning: trend.warning !== 0,
      signals: trend.signals(),
      at: this.clock.wallNow(),
      detail: trendDetail(this.stats, this.early.reference, this.clock.now()),
    };
    log(
      event.warning ? 'warn' : 'info',
      event.warning
        ? `early warning for provider ${this.name}: ${event.signals.join(' and ')} trending up`
        : `early warning cleared for provider ${this.name}`,
      { provider: this.name, signals: event.signals, detail: event.detail },
    );
    this.events.emit('trend', event);
  }

  /** An endpoint's own health, without telling its provider again (its provider is asking). */
  private refreshOwn(now: number): void {
    if (this.parent === undefined) return;
    this.adopt(this.ownHealth(now), now);
  }
}
