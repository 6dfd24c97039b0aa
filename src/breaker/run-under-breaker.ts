import { performance } from 'node:perf_hooks';
import { classify } from '../outcome/classify.js';
import type { Classification } from '../outcome/outcome.js';
import type { Provider } from '../providers/provider.js';
import { CircuitOpenError } from './circuit-open-error.js';
import { REJECTED } from './circuit-state.js';
import { executeScope } from './execute-scope.js';

/**
 * Runs `fn` under a provider's breaker, for the explicit APIs (`execute()`, the mollitia module):
 * while the circuit is open it throws CircuitOpenError without calling `fn`; otherwise the outcome
 * is recorded: a resolved value is a success, a fetch Response is classified by its status, a
 * thrown error by its status, headers or code. Requests `fn` makes to that provider are left to
 * this call (execute scope), so they are not admitted or recorded a second time.
 */
export async function runUnderBreaker<T>(provider: Provider, fn: () => Promise<T> | T): Promise<T> {
  const admission = provider.admit();
  if (admission === REJECTED) {
    provider.record(admission, 'rejected');
    throw new CircuitOpenError(provider.name, provider.breaker.retryAfterMs());
  }
  const started = performance.now();
  let result: T;
  try {
    // Inside the try: a function that throws synchronously is recorded too (and frees its trial slot).
    result = await executeScope().run(provider.name, fn);
  } catch (error) {
    record(provider, admission, started, statusOf(error), classify({ error }, provider.config.rules));
    throw error;
  }
  if (result instanceof Response) {
    const status = result.status;
    record(
      provider,
      admission,
      started,
      status,
      classify({ status, headers: result.headers }, provider.config.rules),
    );
  } else {
    record(provider, admission, started, 0, RESOLVED);
  }
  return result;
}

const RESOLVED: Classification = Object.freeze({ outcome: 'success', reason: 'resolved' });

function record(
  provider: Provider,
  admission: number,
  started: number,
  status: number,
  result: Classification,
): void {
  const durationMs = performance.now() - started;
  provider.record(admission, result.outcome, status, durationMs, -1, result.reason, result.retryAfterMs);
}

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 100 && status < 600 ? status : 0;
}
