import { describe, expect, it } from 'vitest';
import { ADMITTED } from '../../src/breaker/circuit-state.js';
import type { TrendEvent } from '../../src/providers/provider-events.js';
import { setup } from './setup.js';
import { steady } from './traffic.js';

const MINUTE = 60_000;

/** A provider warmed up on an hour of healthy traffic (2 requests/s, 500 ms to first byte, no errors). */
function warmed(options = {}) {
  const context = setup(options);
  const trends: TrendEvent[] = [];
  context.registry.events.on('trend', (event) => trends.push(event));
  steady(context.openai, context.clock, { seconds: 3600 });
  return { ...context, trends };
}

describe('the early warning (trend detector)', () => {
  it('learns a reference from healthy traffic, and stays quiet on it', () => {
    const { openai, trends } = warmed();
    expect(openai.early.reference).toMatchObject({ source: 'recent', failureRate: 0 });
    expect(openai.early.reference?.p95Ms).toBeGreaterThan(480);
    expect(openai.early.reference?.p95Ms).toBeLessThan(520);
    expect(trends).toEqual([]);
    expect(openai.getHealthReport()).toEqual({ status: 'available', reasons: [] });
  });

  it('warns on a rising failure share below every fixed threshold, and never rejects a request', () => {
    const { openai, clock, trends } = warmed();
    // 6% failures: under degradedFailureRate (10%) and never 5 in a row.
    steady(openai, clock, { seconds: 60, failEvery: 17 });
    expect(trends).toEqual([]);
    steady(openai, clock, { seconds: 120, failEvery: 17 });
    expect(trends).toEqual([
      expect.objectContaining({ provider: 'openai', warning: true, signals: ['failure_rate'] }),
    ]);
    expect(trends[0]?.detail).toMatch(
      /^failures \d+\.\d% \(normal \d\.\d%\), p95 time to first byte 0\.\d\d s \(normal 0\.\d\d s\)$/,
    );
    expect(openai.getHealthReport()).toEqual({ status: 'degraded', reasons: ['trend'] });
    expect(openai.circuitState).toBe('closed');
    expect(openai.admit()).toBe(ADMITTED);
    expect(openai.getHealthMetrics().trend).toMatchObject({ warning: true, signals: ['failure_rate'] });

    // Recovered: the warning clears within a few slots.
    steady(openai, clock, { seconds: 5 * 60 });
    expect(trends.at(-1)).toMatchObject({ warning: false, signals: [] });
    expect(openai.getHealthStatus()).toBe('available');
  });

  it('needs more than one bad slot: a burst of errors of a few seconds does not warn', () => {
    const { openai, clock, trends } = warmed();
    steady(openai, clock, { seconds: 10, failEvery: 4 });
    steady(openai, clock, { seconds: 5 * 60 });
    expect(trends).toEqual([]);
  });

  it('warns when times to first byte creep above the baseline', () => {
    const { openai, clock, trends } = warmed();
    steady(openai, clock, { seconds: 3 * 60, ttfbMs: 1_000 });
    expect(trends[0]).toMatchObject({ warning: true, signals: ['latency'] });
    expect(openai.getHealthReport().reasons).toEqual(['trend']);
  });

  it('ends when the breaker opens (the breaker has the incident) and starts afresh once it closes', () => {
    const { openai, clock, trends, play } = warmed();
    steady(openai, clock, { seconds: 3 * 60, ttfbMs: 1_000 });
    expect(openai.early.trendWarning).toBe(true);
    play(openai, 'provider_error', 5, 100, 500);
    expect(openai.circuitState).toBe('open');
    expect(trends.at(-1)).toMatchObject({ warning: false });
    expect(openai.getHealthMetrics().trend.failureLevel).toBe(0);
    clock.advance(MINUTE);
    play(openai, 'success', 3);
    expect(openai.getHealthReport()).toEqual({ status: 'available', reasons: [] });
  });

  it('is off with trendDetection: false, and the baseline is still learned', () => {
    const { openai, clock, trends } = warmed({ trendDetection: false });
    steady(openai, clock, { seconds: 5 * 60, ttfbMs: 2_000, failEvery: 17 });
    expect(trends).toEqual([]);
    expect(openai.early.reference?.source).toBe('recent');
  });
});

