/**
 * Alerting rules, monitoring-mixin style: one `AiProvider` prefix, a `severity` label, and
 * `summary`, `description`, `runbook_url` annotations. Annotations quote only labels so that
 * promtool tests can pin them exactly.
 */
import type { PrometheusNaming } from '../../../src/telemetry/metric-names.js';
import { L, metric } from '../promql.js';
import { runbookUrl, THRESHOLDS as T } from '../thresholds.js';
import { RECORD } from './recording-rules.js';

export type Severity = 'critical' | 'warning';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity };
  annotations: { summary: string; description: string; runbook_url: string };
}

export const ALERT_PREFIX = 'AiProvider';

export const ALERT = {
  circuitOpen: `${ALERT_PREFIX}CircuitOpen`,
  circuitOpenOnMostInstances: `${ALERT_PREFIX}CircuitOpenOnMostInstances`,
  allProvidersUnavailable: `${ALERT_PREFIX}AllProvidersUnavailable`,
  circuitFlapping: `${ALERT_PREFIX}CircuitFlapping`,
  highFailureRate: `${ALERT_PREFIX}HighFailureRate`,
  latencyDegraded: `${ALERT_PREFIX}LatencyDegraded`,
  rateLimited: `${ALERT_PREFIX}RateLimited`,
  metricsAbsent: `${ALERT_PREFIX}MetricsAbsent`,
} as const;

const P = `{{ $labels.${L.provider} }}`;
const JOB = '{{ $labels.job }}';
const INSTANCE = '{{ $labels.instance }}';
const pct = (ratio: number): string => `${Math.round(ratio * 100)}%`;

function rule(
  alert: string,
  expr: string,
  forDuration: string,
  severity: Severity,
  summary: string,
  description: string,
): AlertRule {
  return {
    alert,
    expr,
    for: forDuration,
    labels: { severity },
    annotations: { summary, description, runbook_url: runbookUrl(alert) },
  };
}

export function alertRules(naming: PrometheusNaming): AlertRule[] {
  const up = metric('up', naming);
  const traffic = (left: string): string =>
    `(${left}) and on (job, ${L.provider}) ${RECORD.countedRate} > ${T.minRequestRate}`;
  return [
    rule(
      ALERT.circuitOpen,
      `${RECORD.notClosed} == 1`,
      T.circuitOpenFor,
      'warning',
      `Circuit for ${P} is open on ${INSTANCE}.`,
      `The circuit breaker for ${P} on ${INSTANCE} (job ${JOB}) has been open or half-open for more than ${T.circuitOpenFor}: its requests are answered locally with 503 instead of reaching the provider.`,
    ),
    rule(
      ALERT.circuitOpenOnMostInstances,
      `${RECORD.notClosedShare} > ${T.mostInstancesShare}`,
      T.circuitOpenFor,
      'warning',
      `Circuit for ${P} is open on most instances of ${JOB}.`,
      `More than ${pct(T.mostInstancesShare)} of the instances of ${JOB} have had the circuit for ${P} open or half-open for more than ${T.circuitOpenFor}: the provider is failing for the service, not for one instance.`,
    ),
    rule(
      ALERT.allProvidersUnavailable,
      `min by (job, instance) (${RECORD.notClosed}) == 1`,
      T.circuitOpenFor,
      'critical',
      `No AI provider is reachable from ${INSTANCE}.`,
      `Every provider circuit on ${INSTANCE} (job ${JOB}) has been open or half-open for more than ${T.circuitOpenFor}: no AI request from this instance can succeed, fallbacks included.`,
    ),
    rule(
      ALERT.circuitFlapping,
      `${RECORD.trips} >= ${T.flappingTrips}`,
      '5m',
      'warning',
      `Circuit for ${P} on ${INSTANCE} is flapping.`,
      `The circuit for ${P} on ${INSTANCE} (job ${JOB}) went from closed to open at least ${T.flappingTrips} times in ${T.flappingWindow}: the provider fails intermittently, or the thresholds are too tight for its error rate.`,
    ),
    rule(
      ALERT.highFailureRate,
      `${traffic(`${RECORD.failureRatio} > ${T.failureRatio}`)} unless on (job, ${L.provider}) max by (job, ${L.provider}) (${RECORD.notClosed}) == 1`,
      '10m',
      'warning',
      `High failure rate for ${P} in ${JOB} while the circuit is closed.`,
      `More than ${pct(T.failureRatio)} of requests from ${JOB} to ${P} failed (provider error, timeout or connection error) over 5 minutes for 10 minutes, yet no circuit opened: failures are intermittent rather than consecutive.`,
    ),
    rule(
      ALERT.latencyDegraded,
      `${traffic(`${RECORD.ttfbP95} > ${T.latencyFactor} * ${RECORD.ttfbBaselineP95} and ${RECORD.ttfbP95} > ${T.latencyFloorSeconds}`)}`,
      '15m',
      'warning',
      `Time to first byte from ${P} degraded in ${JOB}.`,
      `The p95 time to first byte from ${P} seen by ${JOB} has been above ${T.latencyFactor} times its p95 over the previous day and above ${T.latencyFloorSeconds}s for 15 minutes.`,
    ),
    rule(
      ALERT.rateLimited,
      traffic(`${RECORD.rateLimitedRatio} > ${T.rateLimitedRatio}`),
      '15m',
      'warning',
      `${P} has been rate limiting ${JOB} for 15 minutes.`,
      `More than ${pct(T.rateLimitedRatio)} of requests from ${JOB} to ${P} were answered 429 over 5 minutes for 15 minutes: the service is above its rate limit or token budget.`,
    ),
    rule(
      ALERT.metricsAbsent,
      // Three cases: no plugin series anywhere; a job that had them within a day and has none
      // now; an instance that is scraped fine while its siblings export them and it does not.
      [
        `absent(${up})`,
        `(group by (job) (max_over_time(${up}[1d])) unless on (job) group by (job) (${up}))`,
        `((group by (job, instance) (up == 1) and on (job) group by (job) (${up})) unless on (job, instance) group by (job, instance) (${up}))`,
      ].join(' or '),
      '10m',
      'warning',
      `provider-health metrics are missing{{ if $labels.job }} for ${JOB}{{ end }}{{ if $labels.instance }} on ${INSTANCE}{{ end }}.`,
      'The plugin exports no ai_provider series where it should: breakers, dashboards and every other alert here are blind. The plugin is not loaded, its exporter is not scraped, or telemetry moved to a MeterProvider that is not exported.',
    ),
  ];
}
