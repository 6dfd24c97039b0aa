/**
 * What one alert is: its rule, monitoring-mixin style (an `AiProvider` prefix, a `severity`
 * label; `summary`, `description` and `runbook_url` annotations), and the promtool scenarios
 * that prove it, built for the user's options. Adding an alert is one AlertDefinition in
 * catalog.ts plus its section in docs/runbooks.md.
 */
import type { Mixin } from '../mixin.js';
import type { InputSeries } from './test-series.js';
import type { Labels, TestTargets } from './test-targets.js';

export type Severity = 'critical' | 'warning';

export const ALERT_PREFIX = 'AiProvider';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity };
  annotations: { summary: string; description: string; runbook_url: string };
}

/** One firing alert a scenario expects: its labels, and its value where an annotation shows it. */
export interface Firing {
  labels: Labels;
  value?: number;
}

export interface Scenario {
  name: string;
  minutes: number;
  series: InputSeries[];
  /** Minute at which the condition holds but `for:` has not elapsed. */
  pendingAt: number;
  firesAt: number;
  firing: Firing[];
  /** Minute by which the data has recovered and the alert resolved. */
  resolvedAt?: number;
}

export interface AlertDefinition {
  alert: string;
  severity: Severity;
  defaultFor: string;
  /** Shortest and longest `for:` its scenarios can prove (default 1m and a day). */
  minFor?: string;
  maxFor?: string;
  expr(m: Mixin): string;
  /**
   * Names only labels the example Alertmanager groups by (alertname, job, provider), so that a
   * notification of a group shows one summary; the description names the rest.
   */
  summary(m: Mixin): string;
  description(m: Mixin): string;
  scenarios(m: Mixin, targets: TestTargets): Scenario[];
}

export function alertRule(definition: AlertDefinition, m: Mixin): AlertRule {
  return {
    alert: definition.alert,
    expr: definition.expr(m),
    for: m.forOf(definition.alert),
    labels: { severity: definition.severity },
    annotations: {
      summary: definition.summary(m),
      description: definition.description(m),
      runbook_url: m.runbookUrl(definition.alert),
    },
  };
}

export const pct = (ratio: number): string => `${Math.round(ratio * 10_000) / 100}%`;
