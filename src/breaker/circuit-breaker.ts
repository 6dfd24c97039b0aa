import { type Clock, systemClock, wallTimeOf } from '../common/clock.js';
import type { BreakerCoordinator, SharedState, TrialResult } from './breaker-coordinator.js';
import {
  type BreakerOptions,
  checkDurationMs,
  checkPositiveInteger,
  checkRate,
  checkSlowCallMs,
  DEFAULT_BREAKER_OPTIONS,
} from './breaker-options.js';
import {
  ADMITTED,
  type Admission,
  type CallTiming,
  type CircuitState,
  REJECTED,
  slowCallTime,
  type TransitionEvent,
  type TransitionReason,
} from './circuit-state.js';
import { SlowCallWindow } from './slow-call-window.js';

// Small integers rather than strings so the closed-path check is one comparison.
const CLOSED = 0;
const OPEN = 1;
const HALF_OPEN = 2;
type StateCode = typeof CLOSED | typeof OPEN | typeof HALF_OPEN;
const STATE_NAMES: readonly CircuitState[] = ['closed', 'open', 'half_open'];
const TRIAL_SUCCESS: TrialResult = { outcome: 'success' };
const TRIAL_IGNORED: TrialResult = { outcome: 'ignored' };

/**
 * One provider's circuit, the single source of truth for its state (docs/design.md, "Breaker semantics"):
 *
 *   CLOSED    -> OPEN       after `failureThreshold` consecutive failures, or (slow-call rule,
 *                           when on) `slowCallRate` of the last `slowCallMinCalls` calls slow
 *   OPEN      -> HALF_OPEN  after `recoveryTimeoutMs` (or a successful active health check)
 *   HALF_OPEN -> CLOSED     after `successThreshold` consecutive trial successes
 *   HALF_OPEN -> OPEN       after a trial failure, a slow trial (rule on), or a trial unsettled
 *                           for `trialTimeoutMs`
 *
 * In HALF_OPEN only trials (admissions that returned a trial id) count: a request admitted
 * before the circuit opened and settling late says nothing about the provider now.
 * Admission is synchronous; on the closed path it is one comparison and allocates nothing.
 */
export class CircuitBreaker {
  private code: StateCode = CLOSED;
  private failures = 0;
  private successes = 0;
  private retryAt = 0;
  private forced = false;
  private readonly trialIds: number[] = [];
  private readonly trialStarts: number[] = [];
  private lastTrialId = 0;
  private timer: unknown;
  /** The fleet, while it is reachable (docs/design.md, "Fleet"); undefined: this breaker decides alone. */
  private coordinator: BreakerCoordinator | undefined;
  /** The fleet counts failures: a success while closed must be reported to reset the count. */
  private fleetCounting = false;
  private _failureThreshold: number;
  private _recoveryTimeoutMs: number;
  private _successThreshold: number;
  private _trialTimeoutMs: number;
  private _slowCallMs: number;
  private _slowCallRate: number;
  private _slowCallMinCalls: number;
  /** The last calls' slow marks while the slow-call rule is on; undefined while it is off. */
  private slowCalls: SlowCallWindow | undefined;

  constructor(
    readonly provider: string,
    options: Partial<BreakerOptions> = {},
    private readonly clock: Clock = systemClock,
    /** The owner's hook for every transition (the provider, which publishes it on the event surface). */
    private readonly onTransition?: (event: TransitionEvent) => void,
  ) {
    const merged = { ...DEFAULT_BREAKER_OPTIONS, ...options };
    this._failureThreshold = checkPositiveInteger('failureThreshold', merged.failureThreshold);
    this._recoveryTimeoutMs = checkDurationMs('recoveryTimeout', merged.recoveryTimeoutMs);
    this._successThreshold = checkPositiveInteger('successThreshold', merged.successThreshold);
    this._trialTimeoutMs = checkDurationMs('trialTimeout', merged.trialTimeoutMs);
    this._slowCallRate = checkRate('slowCallRate', merged.slowCallRate);
    this._slowCallMinCalls = checkPositiveInteger('slowCallMinCalls', merged.slowCallMinCalls);
    this._slowCallMs = Number.POSITIVE_INFINITY;
    this.slowCallDuration = merged.slowCallDurationMs;
  }

