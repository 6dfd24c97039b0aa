// Symbol.for, not a module-local symbol: the preload (CommonJS build) and the app's `import`
// (ESM build) load two copies of this class, and the brand must match across both.
const BRAND = Symbol.for('provider-health.CircuitOpenError');

/** Thrown (or given as a fetch error's `cause`) when a provider's circuit is open. */
export class CircuitOpenError extends Error {
  readonly code = 'ERR_CIRCUIT_OPEN';
  readonly [BRAND] = true;

  constructor(
    readonly provider: string,
    /** Milliseconds until the next half-open trial; Infinity while forced open. */
    readonly retryAfterMs: number,
  ) {
    super(
      `circuit breaker open for provider ${provider}` +
        (Number.isFinite(retryAfterMs)
          ? `; next trial in ${Math.ceil(retryAfterMs / 1000)} s`
          : '; held open by an operator'),
    );
    this.name = 'CircuitOpenError';
  }
}

/** The CircuitOpenError in `error` or its `cause` chain (fetch wraps it in TypeError('fetch failed')). */
export function getCircuitOpenError(error: unknown): CircuitOpenError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    if ((current as Record<symbol, unknown>)[BRAND] === true) return current as CircuitOpenError;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True for a CircuitOpenError from any copy of this package, or an error caused by one. */
export function isCircuitOpenError(error: unknown): error is Error {
  return getCircuitOpenError(error) !== undefined;
}
