import type { ProviderHealthOptions } from '../../src/config/options.js';
import { resolveOptions } from '../../src/config/resolve.js';
import type { Outcome } from '../../src/outcome/outcome.js';
import type { Provider } from '../../src/providers/provider.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { ManualClock } from '../support/manual-clock.js';

/** A registry on a manual clock (environment ignored), and a way to play requests into a provider. */
export function setup(options: ProviderHealthOptions = {}) {
  const clock = new ManualClock();
  const registry = new ProviderRegistry(resolveOptions(options, {}), clock);
  const openai = registry.getOrCreateProvider('openai');
  /** `count` requests ending in `outcome`, each taking `durationMs`, as an interceptor would record them. */
  const play = (provider: Provider, outcome: Outcome, count = 1, durationMs = 100, status = 0): void => {
    for (let i = 0; i < count; i++) provider.record(provider.admit(), outcome, status, durationMs);
  };
  return { clock, registry, openai, play };
}