  get failureThreshold(): number {
    return this._failureThreshold;
  }
  set failureThreshold(value: number) {
    this._failureThreshold = checkPositiveInteger('failureThreshold', value);
  }
  /** Milliseconds open before trials; a change applies from the next opening. */
  get recoveryTimeout(): number {
    return this._recoveryTimeoutMs;
  }
  set recoveryTimeout(value: number) {
    this._recoveryTimeoutMs = checkDurationMs('recoveryTimeout', value);
  }
  get successThreshold(): number {
    return this._successThreshold;
  }
  set successThreshold(value: number) {
    this._successThreshold = checkPositiveInteger('successThreshold', value);
  }
  get trialTimeout(): number {
    return this._trialTimeoutMs;
  }
  set trialTimeout(value: number) {
    this._trialTimeoutMs = checkDurationMs('trialTimeout', value);
  }

  /**
   * Milliseconds above which a call is slow (time to headers, else the whole duration); Infinity
   * turns the slow-call rule off. Changing it keeps the window's marks; turning it off drops them.
   */
  get slowCallDuration(): number {
    return this._slowCallMs;
  }
  set slowCallDuration(value: number) {
    this._slowCallMs = checkSlowCallMs('slowCallDuration', value);
    if (value === Number.POSITIVE_INFINITY) this.slowCalls = undefined;
    else this.slowCalls ??= new SlowCallWindow(this._slowCallMinCalls, this._slowCallRate);
  }
  get slowCallRate(): number {
    return this._slowCallRate;
  }
  set slowCallRate(value: number) {
    this._slowCallRate = checkRate('slowCallRate', value);
    this.slowCalls?.setRate(value);
  }
  /** A change starts a new, empty window. */
  get slowCallMinCalls(): number {
    return this._slowCallMinCalls;
  }
  set slowCallMinCalls(value: number) {
    this._slowCallMinCalls = checkPositiveInteger('slowCallMinCalls', value);
    if (this.slowCalls !== undefined) this.slowCalls = new SlowCallWindow(value, this._slowCallRate);
  }
  /** Slow calls among the last `slowCallMinCalls` counted while closed (0 while the rule is off). */
  get slowCallsInWindow(): number {
    return this.slowCalls?.slow ?? 0;
  }

