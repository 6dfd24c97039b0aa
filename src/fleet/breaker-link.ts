import type { BreakerCoordinator, SharedState, TrialResult } from '../breaker/breaker-coordinator.js';
import type { CircuitBreaker } from '../breaker/circuit-breaker.js';
import { OWN_TRANSITION_REASONS, type TransitionReason } from '../breaker/circuit-state.js';
import type { Clock } from '../common/clock.js';
import { type FleetLog, safeLog } from './fleet-log.js';
import type { FleetProviderState } from './fleet-mirror.js';
import type { FleetStore } from './fleet-store.js';
import type { FleetLease, FleetTrialOutcome } from './fleet-types.js';

/** A slot granted but not used by then goes back to the fleet (docs/fleet.md, "Leases"). */
export const UNUSED_LEASE_MS = 1_000;
const IGNORED: FleetTrialOutcome = { outcome: 'ignored' };
/** Trials whose end never came (their request hung past a transition) are forgotten beyond this. */
const MAX_TRIALS_TRACKED = 64;

/** The breaker's reasons a fleet record can carry; the rest (`failures_counted`, `restored`) are not transitions. */
const TRANSITION_REASONS: ReadonlySet<string> = new Set<TransitionReason>(OWN_TRANSITION_REASONS);

/**
 * One breaker's side of the fleet (docs/design.md, "Fleet"): what the breaker reports goes to the
 * store, the fleet's state comes back through `apply`, and the trial slots (leases) this replica
 * was granted wait here for the next request. Set on the breaker only while the store is connected.
 */
export class FleetBreakerLink implements BreakerCoordinator {
  /** Granted slots not yet used, oldest first. */
  private readonly unused: FleetLease[] = [];
  /** Trials running under a slot, by the breaker's trial id. */
  private readonly trials = new Map<number, FleetLease>();
  private asking = false;
  /** The breaker opened on its own run of failures, which the fleet has not answered yet. */
  private ownTrip = false;
  private releaseTimer: unknown;
  private detached = false;

  constructor(
    private readonly store: FleetStore,
    readonly breaker: CircuitBreaker,
    private readonly clock: Clock,
    private readonly log: FleetLog,
  ) {}

  get provider(): string {
    return this.breaker.provider;
  }

  failure(detail: string | undefined, minOpenMs: number): void {
    if (this.breaker.consecutiveFailures >= this.breaker.failureThreshold) this.ownTrip = true;
    this.store.failure(this.provider, {
      failureThreshold: this.breaker.failureThreshold,
      recoveryTimeoutMs: this.breaker.recoveryTimeout,
      minOpenMs,
      detail,
    });
  }

  success(): void {
    this.store.success(this.provider);
  }

  tripped(reason: 'slow_call_rate', detail: string): void {
    void this.store
      .trip(this.provider, { reason, detail, recoveryTimeoutMs: this.breaker.recoveryTimeout })
      .then((applied) => {
        if (this.detached) return;
        // Open already (another replica was first): this breaker takes the fleet's opening.
        const state = this.store.state(this.provider);
        if (!applied && state !== undefined && state.state !== 'closed') this.apply(state);
      });
  }

  takeTrialSlot(id: number): number | undefined {
    const now = this.clock.now();
    const state = this.store.state(this.provider);
    for (let lease = this.unused.shift(); lease !== undefined; lease = this.unused.shift()) {
      // A slot of an earlier half-open period, or expired, is one Redis no longer counts.
      if (!isCurrent(lease, state, now)) continue;
      if (this.trials.size >= MAX_TRIALS_TRACKED) this.forgetOldTrials(now);
      this.trials.set(id, lease);
      return lease.acquiredAt;
    }
    this.askForSlot();
    return undefined;
  }

  trialEnded(id: number, result: TrialResult): void {
    const lease = this.trials.get(id);
    if (lease === undefined) return;
    this.trials.delete(id);
    this.store.trialResult(lease, this.outcome(result));
  }

  reset(): void {
    void this.store.reset(this.provider).then((applied) => this.reached(applied, 'reset'));
  }

  forceOpen(durationMs: number | undefined): void {
    this.ownTrip = false;
    void this.store
      .forceOpen(this.provider, durationMs)
      .then((applied) => this.reached(applied, 'force-open'));
  }

  healthCheckSucceeded(): void {
    this.store.healthCheckSucceeded(this.provider);
  }

  /**
   * The fleet's state of this provider (undefined: closed, nothing counted) applied to the breaker.
   * A change this replica made keeps its own reason; another replica's reads `fleet`, with who and why.
   */
  apply(state: FleetProviderState | undefined): void {
    const closed = state === undefined || state.state === 'closed';
    if (this.ownTrip) {
      // Opened here on failures still on their way: a closed fleet state is from before them.
      if (closed && this.store.countsPending(this.provider)) return;
      this.ownTrip = false;
    }
    if (state?.state !== 'half_open') this.unused.length = 0;
    this.breaker.applyShared(sharedState(state, this.store.replicaId, this.clock.now()));
  }