describe('relative thresholds', () => {
  it("degradedLatencyBaseline: degraded (baseline_latency) above factor x this hour's p95 and the floor", () => {
    const { openai, clock } = warmed({ degradedLatencyBaseline: { factor: 2, min: '800ms' } });
    steady(openai, clock, { seconds: 20, ttfbMs: 900 });
    expect(openai.getHealthReport().reasons).not.toContain('baseline_latency');
    steady(openai, clock, { seconds: 20, ttfbMs: 1_100 });
    expect(openai.getHealthReport().reasons).toContain('baseline_latency');
  });

  it('slowCallDuration { factor, min }: judges nothing until a baseline is known, then follows it', () => {
    const { openai, clock, registry, play } = setup({
      providers: { openai: { slowCallDuration: { factor: 3, min: '1s' }, slowCallMinCalls: 10 } },
    });
    const transitions: string[] = [];
    registry.events.on('transition', (event) => transitions.push(`${event.to}:${event.reason}`));
    play(openai, 'success', 20, 60_000);
    expect(openai.breaker.slowCallDuration).toBe(Number.POSITIVE_INFINITY);
    steady(openai, clock, { seconds: 10 * 60, ttfbMs: 400 });
    expect(openai.breaker.slowCallDuration).toBeGreaterThan(1_150);
    expect(openai.breaker.slowCallDuration).toBeLessThan(1_300);
    steady(openai, clock, { seconds: 4, ttfbMs: 1_400 });
    expect(transitions).toEqual(['open:slow_call_rate']);
  });
});

describe('the hour-of-week baseline', () => {
  it('learns each hour (a slot when it leaves the window), and uses it for that hour next week', () => {
    const { openai, clock } = setup();
    // The manual clock starts on Thursday 1970-01-01 00:16:40 UTC: play to 02:00 at 300 ms.
    steady(openai, clock, { seconds: (2 * 60 - 17) * 60, ttfbMs: 300 });
    // A week later, from 01:20 to 01:30: hour 01:00-02:00 of last Thursday is folded in once a
    // slot of this week has left the window.
    clock.advance(7 * 24 * 60 * MINUTE - 40 * MINUTE);
    steady(openai, clock, { seconds: 10 * 60, ttfbMs: 300 });
    expect(openai.early.reference).toMatchObject({ source: 'hour_of_week', failureRate: 0 });
    const snapshot = openai.early.baseline.snapshot('openai', clock.wallNow());
    const learned = snapshot.hours.flatMap((entry, hour) => (entry === null ? [] : [hour]));
    // Thursday is day 3 of a Monday-based week: hours 72 (00:16-01:00, most of it) and 73.
    expect(learned).toEqual([72, 73]);
    expect(snapshot.hours[73]?.[0]).toBeGreaterThan(291);
    expect(snapshot.hours[73]?.[0]).toBeLessThan(309);
    expect(snapshot.hours[73]?.[2]).toBe(1);
    expect(snapshot.hours[72]?.[2]).toBeCloseTo(43 / 60, 1);
  });

  it('does not learn the onset of an incident: slots recorded before a warning came up stay out', () => {
    const { openai, clock } = setup({ degradedLatencyBaseline: { factor: 2, min: '500ms' } });
    steady(openai, clock, { seconds: 3_600, ttfbMs: 300 });
    const before = openai.early.reference?.p95Ms ?? 0;
    // Ten minutes at 2 s: the onset is in the window when the line is crossed, and never learned.
    steady(openai, clock, { seconds: 10 * 60, ttfbMs: 2_000 });
    expect(openai.getHealthReport().reasons).toEqual(['baseline_latency', 'trend']);
    expect(openai.early.reference?.p95Ms).toBe(before);
  });
});
