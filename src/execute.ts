import { performance } from 'node:perf_hooks';
import { CircuitOpenError } from './breaker/circuit-open-error.js';
import { REJECTED } from './breaker/circuit-state.js';
import { executeScope } from './breaker/execute-scope.js';
import { classify } from './outcome/classify.js';
import { getRegistry } from './providers/global-registry.js';
import type { Provider } from './providers/provider.js';

/**
 * Runs `fn` under a provider's breaker: while the circuit is open it throws CircuitOpenError
 * without calling `fn`; otherwise the outcome (a resolved value is a success, a fetch Response
 * is classified by status, a thrown error by its status, headers or code) is recorded.
 * Requests `fn` makes to that provider are not admitted or recorded a second time.
 */
export async function execute<T>(
  provider: string | Provider,
  fn: (signal?: AbortSignal) => Promise<T> | T,
): Promise<T> {
  const target = typeof provider === 'string' ? getRegistry().getOrCreateProvider(provider) : provider;
  const admission = target.admit();
  if (admission === REJECTED) {
    target.record(admission, 'rejected');
    throw new CircuitOpenError(target.name, target.breaker.retryAfterMs());
  }
  const started = performance.now();
  let result: T;
  try {
    result = await executeScope().run(target.name, fn);
  } catch (error) {
    const { outcome, reason, retryAfterMs } = classify({ error });
    const status = statusOf(error);
    target.record(admission, outcome, status, performance.now() - started, -1, reason, retryAfterMs);
    throw error;
  }
  const status = result instanceof Response ? result.status : 0;
  const { outcome, reason, retryAfterMs } =
    result instanceof Response
      ? classify({ status, headers: result.headers })
      : { outcome: 'success' as const, reason: 'resolved', retryAfterMs: undefined };
  target.record(admission, outcome, status, performance.now() - started, -1, reason, retryAfterMs);
  return result;
}

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 100 && status < 600 ? status : 0;
}
