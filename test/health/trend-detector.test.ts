import { describe, expect, it } from 'vitest';
import type { BaselineReference, SlotFigures } from '../../src/health/baseline.js';
import { latencyLineMs, TrendDetector } from '../../src/health/trend-detector.js';

const normal: BaselineReference = { p95Ms: 800, failureRate: 0.002, source: 'hour_of_week' };
const slot = (calls: number, failed: number, ttfbs = calls, above = 0): SlotFigures => ({
  calls,
  failed,
  ttfbs,
  ttfbsAbove: above,
  lengthMs: 30_000,
});

describe('TrendDetector', () => {
  it('stays at zero while the failure share is at its normal rate (at least 1%)', () => {
    const detector = new TrendDetector();
    for (let i = 0; i < 1_000; i++) expect(detector.update(slot(100, 1), normal, i)).toBe(false);
    expect(detector.failureScore).toBe(0);
  });

  it('never warns on one slot, however bad: it takes two in a row', () => {
    const detector = new TrendDetector();
    expect(detector.update(slot(100, 100), normal, 0)).toBe(false);
    expect(detector.failureLevel).toBe(0.5);
    expect(detector.update(slot(100, 100), normal, 30_000)).toBe(true);
    expect(detector.signals()).toEqual(['failure_rate']);
    expect(detector.since).toBe(30_000);
  });

  it('clears once the share is back to normal, after a bounded while', () => {
    const detector = new TrendDetector();
    for (let i = 0; i < 10; i++) detector.update(slot(100, 30), normal, i);
    expect(detector.failureLevel).toBe(2);
    let slots = 0;
    while (detector.warning !== 0) {
      detector.update(slot(100, 0), normal, 100 + slots);
      slots++;
    }
    expect(slots).toBeGreaterThan(1);
    expect(slots).toBeLessThan(10);
    expect(Number.isNaN(detector.since)).toBe(true);
  });

  it('judges latency by the share above the line (1.5x the baseline p95, at least 100 ms above it)', () => {
    expect(latencyLineMs(normal)).toBe(1_200);
    expect(latencyLineMs({ ...normal, p95Ms: 20 })).toBe(120);
    const detector = new TrendDetector();
    for (let i = 0; i < 100; i++) detector.update(slot(100, 0, 100, 5), normal, i);
    expect(detector.warning).toBe(0);
    detector.update(slot(100, 0, 100, 40), normal, 200);
    detector.update(slot(100, 0, 100, 40), normal, 201);
    expect(detector.signals()).toEqual(['latency']);
  });

  it('reset() ends a warning and says whether there was one', () => {
    const detector = new TrendDetector();
    detector.update(slot(100, 100), normal, 0);
    detector.update(slot(100, 100), normal, 1);
    expect(detector.reset()).toBe(true);
    expect(detector.reset()).toBe(false);
    expect([detector.warning, detector.failureScore, detector.latencyScore]).toEqual([0, 0, 0]);
  });
});
