import type { BaselineReference } from '../health/baseline.js';
import type { ProviderStats } from '../health/provider-stats.js';

/** `failures 6.1% (normal 0.5%), p95 time to first byte 2.40 s (normal 0.80 s)`: for trend events and logs. */
export function trendDetail(
  stats: ProviderStats,
  reference: BaselineReference | undefined,
  now: number,
): string {
  const recent = stats.recent.counts(now);
  const rate = recent.total === 0 ? 0 : recent.failed / recent.total;
  const p95 = stats.ttfbs.percentile(0.95, now);
  const normal = (text: string) => (reference === undefined ? '' : ` (normal ${text})`);
  return [
    `failures ${percent(rate)}${normal(percent(reference?.failureRate ?? 0))}`,
    `p95 time to first byte ${seconds(p95)}${normal(seconds(reference?.p95Ms))}`,
  ].join(', ');
}

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;
const seconds = (ms: number | undefined): string =>
  ms === undefined ? 'none' : `${(ms / 1000).toFixed(2)} s`;
