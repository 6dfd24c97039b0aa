export interface BreakerOptions {
  /** Consecutive failures that open a closed circuit. @default 5 */
  failureThreshold: number;
  /** Time a circuit stays open before half-open trials are let through, ms. @default 60000 */
  recoveryTimeoutMs: number;
  /** Consecutive half-open successes that close it; also the most trials in flight at once. @default 3 */
  successThreshold: number;
  /** A half-open trial unsettled for this long counts as a timeout failure, ms. @default 30000 */
  trialTimeoutMs: number;
}

export const DEFAULT_BREAKER_OPTIONS: Readonly<BreakerOptions> = {
  failureThreshold: 5,
  recoveryTimeoutMs: 60_000,
  successThreshold: 3,
  trialTimeoutMs: 30_000,
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
