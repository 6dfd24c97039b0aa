import type { ProviderHealthOptions } from './config/options.js';
import { resolveOptions } from './config/resolve.js';
import { installInterception } from './intercept/index.js';
import { configureRegistry } from './providers/global-registry.js';
import type { ProviderRegistry } from './providers/registry.js';
import { log, logOnce } from './telemetry/log.js';

const STARTED = Symbol.for('provider-health.started');
type GlobalWithStarted = typeof globalThis & { [STARTED]?: ProviderRegistry | null };

/**
 * Starts the plugin: registry from options, environment and config file; interception of
 * fetch, undici and node:http. Returns the registry, or undefined when disabled
 * (`PROVIDER_HEALTH_MODE=off`) or misconfigured — then one message names the bad key and
 * the host runs untouched. A second call returns what the first started.
 */
export function start(options: ProviderHealthOptions = {}): ProviderRegistry | undefined {
  const holder = globalThis as GlobalWithStarted;
  if (holder[STARTED] !== undefined) return holder[STARTED] ?? undefined;
  holder[STARTED] = null;
  try {
    const resolved = resolveOptions(options);
    if (resolved.mode === 'off') return undefined;
    const registry = configureRegistry(options);
    installInterception();
    holder[STARTED] = registry;
    log('debug', 'started', { mode: resolved.mode });
    return registry;
  } catch (error) {
    logOnce('start', 'provider-health is disabled for this process', error);
    return undefined;
  }
}
