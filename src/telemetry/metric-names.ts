/**
 * The one map of metric names. Instruments, dashboards, alert rules and their tests are all
 * generated from or checked against this file, so a rename here cannot leave a panel or an
 * alert querying a name the code no longer emits.
 */
import { DEFAULT_TRIPPING_OUTCOMES, OUTCOMES, UNCOUNTED_OUTCOMES } from '../outcome/outcome.js';

export const ATTR = {
  provider: 'gen_ai.provider.name',
  outcome: 'ai_provider.outcome',
  statusCode: 'http.response.status_code',
  circuitState: 'ai_provider.circuit.state',
  circuitFrom: 'ai_provider.circuit.from',
  circuitTo: 'ai_provider.circuit.to',
  /** Why: `failure_threshold`, `slow_call_rate`, `recovery_timeout`, … (a dozen values, fixed). */
  circuitReason: 'ai_provider.circuit.reason',
  healthStatus: 'ai_provider.health.status',
  /** `failure_rate` or `latency`: which signal of the early warning trends up. */
  trendSignal: 'ai_provider.trend.signal',
  /** The host of one endpoint of a provider (docs/design.md, "Endpoints"): a region's or a deployment's. */
  serverAddress: 'server.address',
  /** The region of an endpoint, when its provider names regions (Bedrock, Vertex AI). */
  cloudRegion: 'cloud.region',
  /** `requests` or `tokens`: which budget an `x-ratelimit-*` header pair describes. */
  ratelimitKind: 'ai_provider.ratelimit.kind',
  /** OTel GenAI semantic conventions: `chat`, `text_completion`, `embeddings`, `generate_content`. */
  operationName: 'gen_ai.operation.name',
  /** `input` or `output` (OTel GenAI semantic conventions). */
  tokenType: 'gen_ai.token.type',
  /** The model a request named (in its path: Gemini, Vertex AI, Bedrock) when its response named none. */
  requestModel: 'gen_ai.request.model',
  /** The model the response named. */
  responseModel: 'gen_ai.response.model',
} as const;

/** Values of `gen_ai.token.type`. */
export const TOKEN_TYPE_VALUES = ['input', 'output'] as const;

/**
 * `gen_ai.client.token.usage` boundaries, the OTel GenAI semantic conventions' advice:
 * 1, 4, 16, … 67108864 (×4).
 */
export const TOKEN_BUCKETS: readonly number[] = Array.from({ length: 14 }, (_, i) => 4 ** i);
/** Values of `ai_provider.trend.signal`. */
export const TREND_SIGNAL_VALUES = ['failure_rate', 'latency'] as const;

/** Values of `ai_provider.ratelimit.kind`. */
export const RATELIMIT_KIND_VALUES = ['requests', 'tokens'] as const;

export type MetricKind = 'counter' | 'histogram' | 'gauge';

export interface MetricDefinition {
  /** OpenTelemetry instrument name. */
  otelName: string;
  kind: MetricKind;
  unit: string;
  description: string;
  /** OTel attribute keys the instrument records. */
  attributes: readonly string[];
  /** Has series only with this configured or reported: usage in responses, prices, a budget, a fleet. */
  needs?: 'usage' | 'prices' | 'budget' | 'fleet';
}

