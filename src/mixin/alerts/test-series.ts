/**
 * Input series for promtool unit tests, described per minute and written in promtool's
 * expanding notation. Names and labels come from the metric map, as in the rules.
 */
import {
  CIRCUIT_STATE_VALUES,
  DURATION_BUCKETS_SECONDS,
  type PrometheusNaming,
} from '../../telemetry/metric-names.js';
import { SCOPE_NAME, scopeVersion } from '../../telemetry/scope.js';
import { L, metric } from '../promql.js';
import type { Labels } from './test-targets.js';

export interface InputSeries {
  series: string;
  values: string;
}

/** promtool's staleness marker: what Prometheus writes when a scraped series disappears. */
export const STALE = 'stale';
export type Sample = number | undefined | typeof STALE;

/** A value per minute; `undefined` is a missed scrape (or no push), STALE a staleness marker. */
export type PerMinute = (minute: number) => Sample;

/**
 * The instrumentation scope labels every series of the plugin carries, scraped or from OTLP (its
 * meter is named and versioned, src/telemetry/scope.ts); the rules must aggregate them away.
 */
const SCOPE = { otel_scope_name: SCOPE_NAME, otel_scope_version: scopeVersion() ?? '' } as const;

export type CircuitState = (typeof CIRCUIT_STATE_VALUES)[number];

/** One instance's labels: its service labels and `instance`. */
export type Target = Labels;

function labelText(name: string, labels: Record<string, string>): string {
  const body = Object.entries(labels)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(',');
  return `${name}{${body}}`;
}

/** Runs of equal steps become `a+bxn` (n+1 samples), missed scrapes `_xn` (n samples). */
export function expand(values: readonly Sample[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    const first = values[i];
    if (first === STALE) {
      parts.push(STALE);
      i += 1;
      continue;
    }
    if (first === undefined) {
      let n = 0;
      while (i + n < values.length && values[i + n] === undefined) n++;
      parts.push(n === 1 ? '_' : `_x${n}`);
      i += n;
      continue;
    }
    const next = values[i + 1];
    const step = typeof next === 'number' ? next - first : 0;
    let n = 1;
    while (i + n < values.length && values[i + n] === first + step * n) n++;
    if (n === 1) parts.push(`${first}`);
    else if (step === 0) parts.push(`${first}x${n - 1}`);
    else parts.push(`${first}${step < 0 ? '' : '+'}${step}x${n - 1}`);
    i += n;
  }
  return parts.join(' ');
}

function sample(fn: PerMinute, minutes: number): Sample[] {
  return Array.from({ length: minutes + 1 }, (_, t) => fn(t));
}

/** Running total of per-minute increments, as a counter is scraped (rounded: no float dust). */
function cumulative(increment: (minute: number) => number, minutes: number): number[] {
  let total = 0;
  return Array.from({ length: minutes + 1 }, (_, t) => {
    if (t > 0) total += increment(t);
    return Math.round(total * 1e9) / 1e9;
  });
}

export function raw(
  name: string,
  labels: Record<string, string>,
  fn: PerMinute,
  minutes: number,
): InputSeries {
  return { series: labelText(name, labels), values: expand(sample(fn, minutes)) };
}

/** `ai_provider_up` of one breaker; `fn` says when it is exported (undefined: not). */
export function up(
  naming: PrometheusNaming,
  target: Target,
  provider: string,
  fn: PerMinute,
  minutes: number,
): InputSeries {
  return raw(metric('up', naming), { ...target, ...SCOPE, [L.provider]: provider }, fn, minutes);
}

export function circuit(
  naming: PrometheusNaming,
  target: Target,
  provider: string,
  stateAt: (minute: number) => CircuitState,
  minutes: number,
): InputSeries[] {
  return CIRCUIT_STATE_VALUES.map((state) =>
    raw(
      metric('circuitState', naming),
      { ...target, ...SCOPE, [L.provider]: provider, [L.circuitState]: state },
      (t) => (stateAt(t) === state ? 1 : 0),
      minutes,
    ),
  );
}

const STATUS: Readonly<Record<string, string>> = {
  success: '200',
  provider_error: '500',
  rate_limited: '429',
};

export function requests(
  naming: PrometheusNaming,
  target: Target,
  provider: string,
  outcome: string,
  perMinute: (minute: number) => number,
  minutes: number,
): InputSeries {
  const status = STATUS[outcome];
  const labels = { ...target, ...SCOPE, [L.provider]: provider, [L.outcome]: outcome };
  const name = metric('requests', naming);
  const series = labelText(name, status ? { ...labels, [L.statusCode]: status } : labels);
  return { series, values: expand(cumulative(perMinute, minutes)) };
}

/** The usual reason of each transition, as the plugin labels its counter. */
const REASON_OF: Readonly<Record<string, string>> = {
  'closed>open': 'failure_threshold',
  'open>half_open': 'recovery_timeout',
  'half_open>closed': 'success_threshold',
  'half_open>open': 'half_open_failure',
  'open>closed': 'manual_reset',
};

export function transitions(
  naming: PrometheusNaming,
  target: Target,
  provider: string,
  from: CircuitState,
  to: CircuitState,
  perMinute: (minute: number) => number,
  minutes: number,
): InputSeries {
  const labels = {
    ...target,
    ...SCOPE,
    [L.provider]: provider,
    [L.circuitFrom]: from,
    [L.circuitTo]: to,
    [L.circuitReason]: REASON_OF[`${from}>${to}`] ?? 'failure_threshold',
  };
  return {
    series: labelText(metric('circuitTransitions', naming), labels),
    values: expand(cumulative(perMinute, minutes)),
  };
}

/** Time-to-first-byte buckets for `perMinute` requests that each take `secondsAt(minute)`. */
export function ttfbHistogram(
  naming: PrometheusNaming,
  target: Target,
  provider: string,
  secondsAt: (minute: number) => number,
  perMinute: number,
  minutes: number,
): InputSeries[] {
  const bounds = [...DURATION_BUCKETS_SECONDS.map(String), '+Inf'];
  return bounds.map((le) =>
    raw(
      metric('timeToFirstByte', naming, 'bucket'),
      { ...target, ...SCOPE, [L.provider]: provider, le },
      (
        (values) => (t: number) =>
          values[t]
      )(cumulative((t) => (le === '+Inf' || secondsAt(t) <= Number(le) ? perMinute : 0), minutes)),
      minutes,
    ),
  );
}

/** `ai_provider_degrading` of one breaker and signal: 1 while its early warning is up. */
export function degrading(
  naming: PrometheusNaming,
  target: Target,
  provider: string,
  signal: string,
  fn: PerMinute,
  minutes: number,
): InputSeries {
  return raw(
    metric('degrading', naming),
    { ...target, ...SCOPE, [L.provider]: provider, [L.trendSignal]: signal },
    fn,
    minutes,
  );
}

/** `ai_provider_budget_spent` or `_limit` of one breaker's provider (providers.<name>.budget). */
export function budget(
  naming: PrometheusNaming,
  which: 'budgetSpent' | 'budgetLimit',
  target: Target,
  provider: string,
  fn: PerMinute,
  minutes: number,
): InputSeries {
  return raw(metric(which, naming), { ...target, ...SCOPE, [L.provider]: provider }, fn, minutes);
}
