import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HealthStatus } from '../../src/health/health-status.js';
import { setup } from './setup.js';

type Call = [provider: string, status: HealthStatus, previous: HealthStatus];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('status callbacks', () => {
  it('fire on every change, with the status it changed from, and only on changes', () => {
    const { registry, openai, play, clock } = setup();
    const calls: Call[] = [];
    registry.healthMonitor.addStatusCallback((provider, status, previous) =>
      calls.push([provider, status, previous]),
    );
    play(openai, 'success', 5);
    expect(calls).toEqual([]);
    play(openai, 'provider_error', 1); // 1 of 6: failure rate
    play(openai, 'provider_error', 4); // 5 consecutive: open
    clock.advance(60_000); // the breaker's own timer moves it to half-open
    play(openai, 'success', 3); // trials close it
    expect(calls).toEqual([
      ['openai', 'degraded', 'available'],
      ['openai', 'unavailable', 'degraded'],
      ['openai', 'degraded', 'unavailable'],
      ['openai', 'available', 'degraded'],
    ]);
  });

  it('stop after their removal function is called', () => {
    const { registry, openai, play } = setup();
    const seen: HealthStatus[] = [];
    const remove = registry.healthMonitor.addStatusCallback((_, status) => seen.push(status));
    openai.breaker.forceOpen();
    remove();
    openai.reset();
    play(openai, 'success', 1);
    expect(seen).toEqual(['unavailable']);
  });

  it('a throwing callback is logged once and breaks neither record() nor the other callbacks', () => {
    const { registry, openai, play } = setup();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const seen: Call[] = [];
    registry.healthMonitor.addStatusCallback(function throwingStatusCallback() {
      throw new Error('user code failed');
    });
    registry.healthMonitor.addStatusCallback((provider, status, previous) =>
      seen.push([provider, status, previous]),
    );
    for (let round = 0; round < 3; round++) {
      expect(() => play(openai, 'provider_error', 5, 100, 500)).not.toThrow();
      expect(openai.circuitState).toBe('open');
      openai.reset();
    }
    expect(seen.filter(([, status]) => status === 'unavailable')).toHaveLength(3);
    const lines = stderr.mock.calls
      .map(([chunk]) => String(chunk))
      .filter((l) => l.includes('callback threw'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('user code failed');
  });

  it('see each provider separately', () => {
    const { registry, play } = setup();
    const calls: Call[] = [];
    registry.healthMonitor.addStatusCallback((provider, status, previous) =>
      calls.push([provider, status, previous]),
    );
    play(registry.getOrCreateProvider('anthropic'), 'provider_error', 5, 100, 529);
    play(registry.getOrCreateProvider('fal.ai'), 'success', 5);
    expect(calls).toEqual([['anthropic', 'unavailable', 'available']]);
  });
});
