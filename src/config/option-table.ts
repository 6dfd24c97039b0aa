import { DEFAULT_BREAKER_OPTIONS } from '../breaker/breaker-options.js';
import { LOG_LEVELS, type LogLevel } from '../common/log.js';
import { splitEndpointName } from '../common/provider-name.js';
import { ConfigError, isConfigError } from './config-error.js';
import { parseCurrency } from './cost-options.js';
import { parseDuration, parseInterval, parsePositiveDuration, parseTimeout } from './duration.js';
import { parseFleetName } from './fleet-name.js';
import { parseHostPattern, parseProviderName } from './host-pattern.js';
import type { InvalidSetting, Mode, ProviderOptions, RejectWith, ResolvedOptions } from './options.js';
import { parseProviders } from './provider-options.js';
import { parseFleetRedis } from './redis-url.js';
import { parseRelativeThreshold, parseRelativeThresholdText } from './relative-threshold.js';
import { DEFAULT_SERVER_HOST, DEFAULT_SERVER_PORT, parseServer } from './server-address.js';
import {
  type Parse,
  parseAdminToken,
  parseBoolean,
  parseEnum,
  parseNonEmptyString,
  parseRate,
  parseThreshold,
} from './values.js';

export const MODES: readonly Mode[] = ['enforce', 'observe', 'off'];
export const REJECT_WITH: readonly RejectWith[] = ['response', 'error'];

/** The global settings that have a default: every resolved key but the per-provider map. */
export type GlobalOptions = Omit<ResolvedOptions, 'providers' | 'checkIntervalSet'>;
type GlobalKey = keyof GlobalOptions;

/**
 * What one source (code, environment, file) said, already validated and converted, under the
 * resolved names (`recoveryTimeoutMs`), so that merging is "first source that has it".
 */
export interface OptionLayer extends Partial<GlobalOptions> {
  providers?: Map<string, ProviderOptions>;
  configFile?: string;
}
type LayerKey = keyof OptionLayer;

/** One setting, everywhere it can be given. The README's configuration table is printed from these. */
export interface OptionSpec {
  /** Key in code and in a config file (`recoveryTimeout`). */
  readonly option: string;
  /** How the README names it, when not just `option`. */
  readonly readmeOption?: string;
  /** Environment variable, if it has one. */
  readonly env: string | undefined;
  /** Where the parsed value goes in a layer (`recoveryTimeoutMs`). */
  readonly target: LayerKey;
  /** Validates a value from code or a file (and from the environment unless `parseEnv` is set). */
  readonly parse: Parse<unknown>;
  /** Parses the environment's text when its syntax differs from the option's. */
  readonly parseEnv?: (text: string, key: string) => unknown;
  /** A number: the environment's plain decimal text is read as one (code and files must give a number). */
  readonly numeric?: boolean;
  /** Not accepted in a config file (a file cannot name another file). */
  readonly notInFile?: boolean;
  /** A duration in milliseconds: the README shows its default as `60s`. */
  readonly duration?: boolean;
  /** The README's default when it is not a constant of DEFAULT_OPTIONS. */
  readonly defaultText?: string;
  readonly meaning: string;
}

const ENTRY_ACCEPTED =
  'comma-separated name=host entries (name@endpoint=host for an endpoint), e.g. openai=127.0.0.1:4010,my-llm=*.llm.internal';

/** `openai=127.0.0.1:4010,my-llm=*.llm.internal`; repeating a name adds another host. */
function parseProviderEntries(text: string, key: string): Map<string, ProviderOptions> {
  const providers = new Map<string, ProviderOptions>();
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    // Tolerate a trailing comma, the usual leftover of building the list in a shell.
    if (entry === '') continue;
    const equals = entry.indexOf('=');
    if (equals < 0) throw new ConfigError({ key, value: entry, accepted: ENTRY_ACCEPTED });
    const { provider: rawName, endpoint } = splitEndpointName(entry.slice(0, equals).trim());
    const name = parseProviderName(rawName, key);
    const host = parseHostPattern(entry.slice(equals + 1).trim(), key);
    const options = providers.get(name) ?? { hosts: [] };
    if (endpoint === undefined) options.hosts = [...new Set([...(options.hosts ?? []), host])];
    else {
      const endpointName = parseProviderName(endpoint, key);
      const endpoints = { ...(options.endpoints ?? {}) };
      const hosts = endpoints[endpointName]?.hosts ?? [];
      endpoints[endpointName] = { ...endpoints[endpointName], hosts: [...new Set([...hosts, host])] };
      options.endpoints = endpoints;
    }
    providers.set(name, options);
  }
  return providers;
}

