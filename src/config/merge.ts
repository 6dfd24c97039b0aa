import { DEFAULT_OPTIONS } from './defaults.js';
import type { OptionLayer } from './layer.js';
import type { ProviderOptions, ResolvedOptions } from './options.js';

type GlobalKey = keyof typeof DEFAULT_OPTIONS;
const GLOBAL_KEYS = Object.keys(DEFAULT_OPTIONS) as GlobalKey[];

/** Layers in precedence order (code, environment, file); defaults fill whatever none set. */
export function mergeLayers(layers: readonly OptionLayer[]): ResolvedOptions {
  const resolved = { ...DEFAULT_OPTIONS } as Record<GlobalKey, unknown>;
  for (const key of GLOBAL_KEYS) {
    const layer = layers.find((candidate) => candidate[key] !== undefined);
    if (layer !== undefined) resolved[key] = layer[key];
  }
  const options = resolved as Omit<ResolvedOptions, 'providers' | 'checkIntervalSet'>;
  // Fresh object so that callers mutating the result cannot change the frozen default.
  const server = options.server === false ? false : { ...options.server };
  const checkIntervalSet = layers.some((layer) => layer.checkIntervalMs !== undefined);
  return { ...options, server, providers: mergeProviders(layers), checkIntervalSet };
}

/** Hosts are the union over all sources; every other provider field comes from the first that sets it. */
function mergeProviders(layers: readonly OptionLayer[]): Record<string, ProviderOptions> {
  const merged = new Map<string, ProviderOptions>();
  for (const layer of layers) {
    for (const [name, provider] of layer.providers ?? []) {
      const into = merged.get(name) ?? { hosts: [] };
      const hosts = [...new Set([...(into.hosts ?? []), ...(provider.hosts ?? [])])];
      merged.set(name, { ...provider, ...into, hosts });
    }
  }
  return Object.fromEntries(merged);
}