  /**
   * This replica's failures were all counted. If the breaker opened on them and the fleet is still
   * closed (a success elsewhere broke the run), the fleet's state wins: this breaker closes again.
   */
  counted(): void {
    if (!this.ownTrip || this.detached) return;
    this.apply(this.store.state(this.provider));
  }

  /** The store went away (disconnected, closed): unused slots go back, and nothing more is asked. */
  detach(): void {
    this.detached = true;
    this.clock.clearTimer(this.releaseTimer);
    this.releaseTimer = undefined;
    for (const lease of this.unused.splice(0)) this.store.trialResult(lease, IGNORED);
    this.trials.clear();
  }

  private askForSlot(): void {
    if (this.asking || this.detached) return;
    this.asking = true;
    const request = { maxTrials: this.breaker.successThreshold, leaseMs: this.breaker.trialTimeout };
    void this.store.acquireTrialLease(this.provider, request).then((lease) => {
      this.asking = false;
      if (lease === undefined) {
        // The fleet may have closed while this breaker missed it: a closed answer says so.
        const state = this.store.state(this.provider);
        if ((state === undefined || state.state === 'closed') && !this.detached) this.apply(state);
        return;
      }
      if (this.detached) {
        this.store.trialResult(lease, IGNORED);
        return;
      }
      this.unused.push(lease);
      this.scheduleRelease();
    });
  }

  private scheduleRelease(): void {
    if (this.releaseTimer !== undefined) return;
    this.releaseTimer = this.clock.setTimer(() => {
      this.releaseTimer = undefined;
      this.releaseUnused();
    }, UNUSED_LEASE_MS);
  }

  /** Slots no request has taken within UNUSED_LEASE_MS free up for replicas that have traffic. */
  private releaseUnused(): void {
    const now = this.clock.now();
    while (this.unused.length > 0 && now - (this.unused[0] as FleetLease).acquiredAt >= UNUSED_LEASE_MS) {
      this.store.trialResult(this.unused.shift() as FleetLease, IGNORED);
    }
    if (this.unused.length > 0) this.scheduleRelease();
  }

  private forgetOldTrials(now: number): void {
    for (const [id, lease] of this.trials) {
      if (now - lease.acquiredAt > 2 * lease.leaseMs) this.trials.delete(id);
    }
  }

  private outcome(result: TrialResult): FleetTrialOutcome {
    if (result.outcome === 'success') {
      return { outcome: 'success', successThreshold: this.breaker.successThreshold };
    }
    if (result.outcome === 'ignored') return IGNORED;
    return {
      outcome: 'failure',
      recoveryTimeoutMs: this.breaker.recoveryTimeout,
      minOpenMs: result.minOpenMs,
      reason: result.reason,
      detail: result.detail,
    };
  }

  private reached(applied: boolean, action: string): void {
    if (applied || this.detached) return;
    safeLog(
      this.log,
      'warn',
      `fleet ${this.store.fleet}: the ${action} of ${this.provider} did not reach the fleet; it applies to this replica only`,
    );
  }
}

function isTransitionReason(reason: string | undefined): reason is TransitionReason {
  return reason !== undefined && TRANSITION_REASONS.has(reason);
}

function isCurrent(lease: FleetLease, state: FleetProviderState | undefined, now: number): boolean {
  return (
    state !== undefined &&
    state.state === 'half_open' &&
    lease.generation === state.generation &&
    lease.id.startsWith(`${state.epoch}.`) &&
    now < lease.acquiredAt + lease.leaseMs
  );
}

/** The breaker's view of a fleet record; `now` turns the mirror's retryAt back into a duration. */
export function sharedState(
  state: FleetProviderState | undefined,
  replicaId: string,
  now: number,
): SharedState {
  if (state === undefined) {
    return {
      state: 'closed',
      retryInMs: undefined,
      forced: false,
      counting: false,
      reason: 'fleet',
      detail: undefined,
    };
  }
  const own = state.changedBy === replicaId;
  const reason: TransitionReason = own && isTransitionReason(state.reason) ? state.reason : 'fleet';
  return {
    state: state.state,
    retryInMs: state.retryAt === undefined ? undefined : Math.max(0, state.retryAt - now),
    forced: state.forced,
    counting: state.state === 'closed' && state.failures > 0,
    reason,
    detail: reason === 'fleet' ? fleetDetail(state) : state.detail,
  };
}

/** `failure_threshold by web-2:7:1a2b3c4d: HTTP 503`: whose decision it was, and why. */
function fleetDetail(state: FleetProviderState): string {
  const who = state.state === 'open' ? (state.openedBy ?? state.changedBy) : state.changedBy;
  const why = state.reason ?? 'fleet state';
  const by = who === undefined ? '' : ` by ${who}`;
  return state.state === 'closed' || state.detail === undefined
    ? `${why}${by}`
    : `${why}${by}: ${state.detail}`;
}
