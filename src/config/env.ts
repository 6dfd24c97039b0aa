import { ConfigError } from './config-error.js';
import { MODES, REJECT_WITH } from './defaults.js';
import { parseDuration, parsePositiveDuration } from './duration.js';
import { parseHostPattern, parseProviderName } from './host-pattern.js';
import { addProviderHosts, type OptionLayer } from './layer.js';
import { unknownKey } from './object-entries.js';
import { parseServer } from './server-address.js';
import {
  parseAdminToken,
  parseBoolean,
  parseEnum,
  parseNumericText,
  parseRate,
  parseThreshold,
} from './values.js';

export type Env = Readonly<Record<string, string | undefined>>;

const PREFIX = 'PROVIDER_HEALTH_';

type EnvReader = (layer: OptionLayer, value: string, key: string) => void;

/** Every variable the plugin reads. A new one must be added here, or it is reported as a typo. */
const ENV_READERS: Readonly<Record<string, EnvReader>> = {
  PROVIDER_HEALTH_MODE: (l, v, k) => {
    l.mode = parseEnum(v, MODES, k);
  },
  PROVIDER_HEALTH_PROVIDERS: readProviders,
  PROVIDER_HEALTH_CONFIG: (l, v) => {
    l.configFile = v;
  },
  PROVIDER_HEALTH_FAILURE_THRESHOLD: (l, v, k) => {
    l.failureThreshold = parseNumericText(v, parseThreshold, k);
  },
  PROVIDER_HEALTH_RECOVERY_TIMEOUT: (l, v, k) => {
    l.recoveryTimeoutMs = parseDuration(v, k);
  },
  PROVIDER_HEALTH_SUCCESS_THRESHOLD: (l, v, k) => {
    l.successThreshold = parseNumericText(v, parseThreshold, k);
  },
  PROVIDER_HEALTH_TRIAL_TIMEOUT: (l, v, k) => {
    l.trialTimeoutMs = parsePositiveDuration(v, k);
  },
  PROVIDER_HEALTH_REJECT_WITH: (l, v, k) => {
    l.rejectWith = parseEnum(v, REJECT_WITH, k);
  },
  PROVIDER_HEALTH_SERVER: (l, v, k) => {
    l.server = parseServer(v, k);
  },
  PROVIDER_HEALTH_ADMIN_TOKEN: (l, v, k) => {
    l.adminToken = parseAdminToken(v, k);
  },
  PROVIDER_HEALTH_CHECK_INTERVAL: (l, v, k) => {
    l.checkIntervalMs = v === 'off' ? false : parsePositiveDuration(v, k);
  },
  PROVIDER_HEALTH_CHECK_TIMEOUT: (l, v, k) => {
    l.checkTimeoutMs = parsePositiveDuration(v, k);
  },
  PROVIDER_HEALTH_CHECK_FEEDS_BREAKER: (l, v, k) => {
    l.checkFeedsBreaker = parseBoolean(v, k);
  },
  PROVIDER_HEALTH_DEGRADED_FAILURE_RATE: (l, v, k) => {
    l.degradedFailureRate = parseNumericText(v, parseRate, k);
  },
  PROVIDER_HEALTH_DEGRADED_LATENCY: (l, v, k) => {
    l.degradedLatencyMs = parsePositiveDuration(v, k);
  },
  PROVIDER_HEALTH_STATS_WINDOW: (l, v, k) => {
    l.statsWindowMs = parsePositiveDuration(v, k);
  },
  // Read by the logger itself (src/telemetry/log.ts) before any option is resolved; validated here
  // so that a typo gets the same one clear message as every other key.
  PROVIDER_HEALTH_LOG_LEVEL: (_l, v, k) => {
    parseEnum(v.toLowerCase(), LOG_LEVELS, k);
  },
};

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

export const ENV_VARS: readonly string[] = Object.keys(ENV_READERS);

/**
 * The environment's layer. Values are trimmed; an empty variable counts as unset, as in the
 * OpenTelemetry SDK, so `PROVIDER_HEALTH_MODE=` in a compose file does not break startup.
 */
export function readEnvOptions(env: Env = process.env): OptionLayer {
  const layer: OptionLayer = {};
  for (const [key, read] of Object.entries(ENV_READERS)) {
    const value = env[key]?.trim();
    if (value) read(layer, value, key);
  }
  for (const key of Object.keys(env)) {
    if (key.startsWith(PREFIX) && !Object.hasOwn(ENV_READERS, key) && env[key]?.trim()) {
      throw unknownKey(key, env[key], ENV_VARS);
    }
  }
  return layer;
}

const ENTRY_ACCEPTED = 'comma-separated name=host entries, e.g. openai=127.0.0.1:4010,my-llm=*.llm.internal';

/** `openai=127.0.0.1:4010,my-llm=*.llm.internal`; repeating a name adds another host. */
function readProviders(layer: OptionLayer, value: string, key: string): void {
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    // Tolerate a trailing comma, the usual leftover of building the list in a shell.
    if (entry === '') continue;
    const equals = entry.indexOf('=');
    if (equals < 0) throw new ConfigError({ key, value: entry, accepted: ENTRY_ACCEPTED });
    const name = parseProviderName(entry.slice(0, equals).trim(), key);
    const host = parseHostPattern(entry.slice(equals + 1).trim(), key);
    addProviderHosts(layer, name, [host]);
  }
}
