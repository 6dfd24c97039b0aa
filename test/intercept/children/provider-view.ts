import { getProvider } from 'provider-health';

/** A provider as the parent sees it: breaker state and the numbers the plugin recorded. */
export function providerView(name: string) {
  const provider = getProvider(name);
  if (provider === undefined) throw new Error(`no provider ${name}`);
  return {
    state: provider.breaker.state,
    metrics: provider.getHealthMetrics(),
    durationSumMs: provider.stats.durationSumMs,
    durationCount: provider.stats.durationCount,
    total: provider.stats.total,
    rejected: provider.stats.count('rejected'),
  };
}

export type ProviderView = ReturnType<typeof providerView>;

/** Stats of a provider that may not exist (mode off: no registry was started). */
export function totalOf(name: string): number {
  return getProvider(name)?.stats.total ?? 0;
}
export function rejectedOf(name: string): number {
  return getProvider(name)?.stats.count('rejected') ?? 0;
}
