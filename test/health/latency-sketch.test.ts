import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencySketch } from '../../src/health/latency-sketch.js';

const T0 = 1_000_000;

/** Exact nearest-rank percentile, the reference the sketch approximates. */
function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

describe('LatencySketch', () => {
  it('has no percentile while empty', () => {
    expect(new LatencySketch(60_000).percentile(0.5, T0)).toBeUndefined();
  });

  it('stays within 5% of the exact nearest-rank percentile', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 300_000, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0.5, 0.95, 0.99),
        (values, q) => {
          const sketch = new LatencySketch(60_000);
          for (const v of values) sketch.record(v, T0);
          const estimate = sketch.percentile(q, T0) as number;
          const truth = exact(values, q);
          expect(Math.abs(estimate - truth) / truth).toBeLessThan(0.05);
        },
      ),
    );
  });

  it('forgets what is older than its window: a provider slow an hour ago is not slow now', () => {
    const sketch = new LatencySketch(60_000);
    for (let i = 0; i < 100; i++) sketch.record(5_000, T0);
    expect(sketch.percentile(0.95, T0)).toBeGreaterThan(4_500);
    for (let i = 0; i < 10; i++) sketch.record(100, T0 + 61_000);
    expect(sketch.count(T0 + 61_000)).toBe(10);
    expect(sketch.percentile(0.95, T0 + 61_000)).toBeLessThan(110);
  });

  it('keeps fixed memory however many samples it takes', () => {
    const sketch = new LatencySketch(60_000);
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 200_000; i++) sketch.record((i % 977) + 1, T0 + i);
    expect(sketch.count(T0 + 200_000)).toBeLessThanOrEqual(60_000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024);
  });

  it('starts over after clear()', () => {
    const sketch = new LatencySketch(60_000);
    sketch.record(100, T0);
    sketch.clear();
    expect(sketch.percentile(0.5, T0)).toBeUndefined();
  });
});
