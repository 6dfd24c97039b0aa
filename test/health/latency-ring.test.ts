import { describe, expect, it } from 'vitest';
import { LatencyRing } from '../../src/health/latency-ring.js';

describe('LatencyRing', () => {
  it('has no percentile while empty', () => {
    expect(new LatencyRing(8).percentile(0.5)).toBeUndefined();
  });

  it('gives nearest-rank percentiles, sorting numerically', () => {
    const ring = new LatencyRing(100);
    // Pushed out of order, with values whose string order differs from numeric order.
    for (const v of [100, 9, 20, 3, 1000, 5, 7, 60, 2, 1]) ring.push(v);
    expect(ring.percentile(0)).toBe(1);
    expect(ring.percentile(0.5)).toBe(7);
    expect(ring.percentile(0.9)).toBe(100);
    expect(ring.percentile(0.95)).toBe(1000);
    expect(ring.percentile(1)).toBe(1000);
  });

  it('sees values pushed after a read (no stale sorted copy)', () => {
    const ring = new LatencyRing(10);
    ring.push(1);
    expect(ring.percentile(1)).toBe(1);
    ring.push(50);
    expect(ring.percentile(1)).toBe(50);
  });

  it('keeps only the last `capacity` values: bounded memory, percentiles of recent traffic', () => {
    const ring = new LatencyRing(1024);
    for (let i = 0; i < 100_000; i++) ring.push(5_000);
    for (let i = 0; i < 1024; i++) ring.push(10);
    expect(ring.size).toBe(1024);
    expect(ring.capacity).toBe(1024);
    expect(ring.percentile(0.99)).toBe(10);
  });

  it('starts over after clear()', () => {
    const ring = new LatencyRing(4);
    ring.push(100);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.percentile(0.5)).toBeUndefined();
    ring.push(3);
    expect(ring.percentile(0.5)).toBe(3);
  });
});