export const METRICS = {
  requests: {
    otelName: 'ai_provider.requests',
    kind: 'counter',
    unit: '{request}',
    description: 'Requests to AI providers, by provider and outcome.',
    attributes: [ATTR.provider, ATTR.outcome, ATTR.statusCode],
  },
  requestDuration: {
    otelName: 'ai_provider.request.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time from request start to the end of the response body (a stream ends when it ends).',
    attributes: [ATTR.provider, ATTR.outcome],
  },
  timeToFirstByte: {
    otelName: 'ai_provider.time_to_first_byte',
    kind: 'histogram',
    unit: 's',
    description: 'Time from request start to the response headers.',
    attributes: [ATTR.provider],
  },
  circuitState: {
    otelName: 'ai_provider.circuit.state',
    kind: 'gauge',
    unit: '1',
    description: 'Circuit breaker state, one-hot: 1 on the current state.',
    attributes: [ATTR.provider, ATTR.circuitState],
  },
  circuitTransitions: {
    otelName: 'ai_provider.circuit.transitions',
    kind: 'counter',
    unit: '{transition}',
    description: 'Circuit breaker state transitions, by from, to and reason.',
    attributes: [ATTR.provider, ATTR.circuitFrom, ATTR.circuitTo, ATTR.circuitReason],
  },
  health: {
    otelName: 'ai_provider.health',
    kind: 'gauge',
    unit: '1',
    description: 'Provider health status, one-hot: 1 on the current status.',
    attributes: [ATTR.provider, ATTR.healthStatus],
  },
  up: {
    otelName: 'ai_provider.up',
    kind: 'gauge',
    unit: '1',
    description: '1 when the provider is available, else 0.',
    attributes: [ATTR.provider],
  },
  // The early warning (docs/design.md, "Baselines and early warning"): 1 on each signal trending
  // up against the provider's baseline while its circuit is closed. Never a rejection by itself.
  degrading: {
    otelName: 'ai_provider.degrading',
    kind: 'gauge',
    unit: '1',
    description:
      "1 while the provider's failures or times to first byte trend up against its baseline (the early warning), by signal; else 0.",
    attributes: [ATTR.provider, ATTR.trendSignal],
  },
  // Rate-limit headroom, read from response headers (`x-ratelimit-remaining-requests`,
  // `x-ratelimit-limit-tokens`, `anthropic-ratelimit-*`); only providers that send them have series.
  // The unit is an annotation rather than `1`: OTLP into Prometheus would name a `1` gauge `_ratio`.
  ratelimitRemaining: {
    otelName: 'ai_provider.ratelimit.remaining',
    kind: 'gauge',
    unit: '{quota}',
    description: 'Requests or tokens left in the current rate-limit window, from the last response headers.',
    attributes: [ATTR.provider, ATTR.ratelimitKind],
  },
  ratelimitLimit: {
    otelName: 'ai_provider.ratelimit.limit',
    kind: 'gauge',
    unit: '{quota}',
    description: 'Requests or tokens allowed per rate-limit window, from the last response headers.',
    attributes: [ATTR.provider, ATTR.ratelimitKind],
  },
  // Token usage and cost (docs/design.md, "Token usage and cost"): only providers whose responses
  // report usage have series; cost and budget only with `providers.<name>.prices` / `.budget`.
  tokenUsage: {
    otelName: 'gen_ai.client.token.usage',
    kind: 'histogram',
    unit: '{token}',
    description: 'Number of input and output tokens used, as the responses report it.',
    attributes: [
      ATTR.provider,
      ATTR.operationName,
      ATTR.tokenType,
      ATTR.requestModel,
      ATTR.responseModel,
      ATTR.serverAddress,
    ],
    needs: 'usage',
  },
  cost: {
    otelName: 'ai_provider.cost',
    kind: 'counter',
    // The configured currency replaces USD (`currency` option); braces: an annotation, no suffix.
    unit: '{USD}',
    description:
      'What the calls cost at the configured prices, by provider, model and outcome (failed calls apart).',
    attributes: [ATTR.provider, ATTR.requestModel, ATTR.responseModel, ATTR.outcome],
    needs: 'prices',
  },
  budgetSpent: {
    otelName: 'ai_provider.budget.spent',
    kind: 'gauge',
    unit: '{USD}',
    description: "Spent within the provider's budget window (providers.<name>.budget).",
    attributes: [ATTR.provider],
    needs: 'budget',
  },
  budgetLimit: {
    otelName: 'ai_provider.budget.limit',
    kind: 'gauge',
    unit: '{USD}',
    description: "The provider's budget per window (providers.<name>.budget amount).",
    attributes: [ATTR.provider],
    needs: 'budget',
  },
  // Only with a fleet (docs/design.md, "Fleet"). No attribute: which replica it is, the resource says.
  fleetConnected: {
    otelName: 'ai_provider.fleet.connected',
    kind: 'gauge',
    unit: '1',
    description:
      '1 while this replica shares its breakers with the fleet through Redis, 0 while it decides alone (Redis unreachable).',
    attributes: [],
    needs: 'fleet',
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;

/** Request duration histogram boundaries in seconds: 0.01 doubling to 327.68. */
export const DURATION_BUCKETS_SECONDS: readonly number[] = Array.from(
  { length: 16 },
  (_, i) => 0.01 * 2 ** i,
);

/**
 * How a Prometheus server names a metric. `builtin` is @opentelemetry/exporter-prometheus
 * 0.223 (no unit suffix); `otlp` is OTLP into a Collector or Prometheus' OTLP receiver,
 * which adds the unit (`_seconds`) and, for a gauge of unit `1`, `_ratio`
 * (prometheus/otlptranslator, UnderscoreEscapingWithSuffixes).
 */
export type PrometheusNaming = 'builtin' | 'otlp';

export type PrometheusSeries = 'total' | 'bucket' | 'sum' | 'count' | 'gauge';

export function prometheusLabel(attribute: string): string {
  return attribute.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** Base Prometheus name of a metric, before `_total` / `_bucket` and friends. */
export function prometheusBaseName(key: MetricKey, naming: PrometheusNaming): string {
  const def: MetricDefinition = METRICS[key];
  const base = prometheusLabel(def.otelName);
  if (naming === 'otlp' && def.unit === 's') return `${base}_seconds`;
  if (naming === 'otlp' && def.unit === '1' && def.kind === 'gauge') return `${base}_ratio`;
  return base;
}

/** Full Prometheus series name: `ai_provider_requests_total`, `ai_provider_request_duration_bucket`. */
export function prometheusName(
  key: MetricKey,
  naming: PrometheusNaming = 'builtin',
  series?: PrometheusSeries,
): string {
  const def: MetricDefinition = METRICS[key];
  const base = prometheusBaseName(key, naming);
  const kindSeries: PrometheusSeries =
    series ?? (def.kind === 'counter' ? 'total' : def.kind === 'histogram' ? 'bucket' : 'gauge');
  return kindSeries === 'gauge' ? base : `${base}_${kindSeries}`;
}

/**
 * Values of `ai_provider.outcome`, and the sets dashboards and alert rules split them into. Defined
 * by the outcome layer; re-exported here so that the monitoring mixin (src/mixin/) reads every
 * name and value it queries from this one file.
 */
export const OUTCOME_VALUES = OUTCOMES;
/** Outcomes that open a circuit by default: the failures of a failure ratio. */
export const TRIPPING_OUTCOME_VALUES = DEFAULT_TRIPPING_OUTCOMES;
/** Outcomes left out of ratios: the caller gave up, or the plugin answered locally. */
export const UNCOUNTED_OUTCOME_VALUES = UNCOUNTED_OUTCOMES;

export const CIRCUIT_STATE_VALUES = ['closed', 'open', 'half_open'] as const;
export const HEALTH_STATUS_VALUES = ['available', 'degraded', 'unavailable'] as const;

/**
 * Not an instrument: the series every OTel Prometheus exporter (and Prometheus' OTLP receiver)
 * adds for the resource, with `service_name` among its labels. Dashboards read the service
 * name from it, so it belongs to the names the plugin emits.
 */
export const TARGET_INFO_SERIES = 'target_info';
