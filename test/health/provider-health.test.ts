import { describe, expect, it } from 'vitest';
import { setup } from './setup.js';

const MINUTE = 60_000;

describe('provider stats: failure rate', () => {
  it('reports the recent rate next to the lifetime one; the recent one forgets old traffic', () => {
    const { openai, play, clock } = setup();
    play(openai, 'success', 10);
    play(openai, 'provider_error', 2);
    let metrics = openai.getHealthMetrics();
    expect(metrics.failureRate).toBeCloseTo(2 / 12);
    expect(metrics.lifetimeFailureRate).toBeCloseTo(2 / 12);
    expect(openai.getHealthReport()).toEqual({ status: 'degraded', reasons: ['failure_rate'] });

    clock.advance(6 * MINUTE); // past the 5-minute window
    play(openai, 'success', 6);
    metrics = openai.getHealthMetrics();
    expect(metrics.recentRequests).toBe(6);
    expect(metrics.failureRate).toBe(0);
    expect(metrics.lifetimeFailureRate).toBeCloseTo(2 / 18);
    expect(metrics.totalRequests).toBe(18);
    expect(metrics.failedRequests).toBe(2);
    expect(openai.getHealthStatus()).toBe('available');
  });

  it('counts only the trip outcomes as failures; rejected and canceled are not counted in rates', () => {
    const { openai, play } = setup();
    play(openai, 'success', 5);
    play(openai, 'client_error', 3, 10, 400);
    play(openai, 'auth_error', 1, 10, 401);
    play(openai, 'canceled', 4);
    openai.record(-1, 'rejected');
    const metrics = openai.getHealthMetrics();
    expect(metrics.totalRequests).toBe(14);
    expect(metrics.failedRequests).toBe(0);
    expect(metrics.failureRate).toBe(0);
    expect(metrics.recentRequests).toBe(9);
    expect(metrics.rejectedRequests).toBe(1);
    expect(metrics.outcomes).toMatchObject({ success: 5, client_error: 3, auth_error: 1, canceled: 4 });
    expect(openai.getHealthStatus()).toBe('available');
  });
});

