import { ConfigError, isConfigError, REDACTED } from './config-error.js';
import { childKey, plainEntries, unknownKey } from './object-entries.js';
import {
  DEFAULT_OPTIONS,
  ENV_VARS,
  GLOBAL_KEYS,
  OPTION_TABLE,
  type OptionLayer,
  type OptionSpec,
} from './option-table.js';
import type { ProviderOptions, ResolvedOptions } from './options.js';

export type Env = Readonly<Record<string, string | undefined>>;

const PREFIX = 'PROVIDER_HEALTH_';
const CODE_KEYS = OPTION_TABLE.map((spec) => spec.option);
/** A config file cannot name another config file: one level of indirection is enough. */
const FILE_KEYS = OPTION_TABLE.filter((spec) => spec.notInFile !== true).map((spec) => spec.option);

/**
 * The environment's layer. Values are trimmed; an empty variable counts as unset, as in the
 * OpenTelemetry SDK, so `PROVIDER_HEALTH_MODE=` in a compose file does not break startup.
 */
export function readEnvOptions(env: Env = process.env): OptionLayer {
  const layer: Record<string, unknown> = {};
  for (const spec of OPTION_TABLE) {
    if (spec.env === undefined) continue;
    const text = env[spec.env]?.trim();
    if (!text) continue;
    layer[spec.target] =
      spec.parseEnv === undefined
        ? reportText(spec.parse, envValue(spec, text), text, spec.env)
        : spec.parseEnv(text, spec.env);
  }
  for (const key of Object.keys(env)) {
    if (key.startsWith(PREFIX) && !ENV_VARS.includes(key) && env[key]?.trim()) {
      throw unknownKey(key, env[key], ENV_VARS);
    }
  }
  return layer as OptionLayer;
}

/** Environment values are text; a numeric setting reads plain decimal text as its number. */
function envValue(spec: OptionSpec, text: string): unknown {
  return spec.numeric === true && /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text) ? Number(text) : text;
}

/** An error reports the text as written, not a number it became (`99999999999999999999`). */
function reportText(
  parse: (value: unknown, key: string) => unknown,
  value: unknown,
  text: string,
  key: string,
): unknown {
  try {
    return parse(value, key);
  } catch (error) {
    if (isConfigError(error))
      throw new ConfigError({
        key,
        value: error.value === REDACTED ? REDACTED : text,
        accepted: error.accepted,
      });
    throw error;
  }
}

/**
 * Validates options given in code (`file` undefined) or read from a config file. JavaScript
 * callers and YAML authors can pass anything, so nothing here trusts the declared types.
 */
export function normalizeOptions(raw: unknown, file?: string): OptionLayer {
  const known = file === undefined ? CODE_KEYS : FILE_KEYS;
  const root = file === undefined ? 'options' : '(top level)';
  const layer: Record<string, unknown> = {};
  const accepted = `an object with any of ${known.join(', ')}`;
  for (const [name, value] of plainEntries(raw, root, accepted, file)) {
    const key = childKey('', name);
    const group = known.filter((option) => option.startsWith(`${name}.`));
    if (group.length > 0) {
      // `fleet: { redis, name }`: each member is a setting of its own (`fleet.redis`).
      if (value !== undefined) normalizeGroup(layer, key, value, group, file);
      continue;
    }
    const spec = known.includes(name) ? specOf(name) : undefined;
    if (spec === undefined) throw unknownKey(key, value, known, file);
    // Code often spreads partial objects; an explicit undefined means "not set".
    if (value !== undefined) layer[spec.target] = spec.parse(value, key, file);
  }
  return layer as OptionLayer;
}

function normalizeGroup(
  layer: Record<string, unknown>,
  key: string,
  value: unknown,
  group: readonly string[],
  file: string | undefined,
): void {
  const members = group.map((option) => option.slice(key.length + 1));
  for (const [name, member] of plainEntries(
    value,
    key,
    `an object with any of ${members.join(', ')}`,
    file,
  )) {
    const spec = members.includes(name) ? specOf(`${key}.${name}`) : undefined;
    if (spec === undefined) throw unknownKey(childKey(key, name), member, members, file);
    if (member !== undefined) layer[spec.target] = spec.parse(member, childKey(key, name), file);
  }
}

function specOf(option: string): OptionSpec | undefined {
  return OPTION_TABLE.find((candidate) => candidate.option === option);
}

/** Layers in precedence order (code, environment, file); defaults fill whatever none set. */
export function mergeLayers(layers: readonly OptionLayer[]): ResolvedOptions {
  const resolved: Record<string, unknown> = { ...DEFAULT_OPTIONS };
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

/**
 * Hosts are the union over all sources; every other provider field comes from the first that sets
 * it. A budget needs prices and usage read, from any source (without them nothing could ever be
 * spent), and a budgetAction needs a budget.
 */
function mergeProviders(layers: readonly OptionLayer[]): Record<string, ProviderOptions> {
  const merged = new Map<string, ProviderOptions>();
  for (const layer of layers) {
    for (const [name, provider] of layer.providers ?? []) {
      const into = merged.get(name) ?? { hosts: [] };
      const hosts = [...new Set([...(into.hosts ?? []), ...(provider.hosts ?? [])])];
      merged.set(name, { ...provider, ...into, hosts });
    }
  }
  for (const [name, provider] of merged) {
    const key = childKey('providers', name);
    if (provider.budget !== undefined && Object.keys(provider.prices ?? {}).length === 0)
      throw new ConfigError({
        key: `${key}.budget`,
        value: provider.budget,
        accepted: `a budget together with prices (${key}.prices): without them nothing is ever spent`,
      });
    if (provider.budget !== undefined && provider.usage === false)
      throw new ConfigError({
        key: `${key}.budget`,
        value: provider.budget,
        accepted: `a budget only where usage is read (${key}.usage is false): without it nothing is ever spent`,
      });
    if (provider.budgetAction !== undefined && provider.budget === undefined)
      throw new ConfigError({
        key: `${key}.budgetAction`,
        value: provider.budgetAction,
        accepted: `a budgetAction together with a budget (${key}.budget): without one it never acts`,
      });
  }
  return Object.fromEntries(merged);
}