function parseLogLevel(value: unknown, key: string, file?: string): LogLevel {
  const lower = typeof value === 'string' ? value.toLowerCase() : value;
  if (typeof lower === 'string' && (LOG_LEVELS as readonly string[]).includes(lower))
    return lower as LogLevel;
  return parseEnum(value, LOG_LEVELS, key, file);
}

const checkInterval: Parse<number | false> = (value, key, file) =>
  value === false || value === 'off' ? false : parseInterval(value, key, file);

/**
 * A setting of an optional feature: a bad value turns off that feature only (one message when it
 * would start), not the plugin. The fleet is such a feature: without it each replica keeps its own
 * breakers, which is what the service had before.
 */
function featureSetting<T>(parse: Parse<T>): Parse<T | InvalidSetting> {
  return (value, key, file) => {
    try {
      return parse(value, key, file);
    } catch (error) {
      if (isConfigError(error)) return { invalid: error };
      throw error;
    }
  };
}

/** Every setting, in the order the README and error messages list them. A new setting is one entry here. */
export const OPTION_TABLE: readonly OptionSpec[] = [
  {
    option: 'mode',
    env: 'PROVIDER_HEALTH_MODE',
    target: 'mode',
    parse: (v, k, f) => parseEnum(v, MODES, k, f),
    meaning: '`enforce`, `observe` (measure, never reject) or `off`',
  },
  {
    option: 'rejectWith',
    env: 'PROVIDER_HEALTH_REJECT_WITH',
    target: 'rejectWith',
    parse: (v, k, f) => parseEnum(v, REJECT_WITH, k, f),
    meaning:
      '`response` (the local 400 reply no client retries) or `error` (CircuitOpenError; clients that retry connection errors still get the reply)',
  },
  {
    option: 'failureThreshold',
    env: 'PROVIDER_HEALTH_FAILURE_THRESHOLD',
    target: 'failureThreshold',
    parse: parseThreshold,
    numeric: true,
    meaning: 'consecutive failures that open a circuit',
  },
  {
    option: 'recoveryTimeout',
    duration: true,
    env: 'PROVIDER_HEALTH_RECOVERY_TIMEOUT',
    target: 'recoveryTimeoutMs',
    parse: parseDuration,
    meaning: 'time open before the half-open trials',
  },
  {
    option: 'successThreshold',
    env: 'PROVIDER_HEALTH_SUCCESS_THRESHOLD',
    target: 'successThreshold',
    parse: parseThreshold,
    numeric: true,
    meaning: 'consecutive trial successes that close it (and the most trials at once)',
  },
  {
    option: 'trialTimeout',
    duration: true,
    env: 'PROVIDER_HEALTH_TRIAL_TIMEOUT',
    target: 'trialTimeoutMs',
    parse: parseTimeout,
    meaning: 'a trial unsettled this long counts as a timeout',
  },
  {
    option: 'providers',
    readmeOption: 'providers.<name>.hosts',
    env: 'PROVIDER_HEALTH_PROVIDERS',
    target: 'providers',
    parse: parseProviders,
    parseEnv: parseProviderEntries,
    meaning:
      'adds hosts to providers, creating new ones: `openai=127.0.0.1:4010,my-llm=*.llm.internal`. A pattern with a port matches that host and port; without one, the host on any port',
  },
  {
    option: 'server',
    env: 'PROVIDER_HEALTH_SERVER',
    target: 'server',
    parse: parseServer,
    meaning: 'where the health endpoints listen (`host:port`, `:port`), or `off`',
  },
  {
    option: 'adminToken',
    env: 'PROVIDER_HEALTH_ADMIN_TOKEN',
    target: 'adminToken',
    parse: parseAdminToken,
    meaning: 'bearer token for reset / force-open, at least 16 characters; without one they are disabled',
  },
  {
    option: 'checkInterval',
    duration: true,
    env: 'PROVIDER_HEALTH_CHECK_INTERVAL',
    target: 'checkIntervalMs',
    parse: checkInterval,
    meaning: 'active check interval, or `off`; the preload starts checks only when this is set',
  },
  {
    option: 'checkTimeout',
    duration: true,
    env: 'PROVIDER_HEALTH_CHECK_TIMEOUT',
    target: 'checkTimeoutMs',
    parse: parseTimeout,
    meaning: 'how long one active check may take before it counts as a timeout',
  },
  {
    option: 'checkFeedsBreaker',
    env: 'PROVIDER_HEALTH_CHECK_FEEDS_BREAKER',
    target: 'checkFeedsBreaker',
    parse: parseBoolean,
    meaning:
      'whether check outcomes count like real traffic (a success of an open circuit starts its trials, never closes it)',
  },
  {
    option: 'degradedFailureRate',
    env: 'PROVIDER_HEALTH_DEGRADED_FAILURE_RATE',
    target: 'degradedFailureRate',
    parse: parseRate,
    numeric: true,
    meaning: 'recent failure share that makes a provider degraded',
  },
  {
    option: 'degradedLatency',
    duration: true,
    env: 'PROVIDER_HEALTH_DEGRADED_LATENCY',
    target: 'degradedLatencyMs',
    parse: parsePositiveDuration,
    meaning: 'recent p95 above which a provider is degraded',
  },
  {
    option: 'statsWindow',
    duration: true,
    env: 'PROVIDER_HEALTH_STATS_WINDOW',
    target: 'statsWindowMs',
    parse: parseInterval,
    meaning: 'the sliding window of "recent" stats',
  },
  {
    option: 'degradedLatencyBaseline',
    env: 'PROVIDER_HEALTH_DEGRADED_LATENCY_BASELINE',
    target: 'degradedLatencyBaseline',
    parse: (v, k, f) => (v === false || v === 'off' ? false : parseRelativeThreshold(v, k, f)),
    parseEnv: parseRelativeThresholdText,
    meaning:
      "degraded while the recent p95 time to first byte is above a factor of this hour's baseline and a floor: `{ factor: 3, min: 1s }` (environment: `3x,1s`), or `off`",
  },
  {
    option: 'trendDetection',
    env: 'PROVIDER_HEALTH_TREND_DETECTION',
    target: 'trendDetection',
    parse: parseBoolean,
    meaning:
      'the early warning: degraded (reason `trend`) while failures or times to first byte trend up against the baseline, before the breaker opens; it never rejects',
  },
  {
    option: 'baselineDir',
    env: 'PROVIDER_HEALTH_BASELINE_DIR',
    target: 'baselineDir',
    parse: parseNonEmptyString,
    parseEnv: (text) => text,
    meaning:
      'directory where learned baselines (per provider, per hour of the week) survive restarts, one small JSON file each; none: kept in memory only',
  },
  {
    option: 'configFile',
    env: 'PROVIDER_HEALTH_CONFIG',
    target: 'configFile',
    parse: parseNonEmptyString,
    parseEnv: (text) => text,
    notInFile: true,
    meaning: 'JSON or YAML file with any of these options, including per-provider settings',
  },
  {
    option: 'currency',
    env: 'PROVIDER_HEALTH_CURRENCY',
    target: 'currency',
    parse: parseCurrency,
    meaning:
      'currency of `providers.<name>.prices` and `budget`, and the unit of `ai_provider.cost` (ISO 4217)',
  },
  {
    option: 'tokenUsageMetric',
    env: 'PROVIDER_HEALTH_TOKEN_USAGE_METRIC',
    target: 'tokenUsageMetric',
    parse: parseBoolean,
    meaning:
      'export `gen_ai.client.token.usage` from the usage responses report; `false` when SDK-level instrumentation already does (usage is still read for cost)',
  },
  {
    option: 'logLevel',
    env: 'PROVIDER_HEALTH_LOG_LEVEL',
    target: 'logLevel',
    parse: parseLogLevel,
    meaning: '`debug`, `info`, `warn`, `error` or `silent` (log lines are JSON on stderr)',
  },
  {
    option: 'fleet.redis',
    env: 'PROVIDER_HEALTH_REDIS_URL',
    target: 'fleetRedis',
    parse: featureSetting(parseFleetRedis),
    meaning:
      'shares the breakers of all replicas through Redis or Valkey (see "Running a fleet"): `redis://[user[:password]@]host[:port][/db]`, `rediss://…`, for Redis Cluster comma-separated seed URLs; a bad value turns off the fleet only',
  },
  {
    option: 'fleet.name',
    env: 'PROVIDER_HEALTH_FLEET',
    target: 'fleetName',
    parse: featureSetting(parseFleetName),
    defaultText: 'the service name (`OTEL_SERVICE_NAME`), else `provider-health`',
    meaning:
      "the fleet's name and key prefix: the replicas that share breakers; letters, digits, `.`, `_`, `-`, at most 64",
  },
];

