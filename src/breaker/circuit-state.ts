/** The three states of a provider's circuit; string values are the ones metrics and JSON carry. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** Why a circuit changed state; carried by transition events and log lines. */
/** The reasons a breaker moves by its own decision (or an operator's), in one list. */
export const OWN_TRANSITION_REASONS = [
  'failure_threshold',
  'slow_call_rate',
  'recovery_timeout',
  'success_threshold',
  'half_open_failure',
  'half_open_slow_call',
  'trial_timeout',
  'health_check',
  'manual_reset',
  'manual_open',
] as const;

export type TransitionReason =
  | (typeof OWN_TRANSITION_REASONS)[number]
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

/**
 * How long a finished call took, as the slow-call rule reads it (a provider's recorded request
 * is one). Passed as the object, not as numbers: V8 boxes a fractional number passed to a call
 * it does not inline, and this is on the record path.
 */
export interface CallTiming {
  /** Whole duration, ms; negative when unknown. */
  readonly durationMs: number;
  /** Time to the response headers, ms; negative when none arrived. */
  readonly ttfbMs: number;
}

/**
 * The time the slow-call rule judges: time to the response headers when there were any, else the
 * whole duration; negative when neither is known (docs/design.md, "Breaker semantics"). A stream's
 * headers come with its first bytes and a non-streamed answer's when the answer is ready, so the
 * headers are what both mean; the whole duration counts for a call that got none (a timeout).
 */
export function slowCallTime(call: CallTiming): number {
  const ttfb = call.ttfbMs;
  return ttfb >= 0 ? ttfb : call.durationMs;
}
