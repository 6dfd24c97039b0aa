import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OPTIONS,
  ENV_VARS,
  isConfigError,
  type ProviderHealthOptions,
  type ResolvedOptions,
  resolveOptions,
} from '../../src/config/index.js';

/** Returns 'ok' after checking the result is complete, 'config' for a ConfigError; anything else throws. */
function outcome(run: () => ResolvedOptions): 'ok' | 'config' {
  let resolved: ResolvedOptions;
  try {
    resolved = run();
  } catch (error) {
    if (isConfigError(error)) return 'config';
    throw error;
  }
  // The settings whose default is "none" (no token, no baselines on disk, no fleet).
  const optional: readonly string[] = ['adminToken', 'baselineDir', 'fleetRedis', 'fleetName'];
  for (const key of Object.keys(DEFAULT_OPTIONS) as (keyof ResolvedOptions)[]) {
    if (!optional.includes(key)) expect(resolved[key], key).not.toBeUndefined();
  }
  expect(resolved.providers).toBeTypeOf('object');
  expect(Number.isSafeInteger(resolved.failureThreshold) && resolved.failureThreshold >= 1).toBe(true);
  expect(resolved.degradedFailureRate >= 0 && resolved.degradedFailureRate <= 1).toBe(true);
  return 'ok';
}

// Strings shaped like real values as well as noise, so both branches are exercised.
const plausible = fc.oneof(
  fc.string(),
  fc.constantFrom('off', 'observe', 'error', '0', '5', '60s', '1.5m', '0.5', ':9465', '[::1]:1', 'a=b.c'),
  fc.stringMatching(/^[0-9.]{1,6}(ms|s|m|h)?$/),
  fc.stringMatching(/^[a-z*-]{1,6}=[a-z0-9.*:[\]-]{1,12}(,[a-z]{1,4}=[a-z.*]{1,8})?$/),
);
const knownEnv = fc.dictionary(fc.constantFrom(...ENV_VARS), plausible);
const anyEnv = fc.dictionary(
  fc.oneof(
    fc.constantFrom(...ENV_VARS),
    fc.string().map((s) => `PROVIDER_HEALTH_${s}`),
    fc.string(),
  ),
  fc.string(),
);

describe('resolveOptions never throws anything but a ConfigError', () => {
  it('for arbitrary values of the known variables', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(knownEnv, (env) => {
        seen.add(outcome(() => resolveOptions({}, env)));
      }),
      { numRuns: 2_000 },
    );
    // Guards the test itself: both branches must have been reached.
    expect([...seen].sort()).toEqual(['config', 'ok']);
  });

  it('for arbitrary variable names and values', () => {
    fc.assert(
      fc.property(anyEnv, (env) => void outcome(() => resolveOptions({}, env))),
      { numRuns: 1_000 },
    );
  });

  it('for arbitrary values passed in code', () => {
    const options = fc.oneof(
      fc.anything(),
      fc.record(
        { mode: fc.anything(), providers: fc.dictionary(fc.string(), fc.anything()), server: fc.anything() },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(options, (code) => void outcome(() => resolveOptions(code as ProviderHealthOptions, {}))),
      { numRuns: 1_000 },
    );
  });
});
