import { AsyncLocalStorage } from 'node:async_hooks';

// Shared across the CommonJS and ESM copies of the package, like the registry.
const KEY = Symbol.for('provider-health.executeScope');
type GlobalWithScope = typeof globalThis & { [KEY]?: AsyncLocalStorage<string> };

/**
 * The provider whose `execute()` call is running in this async context. The interceptors
 * leave that provider's requests alone inside it: `execute()` already admitted the call and
 * records its outcome, and a second admission would spend a second half-open trial.
 */
export function executeScope(): AsyncLocalStorage<string> {
  const holder = globalThis as GlobalWithScope;
  holder[KEY] ??= new AsyncLocalStorage<string>();
  return holder[KEY];
}