/** The one set of defaults (docs/design.md, "Configuration"). */
export const DEFAULT_OPTIONS: Readonly<GlobalOptions> = Object.freeze({
  mode: 'enforce',
  rejectWith: 'response',
  failureThreshold: DEFAULT_BREAKER_OPTIONS.failureThreshold,
  recoveryTimeoutMs: DEFAULT_BREAKER_OPTIONS.recoveryTimeoutMs,
  successThreshold: DEFAULT_BREAKER_OPTIONS.successThreshold,
  trialTimeoutMs: DEFAULT_BREAKER_OPTIONS.trialTimeoutMs,
  server: Object.freeze({ host: DEFAULT_SERVER_HOST, port: DEFAULT_SERVER_PORT }),
  adminToken: undefined,
  checkIntervalMs: 60_000,
  checkTimeoutMs: 10_000,
  checkFeedsBreaker: true,
  degradedFailureRate: 0.1,
  degradedLatencyMs: 30_000,
  statsWindowMs: 300_000,
  degradedLatencyBaseline: false,
  trendDetection: true,
  baselineDir: undefined,
  logLevel: 'info',
  fleetRedis: undefined,
  fleetName: undefined,
  currency: 'USD',
  tokenUsageMetric: true,
} satisfies GlobalOptions);

export const GLOBAL_KEYS = Object.keys(DEFAULT_OPTIONS) as GlobalKey[];

/** The default of a setting as the README shows it, from DEFAULT_OPTIONS: `60s`, `5`, none. */
export function defaultText(spec: OptionSpec): string {
  if (spec.defaultText !== undefined) return spec.defaultText;
  const value: unknown = Object.hasOwn(DEFAULT_OPTIONS, spec.target)
    ? DEFAULT_OPTIONS[spec.target as GlobalKey]
    : undefined;
  if (value === undefined) return 'none';
  if (value === false) return '`off`';
  if (typeof value === 'object' && value !== null && 'host' in value && 'port' in value)
    return `\`${String(value.host)}:${String(value.port)}\``;
  if (spec.duration === true && typeof value === 'number') return `\`${formatDuration(value)}\``;
  return `\`${String(value)}\``;
}

/** `5m`, `60s` (a minute reads as seconds, as the breaker's recovery timeout is usually quoted), `500ms`. */
function formatDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}

/** Every variable the plugin reads. Any other `PROVIDER_HEALTH_*` variable is reported as a typo. */
export const ENV_VARS: readonly string[] = OPTION_TABLE.flatMap((spec) =>
  spec.env === undefined ? [] : [spec.env],
);
