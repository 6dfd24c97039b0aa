/**
 * What happened to one request to a provider, as recorded in `ai_provider.outcome`.
 * The table in docs/design.md ("Outcomes") is the contract; the order here is the index order
 * used by per-outcome counters (`OUTCOME_INDEX`).
 */
export const OUTCOMES = [
  'success',
  'provider_error',
  'timeout',
  'connection_error',
  'rate_limited',
  'quota_exhausted',
  'auth_error',
  'client_error',
  'canceled',
  'rejected',
  'budget_exceeded',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_INDEX: Readonly<Record<Outcome, number>> = Object.fromEntries(
  OUTCOMES.map((outcome, index) => [outcome, index]),
) as Record<Outcome, number>;

/** Outcomes that open a circuit unless a provider's rules say otherwise. */
export const DEFAULT_TRIPPING_OUTCOMES: readonly Outcome[] = [
  'provider_error',
  'timeout',
  'connection_error',
];

/**
 * Outcomes that never touch the breaker's counters: the caller gave up, or we answered locally
 * (an open circuit, or a spent budget with `budgetAction: reject`).
 */
export const UNCOUNTED_OUTCOMES: readonly Outcome[] = ['canceled', 'rejected', 'budget_exceeded'];

/** Outcomes the plugin itself decided, never the provider's answer: no rule may produce them. */
export const LOCAL_OUTCOMES: readonly Outcome[] = ['rejected', 'budget_exceeded'];

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value);
}

/** The result of classifying one response or error. */
export interface Classification {
  outcome: Outcome;
  /** Why, in a few words, for logs and `last_failure_reason` (e.g. `HTTP 529 overloaded_error`). */
  reason: string;
  /** Minimum wait the provider asked for (`retry-after`, `retry-after-ms`), in milliseconds. */
  retryAfterMs?: number;
}
