import type { Provider } from '../../src/providers/provider.js';
import type { ManualClock } from '../support/manual-clock.js';

export interface Steady {
  seconds: number;
  perSecond?: number;
  /** Time to first byte of each success, ms (the whole call takes 50 ms more). */
  ttfbMs?: number;
  /** Every n-th request fails with a 503 (0: none). */
  failEvery?: number;
}

/** Plays steady traffic into `provider` on the manual clock, evenly spaced. */
export function steady(provider: Provider, clock: ManualClock, traffic: Steady): void {
  const perSecond = traffic.perSecond ?? 2;
  const gap = 1000 / perSecond;
  const count = Math.round(traffic.seconds * perSecond);
  const ttfb = traffic.ttfbMs ?? 500;
  for (let i = 1; i <= count; i++) {
    clock.advance(gap);
    const admission = provider.admit();
    if (traffic.failEvery && i % traffic.failEvery === 0)
      provider.record(admission, 'provider_error', 503, 300, 250);
    else provider.record(admission, 'success', 200, ttfb + 50, ttfb);
  }
}
