/**
 * One naming variant of the mixin with the user's options applied: what every rule, alert,
 * test and panel builder receives.
 */
import type { PrometheusNaming } from '../telemetry/metric-names.js';
import { runbookUrl } from './config/runbook-url.js';
import { extraIdentityLabels, type Matcher } from './config/selector.js';
import type { Thresholds } from './config/thresholds.js';

export interface MixinOptions {
  /** Naming variants to write, each into its own files. */
  namings: readonly PrometheusNaming[];
  /** Matchers added to every series selector. */
  selector: readonly Matcher[];
  /** `runbook_url` pattern, `%s` standing for the lower-case alert name. */
  runbookUrl: string;
  thresholds: Thresholds;
  /** `for:` of every alert, by alert name. */
  for: Readonly<Record<string, string>>;
}

export interface Mixin {
  naming: PrometheusNaming;
  selector: readonly Matcher[];
  /**
   * The labels that name a service: `job`, plus the other labels of the selector, which the rules
   * keep wherever they group by `job` so that alerts and panels can still select on them.
   */
  service: readonly string[];
  thresholds: Thresholds;
  forOf(alert: string): string;
  runbookUrl(alert: string): string;
}

export function mixinFor(options: MixinOptions, naming: PrometheusNaming): Mixin {
  return {
    naming,
    selector: options.selector,
    service: ['job', ...extraIdentityLabels(options.selector)],
    thresholds: options.thresholds,
    forOf(alert) {
      const duration = options.for[alert];
      if (duration === undefined) throw new Error(`no for: duration for ${alert}`);
      return duration;
    },
    runbookUrl: (alert) => runbookUrl(options.runbookUrl, alert),
  };
}
