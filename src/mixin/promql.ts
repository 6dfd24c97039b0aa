/**
 * PromQL building blocks. Every metric and label name and every outcome set comes from
 * src/telemetry/metric-names.ts, so dashboards and rules follow the code.
 */
import {
  ATTR,
  type MetricKey,
  type PrometheusNaming,
  type PrometheusSeries,
  prometheusLabel,
  prometheusName,
  TRIPPING_OUTCOME_VALUES,
  UNCOUNTED_OUTCOME_VALUES,
} from '../telemetry/metric-names.js';
import { formatMatchers, type Matcher } from './config/selector.js';

export type { Matcher } from './config/selector.js';

/** Prometheus label names of the plugin's attributes. */
export const L = {
  provider: prometheusLabel(ATTR.provider),
  outcome: prometheusLabel(ATTR.outcome),
  statusCode: prometheusLabel(ATTR.statusCode),
  circuitState: prometheusLabel(ATTR.circuitState),
  circuitFrom: prometheusLabel(ATTR.circuitFrom),
  circuitTo: prometheusLabel(ATTR.circuitTo),
  circuitReason: prometheusLabel(ATTR.circuitReason),
  healthStatus: prometheusLabel(ATTR.healthStatus),
  ratelimitKind: prometheusLabel(ATTR.ratelimitKind),
  trendSignal: prometheusLabel(ATTR.trendSignal),
  tokenType: prometheusLabel(ATTR.tokenType),
  responseModel: prometheusLabel(ATTR.responseModel),
  requestModel: prometheusLabel(ATTR.requestModel),
} as const;

/** Regex alternation of label values, anchored by PromQL itself. */
export function oneOf(values: readonly string[]): string {
  return values.join('|');
}

/** Outcomes that count as a failure in a failure ratio: those that trip a breaker by default. */
export const FAILURE_OUTCOMES = oneOf(TRIPPING_OUTCOME_VALUES);
/** Outcomes left out of ratios: the caller gave up, or the plugin answered locally. */
export const UNCOUNTED = oneOf(UNCOUNTED_OUTCOME_VALUES);

/**
 * `name{a="b",…}`. `scope` is the user's selector (and a dashboard's variables): it comes first
 * so that every query visibly filters on it.
 */
export function sel(name: string, scope: readonly Matcher[], extra: readonly Matcher[] = []): string {
  const all = [...scope, ...extra];
  return all.length === 0 ? name : `${name}{${formatMatchers(all)}}`;
}

/** A metric's series name under one naming variant. */
export function metric(key: MetricKey, naming: PrometheusNaming, series?: PrometheusSeries): string {
  return prometheusName(key, naming, series);
}

export function by(labels: readonly string[]): string {
  return `by (${labels.join(', ')})`;
}

export function on(labels: readonly string[]): string {
  return `on (${labels.join(', ')})`;
}