describe('health status', () => {
  it('is unavailable while open, degraded while half-open, and available once the trials close it', () => {
    const { openai, play, clock } = setup();
    play(openai, 'success', 20);
    play(openai, 'provider_error', 5, 100, 500);
    expect(openai.circuitState).toBe('open');
    expect(openai.getHealthReport()).toEqual({ status: 'unavailable', reasons: ['circuit_open'] });

    clock.advance(MINUTE);
    expect(openai.circuitState).toBe('half_open');
    const halfOpen = openai.getHealthReport();
    expect(halfOpen.status).toBe('degraded');
    expect(halfOpen.reasons).toContain('circuit_half_open');

    play(openai, 'success', 3);
    expect(openai.circuitState).toBe('closed');
    // The failures before the outage are not "recent" any more: the circuit has just closed.
    expect(openai.getHealthReport()).toEqual({ status: 'available', reasons: [] });
    const metrics = openai.getHealthMetrics();
    expect(metrics.recentRequests).toBe(0);
    expect(metrics.failureRate).toBe(0);
    expect(metrics.failedRequests).toBe(5);
  });

  it('is unavailable while forced open, and available again after reset()', () => {
    const { openai } = setup();
    openai.breaker.forceOpen();
    expect(openai.getHealthStatus()).toBe('unavailable');
    openai.reset();
    expect(openai.getHealthStatus()).toBe('available');
  });

  it('degrades on the failure rate at the threshold (10 %), with at least 5 recent requests', () => {
    const { openai, play } = setup();
    play(openai, 'success', 3);
    play(openai, 'provider_error', 1);
    expect(openai.getHealthStatus()).toBe('available'); // 4 requests say nothing yet
    play(openai, 'success', 1);
    expect(openai.getHealthReport().reasons).toEqual(['failure_rate']); // 1 of 5

    const edge = setup();
    edge.play(edge.openai, 'success', 10);
    edge.play(edge.openai, 'provider_error', 1);
    expect(edge.openai.getHealthStatus()).toBe('available'); // 1 of 11, under 10 %
    const exact = setup();
    exact.play(exact.openai, 'success', 9);
    exact.play(exact.openai, 'timeout', 1);
    expect(exact.openai.getHealthReport().reasons).toEqual(['failure_rate']); // 1 of 10: at the threshold
  });

  it('degrades while the provider asked us to wait (retry-after), then recovers', () => {
    const { openai, clock } = setup();
    openai.record(openai.admit(), 'rate_limited', 429, 20, -1, 'HTTP 429', 30_000);
    expect(openai.circuitState).toBe('closed'); // rate limits do not trip by default
    expect(openai.getHealthReport()).toEqual({ status: 'degraded', reasons: ['rate_limited'] });
    clock.advance(29_999);
    expect(openai.getHealthStatus()).toBe('degraded');
    clock.advance(1);
    expect(openai.getHealthStatus()).toBe('available');
  });

  it('degrades on a recent share of rate-limited answers, which is not a failure rate', () => {
    const { openai, play } = setup();
    play(openai, 'success', 10);
    play(openai, 'rate_limited', 1, 20, 429);
    expect(openai.getHealthStatus()).toBe('available'); // 1 of 11
    const exact = setup();
    exact.play(exact.openai, 'success', 9);
    exact.play(exact.openai, 'rate_limited', 1, 20, 429);
    expect(exact.openai.getHealthReport()).toEqual({ status: 'degraded', reasons: ['rate_limited'] }); // 1 of 10
    expect(openai.getHealthMetrics().failureRate).toBe(0);
  });

  it('degrades when p95 latency is above its threshold, from 5 samples on', () => {
    const { openai, play } = setup({ degradedLatency: '1s' });
    play(openai, 'success', 4, 2_000);
    expect(openai.getHealthStatus()).toBe('available');
    play(openai, 'success', 1, 2_000);
    expect(openai.getHealthReport()).toEqual({ status: 'degraded', reasons: ['latency'] });
    // The sketch's bins are ~9% wide: within 5% of the true 2 s.
    expect(openai.getHealthMetrics().p95ResponseTime).toBeCloseTo(2, 0);
    play(openai, 'success', 200, 50); // fast again: p95 falls under 1 s
    expect(openai.getHealthStatus()).toBe('available');
  });

  it('lists every reason that applies at once', () => {
    const { openai, play } = setup({ degradedLatency: '1s', failureThreshold: 100 });
    play(openai, 'provider_error', 5, 2_000, 500);
    openai.record(openai.admit(), 'rate_limited', 429, 2_000, -1, 'HTTP 429', 10_000);
    expect(openai.getHealthReport()).toEqual({
      status: 'degraded',
      reasons: ['failure_rate', 'rate_limited', 'latency'],
    });
  });
});

describe('health metrics and memory', () => {
  it('gives times in seconds and dates in ISO 8601, percentiles within 5% from the sketch', () => {
    const { openai, play, clock } = setup();
    for (let ms = 10; ms <= 1_000; ms += 10) play(openai, 'success', 1, ms);
    play(openai, 'provider_error', 1, 3_000, 500);
    const m = openai.getHealthMetrics();
    const within5 = (value: number | null, truth: number) =>
      expect(Math.abs((value ?? 0) - truth) / truth).toBeLessThan(0.05);
    within5(m.p50ResponseTime, 0.51);
    within5(m.p95ResponseTime, 0.96);
    within5(m.p99ResponseTime, 1.0);
    expect(m.averageResponseTime).toBeCloseTo((50_500 + 3_000) / 101 / 1000);
    expect(m.lastSuccessTime).toBe(new Date(clock.now()).toISOString());
    expect(m.lastFailureTime).toBe(new Date(clock.now()).toISOString());
    expect(m.consecutiveFailures).toBe(1);
    expect(m.lastFailureReason).toBe('provider_error');
  });

  it('keeps fixed memory: one counter per (outcome, status), latencies in a windowed sketch', () => {
    const { openai, play, clock } = setup();
    for (let i = 0; i < 50; i++) {
      play(openai, 'success', 2_000, 5, 200);
      play(openai, 'client_error', 10, 5, 400 + (i % 20));
      clock.advance(1_000);
    }
    // The sketch answers for the stats window only: requests from 50 s ago are still in a 5 min window.
    expect(openai.stats.latencies.count(clock.now())).toBe(50 * 2_010);
    // One counter per (outcome, status) pair seen, however many requests.
    let keys = 0;
    openai.stats.forEachStatusCount(() => keys++);
    expect(keys).toBe(21);
    expect(openai.getHealthMetrics().totalRequests).toBe(50 * 2_010);
  });
});
