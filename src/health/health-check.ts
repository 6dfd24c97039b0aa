import { executeScope } from '../breaker/execute-scope.js';
import { classify } from '../outcome/classify.js';
import type { Classification } from '../outcome/outcome.js';
import type { Provider } from '../providers/provider.js';

/** An active health check: resolves to how the probe went. It must honour `signal`. */
export type HealthProbe = (signal: AbortSignal) => Promise<Classification>;

export interface HealthCheckResult {
  provider: string;
  /** `skipped` when the provider has no probe (no URL configured, no API key for its built-in probe). */
  outcome: Classification['outcome'] | 'skipped';
  reason: string;
  durationMs: number;
  circuitState: string;
  checkedAt: string;
}

/** A probe that GETs `url` (with optional headers) and classifies the answer like real traffic. */
export function urlProbe(url: string, headers: Record<string, string> = {}): HealthProbe {
  return async (signal) => {
    try {
      const response = await fetch(url, { method: 'GET', headers, signal, redirect: 'manual' });
      // Drain the body so the connection is reused and nothing is left buffered.
      const body = response.status >= 400 ? (await response.text()).slice(0, 4096) : undefined;
      if (body === undefined) await response.arrayBuffer();
      return classify({ status: response.status, headers: response.headers, body });
    } catch (error) {
      return classify({ error });
    }
  };
}

/**
 * Runs one probe for a provider and feeds it to the breaker: while closed it counts like a
 * request; while open a success starts the half-open trials (never closes directly).
 * Requests the probe makes are not admitted by the interceptors (execute scope).
 */
export async function runHealthCheck(
  provider: Provider,
  probe: HealthProbe,
  timeoutMs: number,
): Promise<HealthCheckResult> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  let result: Classification;
  try {
    result = await executeScope().run(provider.name, () => probe(signal));
  } catch (error) {
    result = classify({ error });
  }
  const durationMs = performance.now() - started;
  const state = provider.breaker.state;
  if (state === 'open' && result.outcome === 'success') provider.breaker.onHealthCheckSuccess();
  else if (state === 'closed')
    provider.record(0, result.outcome, 0, durationMs, -1, `health check: ${result.reason}`);
  return {
    provider: provider.name,
    outcome: result.outcome,
    reason: result.reason,
    durationMs,
    circuitState: provider.breaker.state,
    checkedAt: new Date().toISOString(),
  };
}
