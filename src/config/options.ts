import { DEFAULT_BREAKER_OPTIONS } from '../breaker/breaker-options.js';
import type { LogLevel } from '../common/log.js';
import type { RelativeThreshold } from '../health/baseline.js';
import type { PriceRule } from '../health/price-table.js';
import type { Outcome } from '../outcome/outcome.js';
import type { BodyRule, OutcomeRules } from '../outcome/rules.js';
import type { UsageFormat } from '../usage/usage-format.js';
import type { ConfigError } from './config-error.js';
import type { FleetRedisTarget } from './redis-url.js';

/** Where a duration may be given as `500ms`, `60s`, `1m` or a bare number of milliseconds. */
export type DurationInput = number | string;

export type Mode = 'enforce' | 'observe' | 'off';
export type BudgetAction = 'degrade' | 'reject';

/** A model's price per million tokens, in the configured currency. */
export interface PriceInput {
  input: number;
  output: number;
}

/** At most `amount` (in the configured currency) over a sliding window of `per`. */
export interface BudgetOptions {
  amount: number;
  per: DurationInput;
}
export type RejectWith = 'response' | 'error';

/** Per-provider settings; every field falls back to the global one. */
export interface ProviderOptions {
  /** Hosts that belong to this provider: `api.example.com`, `127.0.0.1:4010`, `*.llm.internal`. */
  hosts?: string[];
  /** @default 5 */
  failureThreshold?: number;
  /** @default '60s' */
  recoveryTimeout?: DurationInput;
  /** @default 3 */
  successThreshold?: number;
  /** How long a half-open trial may stay unsettled before it counts as a timeout. @default '30s' */
  trialTimeout?: DurationInput;
  /** Outcomes that count as failures for the breaker. @default ['provider_error','timeout','connection_error'] */
  tripOn?: Outcome[];
  /** Active health check: a URL to GET, or `false` for none. */
  healthCheckUrl?: string | false;
  /**
   * When an abort before any response header counts as a `timeout` rather than a caller's
   * `canceled` (SDKs enforce their own timeout with a bare abort): after waiting `factor` times
   * the provider's recent p95 time to first byte, and at least `min`; a timeout the request
   * declares in its headers (`x-stainless-timeout`, `grpc-timeout`) decides instead. `false`: only
   * aborts whose reason says timeout, or after the trial timeout. @default { factor: 4, min: '1s' }
   */
  abortTimeout?: { factor?: number; min?: DurationInput } | false;
  /**
   * The slow-call rule (resilience4j's), off unless set: a call slower than this is slow (time to
   * the response headers; the whole duration when none came), and `slowCallRate` of the last
   * `slowCallMinCalls` calls slow opens the circuit. A duration, or `{ factor, min }`: slower than
   * `factor` times this hour's baseline p95 time to first byte, and than `min`.
   */
  slowCallDuration?: DurationInput | { factor: number; min: DurationInput };
  /** Share of the last `slowCallMinCalls` calls that must be slow to open. @default 0.5 */
  slowCallRate?: number;
  /** Calls the slow-call rate is judged over. @default 20 */
  slowCallMinCalls?: number;
  /**
   * Endpoints named explicitly, each with a breaker and stats of its own (regions, deployments):
   * `{ eu: { hosts: ['eu.api.example.com'], region: 'eu-west-1' } }`. Addressed as `openai@eu`.
   * Catalog providers whose hosts name a region or deployment (Bedrock, Vertex AI, Azure OpenAI)
   * get theirs from the host without this.
   */
  endpoints?: Record<string, EndpointOptions>;
  /**
   * Classification rules that win over the built-in ones for this provider:
   * `{ status: { 404: 'provider_error' }, body: [{ contains: 'capacity', outcome: 'provider_error' }], errorCodes: { EAI_AGAIN: 'timeout' } }`.
   */
  outcomes?: OutcomeRulesInput;
  /**
   * Where its responses report token usage: `openai` (and OpenAI-compatible APIs), `anthropic`,
   * `gemini`, `bedrock`; `false` reads none. Catalog providers have theirs; set it for a custom
   * OpenAI-compatible provider.
   */
  usage?: UsageFormat | false;
  /**
   * Prices per million tokens, by model or model prefix (`gpt-4o*`; `*` alone for any model), in
   * the configured currency: `{ 'gpt-4o-mini': { input: 0.15, output: 0.6 } }`. No built-in prices.
   */
  prices?: Record<string, PriceInput>;
  /** Spend allowed over a sliding window: `{ amount: 50, per: '1h' }`. Needs `prices`. */
  budget?: BudgetOptions;
  /**
   * What a spent budget does: `degrade` (status degraded, reason `budget`: `pickHealthy` routes
   * elsewhere) or `reject` (requests answered locally, outcome `budget_exceeded`, until the
   * window frees up). @default 'degrade'
   */
  budgetAction?: BudgetAction;
}

export interface EndpointOptions {
  hosts?: string[];
  /** The cloud region, reported as `cloud.region`. */
  region?: string;
}

/** Per-provider classification rules as users write them (see src/outcome/rules.ts). */
export interface OutcomeRulesInput {
  status?: Record<string, Outcome>;
  body?: BodyRule[];
  errorCodes?: Record<string, Outcome>;
}

