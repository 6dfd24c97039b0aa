import { describe, expect, it } from 'vitest';
import { RecentWindow } from '../../src/health/recent-window.js';

describe('RecentWindow', () => {
  it('counts totals, failures and rate limits inside the window', () => {
    const window = new RecentWindow(10_000);
    window.record(0, false, false);
    window.record(1_500, true, false);
    window.record(9_999, false, true);
    expect(window.counts(9_999)).toEqual({ total: 3, failed: 1, rateLimited: 1 });
  });

  it('forgets buckets older than the window, one bucket at a time', () => {
    const window = new RecentWindow(10_000); // ten buckets of 1 s
    window.record(0, true, false); // bucket 0
    window.record(5_000, true, false); // bucket 5
    expect(window.counts(9_999).failed).toBe(2);
    expect(window.counts(10_000).failed).toBe(1); // bucket 0 has left the window
    expect(window.counts(14_999).failed).toBe(1);
    expect(window.counts(15_000).failed).toBe(0);
  });

  it('reuses a slot for a new period without carrying old counts into it', () => {
    const window = new RecentWindow(10_000);
    for (let i = 0; i < 7; i++) window.record(500, true, false);
    window.record(10_500, false, false); // same slot, ten buckets later
    expect(window.counts(10_500)).toEqual({ total: 1, failed: 0, rateLimited: 0 });
  });

  it('is empty after clear(), and counts again afterwards', () => {
    const window = new RecentWindow(10_000);
    for (let i = 0; i < 5; i++) window.record(100 * i, true, false);
    window.clear();
    expect(window.counts(1_000)).toEqual({ total: 0, failed: 0, rateLimited: 0 });
    window.record(1_000, false, false);
    expect(window.counts(1_000)).toEqual({ total: 1, failed: 0, rateLimited: 0 });
  });
});
