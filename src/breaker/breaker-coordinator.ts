import type { CircuitState, TransitionReason } from './circuit-state.js';

/**
 * What a breaker shares with the other replicas of its service (docs/design.md, "Fleet"). A
 * breaker holds one only while the fleet is reachable; without one it decides alone. It is never
 * consulted on the closed admission path: only for failures, for successes while the fleet counts
 * failures, for half-open trial slots and for operator actions. Every call returns at once:
 * nothing on the request path waits on the network.
 */
export interface BreakerCoordinator {
  /**
   * A tripping failure while closed: counted fleet-wide, it opens the circuit everywhere at the
   * threshold. Reported before the breaker opens itself on its own run of failures, if it does.
   */
  failure(detail: string | undefined, minOpenMs: number): void;
  /** A success while closed, reported only while the fleet counts failures (`SharedState.counting`). */
  success(): void;
  /**
   * This breaker opened by a rule the fleet does not count (the slow-call rule, which judges this
   * replica's own last calls): the fleet opens everywhere too, unless it is open already.
   */
  tripped(reason: 'slow_call_rate', detail: string): void;
  /**
   * Half-open: takes a fleet-wide trial slot this replica holds for trial `id`, and returns when the
   * slot was granted (the trial's timeout runs from then); undefined when it holds none, and then
   * asks the fleet for one.
   */
  takeTrialSlot(id: number): number | undefined;
  /** A trial that ran under a slot ended. */
  trialEnded(id: number, result: TrialResult): void;
  /** Operator actions: the breaker applies them itself at once, and the fleet everywhere. */
  reset(): void;
  forceOpen(durationMs: number | undefined): void;
  /** An active health check passed while open: trials may start. */
  healthCheckSucceeded(): void;
}

export type TrialResult =
  | { outcome: 'success' }
  | {
      outcome: 'failure';
      reason: 'half_open_failure' | 'half_open_slow_call' | 'trial_timeout';
      /** A wait the provider asked for (retry-after). */
      minOpenMs: number;
      detail: string | undefined;
    }
  /** The trial ended without an outcome (a cancel, a 400). */
  | { outcome: 'ignored' };

/** A state the fleet decided, relative to now: durations, never another process' clock. */
export interface SharedState {
  state: CircuitState;
  /** Open: milliseconds from now until trials may start; undefined: held open with no end. */
  retryInMs: number | undefined;
  forced: boolean;
  /** Closed with failures counted fleet-wide: a success here must be reported, so it resets the count. */
  counting: boolean;
  /** The reason of the local transition, if the state changes: `fleet` for another replica's decision. */
  reason: TransitionReason;
  detail: string | undefined;
}
