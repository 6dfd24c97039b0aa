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

describe('LatencyRing against a sorted copy', () => {
  // A small deterministic generator: the same sequence on every run.
  function lcg(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
  }

  it('gives exact percentiles through wrap-around, short and long gaps between reads, and clear()', () => {
    for (const capacity of [1, 2, 7, 64, 1024]) {
      const random = lcg(capacity);
      const ring = new LatencyRing(capacity);
      let model: number[] = [];
      for (let step = 0; step < 3_000; step++) {
        const pushes = random() < 0.7 ? 1 + Math.floor(random() * 3) : Math.floor(random() * 80);
        for (let i = 0; i < pushes; i++) {
          // Few distinct values, so duplicates are common.
          const value = random() < 0.5 ? Math.floor(random() * 20) : random() * 5_000;
          ring.push(value);
          model.push(value);
          if (model.length > capacity) model.shift();
        }
        if (random() < 0.01) {
          ring.clear();
          model = [];
        }
        const sorted = [...model].sort((a, b) => a - b);
        for (const q of [0, 0.5, 0.95, 0.99, 1]) {
          const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
          expect(ring.percentile(q), `capacity ${capacity} step ${step} q ${q}`).toBe(sorted[rank]);
        }
      }
    }
  });
});
