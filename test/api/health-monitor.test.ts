import { beforeEach, describe, expect, it } from 'vitest';
import {
  execute,
  getProvider,
  type HealthStatus,
  healthMonitor,
  isCircuitOpenError,
} from '../../src/index.js';
import { configureRegistry } from '../../src/providers/global-registry.js';

beforeEach(() => {
  configureRegistry({});
});

const failing = (): Promise<never> =>
  Promise.reject(Object.assign(new Error('upstream 500'), { status: 500 }));

async function fail(provider: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await execute(provider, failing).catch(() => undefined);
}

describe('healthMonitor.getOrCreateBreaker(name)', () => {
  it('is the breaker of the provider of that name or alias', () => {
    expect(healthMonitor.getOrCreateBreaker('openai')).toBe(getProvider('openai')?.breaker);
    expect(healthMonitor.getOrCreateBreaker('fal.ai')).toBe(getProvider('fal')?.breaker);
  });

  it('creates a provider for a new name', () => {
    expect(getProvider('internal-llm')).toBeUndefined();
    const breaker = healthMonitor.getOrCreateBreaker('internal-llm');
    expect(breaker.provider).toBe('internal-llm');
    expect(getProvider('internal-llm')?.breaker).toBe(breaker);
  });

  it('has the documented defaults, and settable thresholds that take effect', async () => {
    const breaker = healthMonitor.getOrCreateBreaker('openai');
    expect([breaker.failureThreshold, breaker.recoveryTimeout, breaker.successThreshold]).toEqual([
      5, 60_000, 3,
    ]);
    breaker.failureThreshold = 2;
    await fail('openai', 1);
    expect(breaker.state).toBe('closed');
    await fail('openai', 1);
    expect(breaker.state).toBe('open');
    await expect(execute('openai', () => 'never')).rejects.toSatisfy(isCircuitOpenError);

    // Trials at once, and one success closes it.
    breaker.recoveryTimeout = 0;
    breaker.successThreshold = 1;
    breaker.forceOpen(0);
    expect(breaker.state).toBe('half_open');
    await expect(execute('openai', () => 'ok')).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('refuses thresholds that would wedge a breaker', () => {
    const breaker = healthMonitor.getOrCreateBreaker('openai');
    expect(() => {
      breaker.failureThreshold = 0;
    }).toThrow(RangeError);
    expect(() => {
      breaker.recoveryTimeout = -1;
    }).toThrow(/recoveryTimeout/);
    expect(breaker.failureThreshold).toBe(5);
  });

  it('takes per-provider thresholds from the configuration', () => {
    configureRegistry({
      failureThreshold: 7,
      providers: { anthropic: { failureThreshold: 2, recoveryTimeout: '5s' } },
    });
    expect(healthMonitor.getOrCreateBreaker('openai').failureThreshold).toBe(7);
    const anthropic = healthMonitor.getOrCreateBreaker('anthropic');
    expect([anthropic.failureThreshold, anthropic.recoveryTimeout]).toEqual([2, 5_000]);
  });
});

describe('healthMonitor.addStatusCallback', () => {
  it('reports status changes of the process-wide registry, with the previous status', async () => {
    const calls: Array<[string, HealthStatus, HealthStatus]> = [];
    const remove = healthMonitor.addStatusCallback((provider, status, previous) =>
      calls.push([provider, status, previous]),
    );
    await fail('anthropic', 5);
    getProvider('anthropic')?.reset();
    remove();
    await fail('anthropic', 5);
    expect(calls).toEqual([
      ['anthropic', 'unavailable', 'available'],
      ['anthropic', 'available', 'unavailable'],
    ]);
  });
});
