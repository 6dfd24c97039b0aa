import { lazyRequire } from '../common/lazy-require.js';

/**
 * The instrumentation scope of the plugin's meter and tracer: `otel_scope_name` and
 * `otel_scope_version` on every Prometheus series, the scope of every span it makes.
 */
export const SCOPE_NAME = 'provider-health';

// Set by the build (tsup.config.ts); unset when the sources run directly (tests).
declare const __PROVIDER_HEALTH_VERSION__: string | undefined;

let version: string | undefined | null = null;

/**
 * This package's version: set by the build, else read once from its own package.json (exported
 * as `provider-health/package.json`).
 */
export function scopeVersion(): string | undefined {
  if (typeof __PROVIDER_HEALTH_VERSION__ === 'string') return __PROVIDER_HEALTH_VERSION__;
  if (version !== null) return version;
  try {
    const manifest = lazyRequire<{ version?: unknown }>('provider-health/package.json');
    version = typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    version = undefined;
  }
  return version;
}
