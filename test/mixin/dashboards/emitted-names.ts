/**
 * The series names an expression may use, derived from the code's metric map (never a copied
 * list): what the plugin emits under a naming variant, what our recording rules write, and
 * `up`, which Prometheus writes itself for every scrape target.
 */
import { recordNames } from '../../../src/mixin/alerts/recording-rules.js';
import { DEFAULT_THRESHOLDS } from '../../../src/mixin/config/thresholds.js';
import {
  METRICS,
  type MetricKey,
  type PrometheusNaming,
  type PrometheusSeries,
  prometheusName,
  TARGET_INFO_SERIES,
} from '../../../src/telemetry/metric-names.js';

const SERIES_OF_KIND: Readonly<Record<string, readonly PrometheusSeries[]>> = {
  counter: ['total'],
  histogram: ['bucket', 'sum', 'count'],
  gauge: ['gauge'],
};

export function emittedNames(naming: PrometheusNaming): Set<string> {
  const names = new Set<string>([TARGET_INFO_SERIES]);
  for (const key of Object.keys(METRICS) as MetricKey[]) {
    for (const series of SERIES_OF_KIND[METRICS[key].kind] ?? [])
      names.add(prometheusName(key, naming, series));
  }
  return names;
}

/** What the rules record with the default options. */
export const RECORDED_NAMES: ReadonlySet<string> = new Set(Object.values(recordNames(DEFAULT_THRESHOLDS)));
export const PROMETHEUS_OWN_NAMES: ReadonlySet<string> = new Set(['up']);

export function allowedNames(naming: PrometheusNaming): Set<string> {
  return new Set([...emittedNames(naming), ...RECORDED_NAMES, ...PROMETHEUS_OWN_NAMES]);
}
