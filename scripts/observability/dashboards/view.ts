/** What a dashboard shows: which naming variant, which series it filters to, how it splits them. */
import type { PrometheusNaming } from '../../../src/telemetry/metric-names.js';
import type { Matcher } from '../promql.js';

export interface View {
  naming: PrometheusNaming;
  /** Matchers on every selector: job and instance, plus the provider in the drill-down. */
  scope: readonly Matcher[];
  /** Labels one line per breaker is split by: provider (overview) or instance (drill-down). */
  split: readonly string[];
  /** Legend naming one line of `split`. */
  legend: string;
}

/** Prometheus legend template for a label. */
export const tpl = (label: string): string => `{{${label}}}`;
