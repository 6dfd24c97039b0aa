import type { ProviderOptions, ResolvedOptions } from './options.js';

/**
 * What one source (code, environment, file) said, already validated and converted, under the
 * resolved names (`recoveryTimeoutMs`), so that merging is "first source that has it".
 * Provider options are normalised: hosts validated and lowercased, durations in milliseconds.
 */
export interface OptionLayer extends Partial<Omit<ResolvedOptions, 'providers' | 'checkIntervalSet'>> {
  providers?: Map<string, ProviderOptions>;
  configFile?: string;
}

/** Adds a provider's hosts to a layer, keeping the first mention of each. */
export function addProviderHosts(
  layer: OptionLayer,
  name: string,
  hosts: readonly string[],
): ProviderOptions {
  layer.providers ??= new Map();
  const provider = layer.providers.get(name) ?? {};
  provider.hosts = [...new Set([...(provider.hosts ?? []), ...hosts])];
  layer.providers.set(name, provider);
  return provider;
}
