import { runUnderBreaker } from './gate/run-under-breaker.js';
import { getRegistry } from './providers/global-registry.js';
import type { Provider } from './providers/provider.js';

/**
 * Runs `fn` under a provider's breaker: while the circuit is open it throws CircuitOpenError
 * without calling `fn`; otherwise the outcome (a resolved value is a success, a fetch Response
 * is classified by status, a thrown error by its status, headers or code) is recorded.
 * Requests `fn` makes to that provider are not admitted or recorded a second time.
 */
export function execute<T>(provider: string | Provider, fn: () => Promise<T> | T): Promise<T> {
  const registry = getRegistry();
  const target = typeof provider === 'string' ? registry.getOrCreateProvider(provider) : provider;
  return runUnderBreaker(registry, target, fn);
}
