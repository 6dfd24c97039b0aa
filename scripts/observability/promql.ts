/**
 * PromQL building blocks. Every metric and label name comes from src/telemetry/metric-names.ts
 * and every outcome set from src/outcome/outcome.ts, so dashboards and rules follow the code.
 */
import { DEFAULT_TRIPPING_OUTCOMES, UNCOUNTED_OUTCOMES } from '../../src/outcome/outcome.js';
import {
  ATTR,
  type MetricKey,
  type PrometheusNaming,
  type PrometheusSeries,
  prometheusLabel,
  prometheusName,
} from '../../src/telemetry/metric-names.js';

/** Prometheus label names of the plugin's attributes. */
export const L = {
  provider: prometheusLabel(ATTR.provider),
  outcome: prometheusLabel(ATTR.outcome),
  statusCode: prometheusLabel(ATTR.statusCode),
  circuitState: prometheusLabel(ATTR.circuitState),
  circuitFrom: prometheusLabel(ATTR.circuitFrom),
  circuitTo: prometheusLabel(ATTR.circuitTo),
  healthStatus: prometheusLabel(ATTR.healthStatus),
  ratelimitKind: prometheusLabel(ATTR.ratelimitKind),
} as const;

/** Regex alternation of label values, anchored by PromQL itself. */
export function oneOf(values: readonly string[]): string {
  return values.join('|');
}

/** Outcomes that count as a failure in a failure ratio: those that trip a breaker by default. */
export const FAILURE_OUTCOMES = oneOf(DEFAULT_TRIPPING_OUTCOMES);
/** Outcomes left out of ratios: the caller gave up, or the plugin answered locally. */
export const UNCOUNTED = oneOf(UNCOUNTED_OUTCOMES);

export type Matcher = readonly [label: string, op: '=' | '!=' | '=~' | '!~', value: string];

/** `name{a="b",…}`; `scope` matchers (job/instance/…) come first so every query visibly filters on them. */
export function sel(name: string, scope: readonly Matcher[], extra: readonly Matcher[] = []): string {
  const all = [...scope, ...extra];
  if (all.length === 0) return name;
  return `${name}{${all.map(([label, op, value]) => `${label}${op}${JSON.stringify(value)}`).join(',')}}`;
}

/** A metric's series name under one naming variant. */
export function metric(key: MetricKey, naming: PrometheusNaming, series?: PrometheusSeries): string {
  return prometheusName(key, naming, series);
}

export function by(labels: readonly string[]): string {
  return `by (${labels.join(', ')})`;
}
