import { describeError, type LogOnce } from './fleet-log.js';
import type { FleetProviderState } from './fleet-mirror.js';
import type { FleetSeed } from './fleet-types.js';
import { LIMITS } from './limits.js';

/**
 * The openings to restore into a store that lost its data (docs/fleet.md, "Generations"): every
 * provider the mirror had open or half-open, with the time it had left as a duration (half-open:
 * none left, trials start at once), then whatever else the breaker knows of.
 */
export function seedsToRestore(
  states: Iterable<FleetProviderState>,
  now: number,
  localOpenings: (() => Iterable<FleetSeed>) | undefined,
  once: LogOnce,
): FleetSeed[] {
  const seeds = new Map<string, FleetSeed>();
  for (const state of states) {
    if (state.state === 'closed') continue;
    seeds.set(state.provider, {
      provider: state.provider,
      retryInMs:
        state.forced && state.retryAt === undefined ? undefined : Math.max(0, (state.retryAt ?? now) - now),
      forced: state.forced,
      openedBy: state.openedBy,
      detail: state.detail,
    });
  }
  try {
    for (const seed of localOpenings?.() ?? []) {
      if (seeds.size >= LIMITS.providers) break;
      if (!seeds.has(seed.provider)) seeds.set(seed.provider, seed);
    }
  } catch (error) {
    once.warn(
      'localOpenings',
      `fleet: localOpenings threw, restoring the mirror's openings only: ${describeError(error)}`,
    );
  }
  return [...seeds.values()];
}
