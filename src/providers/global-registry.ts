import { logOnce } from '../common/log.js';
import type { ProviderHealthOptions, ResolvedOptions } from '../config/options.js';
import { resolveOptions } from '../config/resolve.js';
import { ProviderRegistry } from './registry.js';

// On globalThis under Symbol.for: the preload loads the CommonJS build and the app may import
// the ESM build, two copies of this module that must share one registry (one breaker per provider).
const KEY = Symbol.for('provider-health.registry');
type GlobalWithRegistry = typeof globalThis & { [KEY]?: ProviderRegistry };

/** The process-wide registry, created on first use from the environment and config file. */
export function getRegistry(): ProviderRegistry {
  const holder = globalThis as GlobalWithRegistry;
  let registry = holder[KEY];
  if (registry === undefined) {
    registry = new ProviderRegistry(optionsOrDefaults());
    holder[KEY] = registry;
  }
  return registry;
}

/**
 * Replaces the process-wide registry with one built from these options (code, then environment,
 * file, defaults), or from options already resolved.
 */
export function configureRegistry(options: ProviderHealthOptions | ResolvedOptions = {}): ProviderRegistry {
  const resolved = isResolved(options) ? options : resolveOptions(options);
  const registry = new ProviderRegistry(resolved);
  (globalThis as GlobalWithRegistry)[KEY] = registry;
  return registry;
}

/**
 * The environment's options; with a bad setting, the defaults after one message naming it.
 * `getRegistry()` backs calls like `pickHealthy()` in the app's own code: a typo in an
 * environment variable must not turn them into exceptions.
 */
function optionsOrDefaults(): ResolvedOptions {
  try {
    return resolveOptions();
  } catch (error) {
    logOnce('start', 'provider-health ignores its configuration: it is invalid', error);
    return resolveOptions({}, {});
  }
}

function isResolved(options: ProviderHealthOptions | ResolvedOptions): options is ResolvedOptions {
  return 'recoveryTimeoutMs' in options && 'statsWindowMs' in options;
}

/** The registry if one exists, without creating it (for shutdown paths). */
export function peekRegistry(): ProviderRegistry | undefined {
  return (globalThis as GlobalWithRegistry)[KEY];
}
