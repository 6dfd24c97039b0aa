import { afterEach, describe, expect, it } from 'vitest';
import { REJECTED } from '../../src/breaker/circuit-state.js';
import { CircuitOpenError } from '../../src/common/circuit-open-error.js';
import { execute } from '../../src/execute.js';
import { configureRegistry } from '../../src/providers/global-registry.js';

const KEY = Symbol.for('provider-health.registry');
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[KEY];
});

const failing = () => Promise.reject(Object.assign(new Error('boom'), { status: 500 }));

describe('mode off', () => {
  it('never rejects explicit calls either: execute() keeps calling fn', async () => {
    configureRegistry({ mode: 'off', server: false });
    let calls = 0;
    for (let i = 0; i < 8; i++) {
      await execute('openai', () => {
        calls++;
        return failing();
      }).catch((error: unknown) => expect(error).not.toBeInstanceOf(CircuitOpenError));
    }
    expect(calls).toBe(8);
  });
});

describe('a trial that ends neither in success nor failure', () => {
  it('gives its slot back, even when the outcome is a rejection further down (execute around a fetch)', async () => {
    const registry = configureRegistry({
      failureThreshold: 1,
      recoveryTimeout: 0,
      successThreshold: 1,
      server: false,
    });
    const router = registry.getOrCreateProvider('router');
    await execute('router', failing).catch(() => undefined);
    expect(router.breaker.state).toBe('half_open');
    const trial = router.admit();
    expect(trial).toBeGreaterThan(0);
    router.record(trial, 'rejected');
    expect(router.breaker.trialsInFlight).toBe(0);
    expect(router.admit()).not.toBe(REJECTED);
  });
});

describe('stats follow the breaker', () => {
  it('a 400 or a 401 neither advances the consecutive failures nor becomes the last failure', () => {
    const registry = configureRegistry({ server: false });
    const openai = registry.getOrCreateProvider('openai');
    openai.record(openai.admit(), 'provider_error', 500, 10, -1, 'HTTP 500');
    for (let i = 0; i < 6; i++) openai.record(openai.admit(), 'client_error', 400, 10, -1, 'HTTP 400');
    openai.record(openai.admit(), 'auth_error', 401, 10, -1, 'HTTP 401');
    const metrics = openai.getHealthMetrics();
    expect(metrics.consecutiveFailures).toBe(1);
    expect(metrics.lastFailureReason).toBe('HTTP 500');
    expect(openai.breaker.consecutiveFailures).toBe(1);
  });
});
