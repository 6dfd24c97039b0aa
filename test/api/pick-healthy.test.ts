import { beforeEach, describe, expect, it } from 'vitest';
import { getProvider, getRegistry, pickHealthy } from '../../src/index.js';
import { configureRegistry } from '../../src/providers/global-registry.js';

beforeEach(() => {
  configureRegistry({});
});

function play(name: string, outcome: 'success' | 'provider_error', count: number): void {
  const provider = getRegistry().getOrCreateProvider(name);
  for (let i = 0; i < count; i++) provider.record(provider.admit(), outcome, 0, 10);
}

function must(name: string) {
  const provider = getProvider(name);
  if (provider === undefined) throw new Error(`no provider ${name}`);
  return provider;
}

describe('pickHealthy(candidates)', () => {
  it("keeps the caller's order when all are available", () => {
    expect(pickHealthy(['anthropic', 'openai', 'fal'])).toEqual(['anthropic', 'openai', 'fal']);
  });

  it('puts available before degraded and leaves open ones out', () => {
    play('anthropic', 'success', 8);
    play('anthropic', 'provider_error', 2); // degraded: 20 % failures
    play('fal', 'provider_error', 5); // open
    play('mistral', 'success', 3);
    expect(must('anthropic').getHealthStatus()).toBe('degraded');
    expect(pickHealthy(['fal', 'anthropic', 'openai', 'mistral'])).toEqual([
      'openai',
      'mistral',
      'anthropic',
    ]);
  });

  it('ranks a half-open provider as degraded, after the available ones', () => {
    const openai = must('openai');
    openai.breaker.recoveryTimeout = 0;
    openai.breaker.forceOpen(0);
    expect(openai.circuitState).toBe('half_open');
    expect(pickHealthy(['openai', 'anthropic'])).toEqual(['anthropic', 'openai']);
  });

  it('returns every candidate when all are open, the soonest trial first, held-open ones last', () => {
    must('openai').breaker.forceOpen(); // until reset
    must('anthropic').breaker.forceOpen(300_000);
    must('fal').breaker.forceOpen(120_000);
    expect(pickHealthy(['openai', 'anthropic', 'fal'])).toEqual(['fal', 'anthropic', 'openai']);
  });

  it('treats unknown names as available and hands names back as given (aliases too)', () => {
    play('gcp.gemini', 'provider_error', 5);
    expect(pickHealthy(['gemini', 'self-hosted', 'fal.ai'])).toEqual(['self-hosted', 'fal.ai']);
    expect(getProvider('self-hosted')).toBeUndefined(); // asking does not create providers
  });

  it('returns an empty list for no candidates', () => {
    expect(pickHealthy([])).toEqual([]);
  });
});
