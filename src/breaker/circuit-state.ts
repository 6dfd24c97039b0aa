/** The three states of a provider's circuit; string values are the ones metrics and JSON carry. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** Why a circuit changed state; carried by transition events and log lines. */
export type TransitionReason =
  | 'failure_threshold'
  | 'recovery_timeout'
  | 'success_threshold'
  | 'half_open_failure'
  | 'trial_timeout'
  | 'health_check'
  | 'manual_reset'
  | 'manual_open'
  /** Another replica's decision, applied from the fleet (docs/design.md, "Fleet"); the detail says whose and why. */
  | 'fleet';

export interface TransitionEvent {
  provider: string;
  from: CircuitState;
  to: CircuitState;
  reason: TransitionReason;
  /** Wall-clock time of the transition, ms since the epoch. */
  at: number;
  /** Wall-clock time of the next half-open trial when the circuit opened; undefined otherwise or while held open. */
  nextTrialAt: number | undefined;
  /** Short description of the failure that caused it, when one did. */
  detail?: string;
}

/**
 * Result of `admit()`: a number so the closed path allocates nothing.
 * `REJECTED` (-1) means answer locally; `ADMITTED` (0) a normal request; a positive number is
 * the id of a half-open trial, to be handed back to `onSuccess` / `onFailure`.
 */
export type Admission = number;
export const REJECTED: Admission = -1;
export const ADMITTED: Admission = 0;
