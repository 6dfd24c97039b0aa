/** What a dashboard shows: which naming variant, which series it filters to, how it splits them. */
import type { PrometheusNaming } from '../../telemetry/metric-names.js';
import type { Mixin } from '../mixin.js';
import type { Matcher } from '../promql.js';

export interface View {
  m: Mixin;
  naming: PrometheusNaming;
  /** Matchers on every selector: the user's selector, job and instance, plus the provider in the drill-down. */
  scope: readonly Matcher[];
  /** Labels one line per breaker is split by: provider (overview) or instance (drill-down). */
  split: readonly string[];
  /** Legend naming one line of `split`. */
  legend: string;
}

/** Prometheus legend template for a label. */
export const tpl = (label: string): string => `{{${label}}}`;
