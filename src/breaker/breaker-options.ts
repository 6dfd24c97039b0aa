export interface BreakerOptions {
  /** Consecutive failures that open a closed circuit. @default 5 */
  failureThreshold: number;
  /** Time a circuit stays open before half-open trials are let through, ms. @default 60000 */
  recoveryTimeoutMs: number;
  /** Consecutive half-open successes that close it; also the most trials in flight at once. @default 3 */
  successThreshold: number;
  /** A half-open trial unsettled for this long counts as a timeout failure, ms. @default 30000 */
  trialTimeoutMs: number;
  /**
   * The slow-call rule (docs/design.md, "Breaker semantics"): a call slower than this is slow,
   * ms. `Infinity` turns the rule off. @default Infinity
   */
  slowCallDurationMs: number;
  /** Share of the last `slowCallMinCalls` calls that must be slow to open the circuit. @default 0.5 */
  slowCallRate: number;
  /** Calls the slow-call rate is computed over; it is judged only once that many were seen. @default 20 */
  slowCallMinCalls: number;
}

export const DEFAULT_BREAKER_OPTIONS: Readonly<BreakerOptions> = {
  failureThreshold: 5,
  recoveryTimeoutMs: 60_000,
  successThreshold: 3,
  trialTimeoutMs: 30_000,
  slowCallDurationMs: Number.POSITIVE_INFINITY,
  slowCallRate: 0.5,
  slowCallMinCalls: 20,
};

/** Thresholds are set at run time by operators; a bad value must fail loudly, not wedge a breaker. */
export function checkPositiveInteger(key: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`provider-health: ${key} must be an integer >= 1, got ${String(value)}`);
  }
  return value;
}

export function checkDurationMs(key: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `provider-health: ${key} must be a number of milliseconds >= 0, got ${String(value)}`,
    );
  }
  return value;
}

/** A share above 0 and at most 1: a rate of 0 would call every window slow. */
export function checkRate(key: string, value: number): number {
  if (!(typeof value === 'number' && value > 0 && value <= 1)) {
    throw new RangeError(
      `provider-health: ${key} must be a number above 0 and at most 1, got ${String(value)}`,
    );
  }
  return value;
}

/** The slow-call duration: milliseconds >= 0, or Infinity for "off". */
export function checkSlowCallMs(key: string, value: number): number {
  return value === Number.POSITIVE_INFINITY ? value : checkDurationMs(key, value);
}