/** Everything a user can set, in code, in the environment or in a config file. */
export interface ProviderHealthOptions {
  /** @default 'enforce' */
  mode?: Mode;
  /** @default 'response' */
  rejectWith?: RejectWith;
  /** Global breaker defaults. */
  failureThreshold?: number;
  recoveryTimeout?: DurationInput;
  successThreshold?: number;
  trialTimeout?: DurationInput;
  /** Providers by name: built-in ones are extended, new names create providers. */
  providers?: Record<string, ProviderOptions>;
  /** Health server `host:port`, or `off`/false. @default '127.0.0.1:9465' */
  server?: string | false;
  /** Bearer token for admin endpoints; without one they are disabled. */
  adminToken?: string;
  /** Active health check interval, or `off`/false. @default '60s' */
  checkInterval?: DurationInput | false;
  /** How long one active health check may take before it counts as a timeout. @default '10s' */
  checkTimeout?: DurationInput;
  /** Whether active check outcomes count for the breakers like real traffic. @default true */
  checkFeedsBreaker?: boolean;
  /** Path of a JSON or YAML config file. */
  configFile?: string;
  /** Degraded when the recent failure rate is at or above this. @default 0.1 */
  degradedFailureRate?: number;
  /** Degraded when recent p95 latency is above this. @default '30s' */
  degradedLatency?: DurationInput;
  /** Sliding window for "recent" stats. @default '5m' */
  statsWindow?: DurationInput;
  /**
   * Degraded while the recent p95 time to first byte is above `factor` times this hour's
   * baseline and above `min` (an alternative to the fixed `degradedLatency`), or `false`.
   * @default false
   */
  degradedLatencyBaseline?: { factor: number; min: DurationInput } | false;
  /** The early warning: degraded (reason `trend`) while failures or latency trend up against the baseline. @default true */
  trendDetection?: boolean;
  /** Directory where each provider's learned baseline is kept between restarts; none: kept in memory only. */
  baselineDir?: string;
  /** The plugin's own log lines on stderr. @default 'info' */
  logLevel?: LogLevel;
  /** Currency of prices, budgets and `ai_provider.cost` (ISO 4217). @default 'USD' */
  currency?: string;
  /** Export `gen_ai.client.token.usage`; turn off when SDK-level instrumentation already does. @default true */
  tokenUsageMetric?: boolean;
  /** Replicas share their breakers through Redis (docs/fleet.md). */
  fleet?: FleetOptions;
}

export interface FleetOptions {
  /** `redis://[user[:password]@]host[:port][/db]`, `rediss://…`; Redis Cluster: comma-separated seed URLs. */
  redis?: string;
  /** The fleet's name and key prefix. @default the service name (OTEL_SERVICE_NAME), else 'provider-health' */
  name?: string;
}

/**
 * A setting of an optional feature (the fleet) whose value is invalid: that feature stays off, with
 * this error as its one message, and the plugin runs without it. Every replica keeps its own breakers.
 */
export interface InvalidSetting {
  readonly invalid: ConfigError;
}

/** Options after resolution: every value present, durations in milliseconds. */
export interface ResolvedProviderOptions {
  hosts: string[];
  failureThreshold: number;
  recoveryTimeoutMs: number;
  successThreshold: number;
  trialTimeoutMs: number;
  tripOn: Outcome[];
  healthCheckUrl: string | false;
  rules: OutcomeRules;
  abortTimeout: AbortTimeoutRule | false;
  slowCall: SlowCallRule | false;
  endpoints: Record<string, EndpointOptions>;
  /** undefined: the catalog's. */
  usage: UsageFormat | false | undefined;
  prices: PriceRule[];
  budget: { amount: number; windowMs: number } | undefined;
  budgetAction: BudgetAction;
}

export type { RelativeThreshold } from '../health/baseline.js';

/** `providers.<name>.slowCallDuration` and its companions, resolved. */
export interface SlowCallRule {
  /** Milliseconds, or relative to the provider's baseline p95 time to first byte. */
  duration: number | RelativeThreshold;
  rate: number;
  minCalls: number;
}

/** See `ProviderOptions.abortTimeout`. */
export interface AbortTimeoutRule {
  factor: number;
  minMs: number;
}

export const DEFAULT_SLOW_CALL_RATE = DEFAULT_BREAKER_OPTIONS.slowCallRate;
export const DEFAULT_SLOW_CALL_MIN_CALLS = DEFAULT_BREAKER_OPTIONS.slowCallMinCalls;

export const DEFAULT_ABORT_TIMEOUT: Readonly<AbortTimeoutRule> = Object.freeze({ factor: 4, minMs: 1_000 });

export interface ResolvedOptions {
  mode: Mode;
  rejectWith: RejectWith;
  failureThreshold: number;
  recoveryTimeoutMs: number;
  successThreshold: number;
  trialTimeoutMs: number;
  /**
   * Only the providers the user named (extra hosts, thresholds); built-ins come from the catalog.
   * Normalised: `hosts` always present (union over all sources, validated, lowercased),
   * durations as numbers of milliseconds, only the fields some source set.
   * `resolveProviderOptions(resolved, name)` applies the global defaults.
   */
  providers: Record<string, ProviderOptions>;
  server: { host: string; port: number } | false;
  adminToken: string | undefined;
  checkIntervalMs: number | false;
  /** Whether any source set the check interval: the preload starts active checks only then. */
  checkIntervalSet: boolean;
  checkTimeoutMs: number;
  checkFeedsBreaker: boolean;
  degradedFailureRate: number;
  degradedLatencyMs: number;
  statsWindowMs: number;
  degradedLatencyBaseline: RelativeThreshold | false;
  trendDetection: boolean;
  baselineDir: string | undefined;
  logLevel: LogLevel;
  /** Where the fleet's Redis is; undefined: no fleet. */
  fleetRedis: FleetRedisTarget | InvalidSetting | undefined;
  /** undefined: the default (the service name). */
  fleetName: string | InvalidSetting | undefined;
  currency: string;
  tokenUsageMetric: boolean;
}
