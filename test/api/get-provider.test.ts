import { beforeEach, describe, expect, it } from 'vitest';
import { getProvider, getRegistry } from '../../src/index.js';
import { configureRegistry } from '../../src/providers/global-registry.js';

beforeEach(() => {
  configureRegistry({ providers: { 'my-llm': { hosts: ['*.llm.internal'] } } });
});

function play(name: string, outcome: 'success' | 'provider_error', count: number, durationMs: number): void {
  const provider = getRegistry().getOrCreateProvider(name);
  for (let i = 0; i < count; i++) provider.record(provider.admit(), outcome, 200, durationMs);
}

describe('getProvider(name)', () => {
  it('finds built-in providers by name or alias, and configured ones; unknown names are undefined', () => {
    expect(getProvider('openai')?.name).toBe('openai');
    expect(getProvider('fal.ai')?.name).toBe('fal');
    expect(getProvider('gemini')).toBe(getProvider('gcp.gemini'));
    expect(getProvider('my-llm')?.config.hosts).toEqual(['*.llm.internal']);
    expect(getProvider('no-such-provider')).toBeUndefined();
  });

  it('getHealthStatus() follows the breaker', () => {
    const openai = getProvider('openai');
    expect(openai?.getHealthStatus()).toBe('available');
    play('openai', 'provider_error', 5, 10);
    expect(openai?.getHealthStatus()).toBe('unavailable');
  });

  it('getHealthMetrics() is camelCase, with times in seconds and dates in ISO 8601', () => {
    const before = Date.now();
    play('anthropic', 'success', 3, 250);
    play('anthropic', 'provider_error', 1, 1_500);
    const metrics = getProvider('anthropic')?.getHealthMetrics();
    expect(metrics).toMatchObject({
      totalRequests: 4,
      failedRequests: 1,
      rejectedRequests: 0,
      failureRate: 0.25,
      lifetimeFailureRate: 0.25,
      recentRequests: 4,
      consecutiveFailures: 1,
      consecutiveSuccesses: 0,
      averageResponseTime: (3 * 0.25 + 1.5) / 4,
      lastFailureReason: 'provider_error',
    });
    // Percentiles come from a log-linear sketch whose bins are ~6% wide.
    expect(metrics?.p50ResponseTime).toBeCloseTo(0.25, 1);
    expect(metrics?.p99ResponseTime).toBeCloseTo(1.5, 1);
    expect(Object.keys(metrics ?? {}).every((key) => /^[a-z][A-Za-z0-9]*$/.test(key))).toBe(true);
    const lastSuccess = Date.parse(metrics?.lastSuccessTime ?? '');
    expect(metrics?.lastSuccessTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Request times are kept on the monotonic clock (no wall-clock read per request) and shown as
    // wall time: exact to within the millisecond that Date.now() rounds away.
    expect(lastSuccess).toBeGreaterThanOrEqual(before - 1);
    expect(lastSuccess).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('a provider with no traffic has null times, not zeros', () => {
    expect(getProvider('mistral')?.getHealthMetrics()).toMatchObject({
      totalRequests: 0,
      failureRate: 0,
      averageResponseTime: null,
      p95ResponseTime: null,
      lastSuccessTime: null,
      lastFailureTime: null,
    });
  });
});

describe('getRegistry().getHealthStatuses()', () => {
  it('lists configured providers and those with traffic, each with its status', () => {
    expect(getRegistry().getHealthStatuses()).toEqual({ 'my-llm': 'available' });
    play('openai', 'success', 1, 10);
    play('groq', 'provider_error', 5, 10);
    expect(getRegistry().getHealthStatuses()).toEqual({
      'my-llm': 'available',
      openai: 'available',
      groq: 'unavailable',
    });
  });

  it('belongs to the registry configureRegistry() installed', () => {
    play('openai', 'provider_error', 5, 10);
    expect(getRegistry().getHealthStatuses().openai).toBe('unavailable');
    const fresh = configureRegistry({});
    expect(getRegistry()).toBe(fresh);
    expect(getProvider('openai')?.getHealthStatus()).toBe('available');
  });
});