  /** Current state, after applying any move that time alone makes (open -> half-open, trial timeout). */
  get state(): CircuitState {
    if (this.code !== CLOSED) this.advance(this.clock.now());
    return STATE_NAMES[this.code] as CircuitState;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
  get consecutiveSuccesses(): number {
    return this.successes;
  }
  get trialsInFlight(): number {
    return this.trialIds.length;
  }
  /** True while held open by an operator's `forceOpen()` (with or without an end). */
  get isForcedOpen(): boolean {
    return this.forced;
  }

  /** Milliseconds until the next half-open trial may run; 0 unless open; Infinity when forced open. */
  retryAfterMs(now: number = this.clock.now()): number {
    if (this.code !== OPEN) return 0;
    return Math.max(0, this.retryAt - now);
  }

  /** Wall time (epoch ms) of the next trial while open, else undefined (also while held open). */
  get nextTrialAt(): number | undefined {
    return this.code === OPEN && Number.isFinite(this.retryAt)
      ? wallTimeOf(this.clock, this.retryAt)
      : undefined;
  }

  admit(): Admission {
    if (this.code === CLOSED) return ADMITTED;
    return this.admitSlow(this.clock.now());
  }

  /** @param call how long it took, for the slow-call rule; without it the call is not judged. */
  onSuccess(admission: Admission, call?: CallTiming): void {
    if (this.code === CLOSED) {
      this.failures = 0;
      if (this.fleetCounting) this.coordinator?.success();
      if (this.slowCalls !== undefined && call !== undefined) this.countCall(call);
      return;
    }
    // Out of line, like admitSlow(): the closed path stays small enough to be inlined.
    this.trialSuccess(admission, call);
  }

  private trialSuccess(admission: Admission, call: CallTiming | undefined): void {
    const now = this.clock.now();
    this.advance(now);
    if (this.code !== HALF_OPEN || !this.settleTrial(admission)) return;
    if (this.slowCalls !== undefined && call !== undefined && slowCallTime(call) > this._slowCallMs) {
      this.failTrial(admission, 'half_open_slow_call', now, 0, this.slowDetail(call));
      return;
    }
    // The fleet counts trial successes across replicas and closes the circuit everywhere.
    if (this.coordinator !== undefined) {
      this.coordinator.trialEnded(admission, TRIAL_SUCCESS);
      return;
    }
    this.successes++;
    if (this.successes >= this._successThreshold) this.transition(CLOSED, 'success_threshold', now);
  }

  /**
   * @param minOpenMs a wait the provider asked for (retry-after); the circuit stays open at least that long.
   * @param call how long it took, for the slow-call rule (a slow failure is a slow call too).
   */
  onFailure(admission: Admission, detail?: string, minOpenMs = 0, call?: CallTiming): void {
    const now = this.clock.now();
    if (this.code === CLOSED) {
      if (this.coordinator !== undefined) {
        // Counted fleet-wide: the fleet opens the circuit everywhere at the threshold. Failures of
        // this replica's own that reach it (none reset since, here or by the fleet) open it here
        // at once, without waiting for the fleet's answer.
        this.failures++;
        this.fleetCounting = true;
        this.coordinator.failure(detail, minOpenMs);
        if (this.failures >= this._failureThreshold) this.open('failure_threshold', now, minOpenMs, detail);
        else if (this.slowCalls !== undefined && call !== undefined) this.countCall(call);
        return;
      }
      if (++this.failures >= this._failureThreshold) this.open('failure_threshold', now, minOpenMs, detail);
      else if (this.slowCalls !== undefined && call !== undefined) this.countCall(call);
      return;
    }
    this.advance(now);
    if (this.code !== HALF_OPEN || !this.settleTrial(admission)) return;
    this.failTrial(admission, 'half_open_failure', now, minOpenMs, detail);
  }

  /** A trial that failed reopens the circuit, and the fleet hears of it first (docs/design.md, "Fleet"). */
  private failTrial(
    trial: Admission,
    reason: 'half_open_failure' | 'half_open_slow_call' | 'trial_timeout',
    now: number,
    minOpenMs: number,
    detail: string | undefined,
  ): void {
    this.coordinator?.trialEnded(trial, { outcome: 'failure', reason, minOpenMs, detail });
    this.open(reason, now, minOpenMs, detail);
  }

  /** A call counted while closed, for the slow-call rule (only while it is on). */
  private countCall(call: CallTiming): void {
    const time = slowCallTime(call);
    // A call whose time is unknown (recorded without one) says nothing about slowness.
    if (time < 0) return;
    const window = this.slowCalls as SlowCallWindow;
    if (window.add(time > this._slowCallMs)) {
      const detail = `${window.slow} of the last ${window.size} calls slower than ${this._slowCallMs} ms`;
      // The fleet counts failures, not this replica's slow calls: it takes the opening as made here.
      this.coordinator?.tripped('slow_call_rate', detail);
      this.open('slow_call_rate', this.clock.now(), 0, detail);
    }
  }

  private slowDetail(call: CallTiming): string {
    return `trial took ${Math.round(slowCallTime(call))} ms, slower than ${this._slowCallMs} ms`;
  }

  /** A request admitted as a trial that ended without an outcome (caller canceled): frees its slot. */
  onIgnored(admission: Admission): void {
    if (this.code === HALF_OPEN && this.settleTrial(admission))
      this.coordinator?.trialEnded(admission, TRIAL_IGNORED);
  }

  /** Operator action: close and clear counters. */
  reset(): void {
    this.coordinator?.reset();
    const now = this.clock.now();
    this.forced = false;
    if (this.code === CLOSED) {
      this.failures = 0;
      this.successes = 0;
      this.slowCalls?.clear();
      return;
    }
    this.transition(CLOSED, 'manual_reset', now);
  }

  /** Operator action: open now; for `durationMs`, or until `reset()` when none is given. */
  forceOpen(durationMs?: number): void {
    const now = this.clock.now();
    // Held by an operator: a health check does not end it early, only time (if given) or reset().
    this.forced = true;
    const openFor =
      durationMs === undefined ? Number.POSITIVE_INFINITY : checkDurationMs('durationMs', durationMs);
    this.coordinator?.forceOpen(durationMs);
    // An operator's duration is exact: not stretched to the recovery timeout.
    this.open('manual_open', now, openFor, undefined, true);
  }

  /** An active health check succeeded: an open circuit may start its trials now, never close directly. */
  onHealthCheckSuccess(): void {
    if (this.code !== OPEN || this.forced) return;
    this.coordinator?.healthCheckSucceeded();
    this.transition(HALF_OPEN, 'health_check', this.clock.now());
  }

  /** Shares this circuit with the fleet, or (undefined) decides alone again, from the state it is in. */
  coordinate(coordinator: BreakerCoordinator | undefined): void {
    this.coordinator = coordinator;
    this.fleetCounting = false;
  }

  /**
   * Applies a state the fleet decided (docs/design.md, "Fleet"): open for a duration from now or
   * with no end, half-open, or closed. Already in that state, only the time to the trials moves.
   */
  applyShared(shared: SharedState): void {
    const now = this.clock.now();
    this.fleetCounting = shared.counting;
    // The fleet's count went back to 0 (a success elsewhere): this replica's run of failures ends too.
    if (shared.state === 'closed' && !shared.counting && this.code === CLOSED) this.failures = 0;
    if (shared.state === 'open') {
      this.forced = shared.forced;
      const openFor = shared.retryInMs ?? Number.POSITIVE_INFINITY;
      this.open(this.code === OPEN ? 'fleet' : shared.reason, now, openFor, shared.detail, true);
    } else if (shared.state === 'half_open') {
      if (this.code !== HALF_OPEN) this.transition(HALF_OPEN, shared.reason, now, shared.detail);
    } else if (this.code !== CLOSED) {
      this.transition(CLOSED, shared.reason, now, shared.detail);
    }
  }

  private admitSlow(now: number): Admission {
    this.advance(now);
    if (this.code === CLOSED) return ADMITTED;
    if (this.code === OPEN || this.trialIds.length >= this._successThreshold) return REJECTED;
    let start = now;
    if (this.coordinator !== undefined) {
      // Only under a fleet-wide slot: at most successThreshold trials across the fleet.
      const granted = this.coordinator.takeTrialSlot(this.lastTrialId + 1);
      if (granted === undefined) return REJECTED;
      start = granted;
    }
    const id = ++this.lastTrialId;
    this.trialIds.push(id);
    this.trialStarts.push(start);
    return id;
  }

  /** Moves that time alone makes. Trials start in time order, so the oldest is first. */
  private advance(now: number): void {
    if (this.code === OPEN && now >= this.retryAt) this.transition(HALF_OPEN, 'recovery_timeout', now);
    if (this.code === HALF_OPEN) {
      const oldest = this.trialStarts[0];
      if (oldest !== undefined && now - oldest >= this._trialTimeoutMs) {
        const trial = this.trialIds[0] as number;
        this.failTrial(trial, 'trial_timeout', now, 0, `trial unsettled after ${this._trialTimeoutMs} ms`);
      }
    }
  }

  /** Removes a live trial; false for a non-trial or a stale id (expired, or from an earlier half-open). */
  private settleTrial(admission: Admission): boolean {
    if (admission <= 0) return false;
    const index = this.trialIds.indexOf(admission);
    if (index < 0) return false;
    this.trialIds.splice(index, 1);
    this.trialStarts.splice(index, 1);
    return true;
  }

  private open(
    reason: TransitionReason,
    now: number,
    minOpenMs: number,
    detail?: string,
    exact = false,
  ): void {
    this.cancelTimer();
    this.retryAt = now + (exact ? minOpenMs : Math.max(this._recoveryTimeoutMs, minOpenMs));
    this.transition(OPEN, reason, now, detail);
    if (Number.isFinite(this.retryAt)) {
      // One timer per opening (not per request) so the move to half-open is seen live by
      // gauges and event streams even when no request arrives to trigger it.
      this.armTimer(now);
    }
  }

  private armTimer(now: number): void {
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      if (this.code !== OPEN) return;
      const at = this.clock.now();
      // Node's timers count from the event loop's cached time, which lags the clock on a busy
      // loop: the timer may fire a little before retryAt. It then waits for the rest.
      if (at < this.retryAt) this.armTimer(at);
      else this.advance(at);
    }, this.retryAt - now);
  }

  private transition(to: StateCode, reason: TransitionReason, now: number, detail?: string): void {
    const from = this.code;
    this.code = to;
    this.successes = 0;
    this.trialIds.length = 0;
    this.trialStarts.length = 0;
    if (to !== OPEN) {
      this.forced = false;
      this.cancelTimer();
    }
    if (to === CLOSED) {
      this.failures = 0;
      // Like the stats window: what was slow before the outage says nothing about now.
      this.slowCalls?.clear();
    }
    if (from === to && reason !== 'manual_open') return;
    const listener = this.onTransition;
    if (listener === undefined) return;
    const event: TransitionEvent = {
      provider: this.provider,
      from: STATE_NAMES[from] as CircuitState,
      to: STATE_NAMES[to] as CircuitState,
      reason,
      at: wallTimeOf(this.clock, now),
      nextTrialAt: to === OPEN ? this.nextTrialAt : undefined,
    };
    if (detail !== undefined) event.detail = detail;
    listener(event);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
