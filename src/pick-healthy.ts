import type { HealthStatus } from './health/health-status.js';
import { getRegistry } from './providers/global-registry.js';

const RANK: Record<HealthStatus, number> = { available: 0, degraded: 1, unavailable: 2 };

/**
 * Orders provider names for fallback routing: available first, then degraded, keeping the
 * caller's order within each group. Providers whose circuit is open are left out, unless every
 * candidate is open; then all are returned, soonest trial first, so the caller still has
 * something to try. Unknown names count as available (nothing is known against them).
 */
export function pickHealthy(candidates: readonly string[]): string[] {
  const registry = getRegistry();
  const ranked = candidates.map((name, index) => {
    const provider = registry.getProvider(name);
    const status: HealthStatus = provider === undefined ? 'available' : provider.getHealthStatus();
    const retryAfter = provider === undefined ? 0 : provider.breaker.retryAfterMs();
    return { name, index, rank: RANK[status], retryAfter };
  });
  const usable = ranked.filter((entry) => entry.rank < RANK.unavailable);
  if (usable.length === 0) {
    return ranked.sort((a, b) => a.retryAfter - b.retryAfter || a.index - b.index).map((entry) => entry.name);
  }
  return usable.sort((a, b) => a.rank - b.rank || a.index - b.index).map((entry) => entry.name);
}
