/**
 * promtool unit tests, one scenario per alert, built for either naming variant. Each scenario
 * says when the alert must still be pending (condition true, `for:` not yet elapsed), when it
 * must fire with exactly which labels, and when it must have resolved.
 */
import type { PrometheusNaming } from '../../../src/telemetry/metric-names.js';
import { L, metric } from '../promql.js';
import { ALERT, type AlertRule, alertRules } from './alert-rules.js';
import {
  type CircuitState,
  circuit,
  type InputSeries,
  raw,
  requests,
  type Target,
  transitions,
  ttfbHistogram,
} from './test-series.js';

export interface Scenario {
  alert: string;
  name: string;
  minutes: number;
  series: InputSeries[];
  /** Minute at which the condition holds but `for:` has not elapsed. */
  pendingAt: number;
  firesAt: number;
  firing: Record<string, string>[];
  /** Minute by which the data has recovered and the alert resolved. */
  resolvedAt?: number;
}

const JOB = 'checkout';
const at = (instance: string, job = JOB): Target => ({ job, instance: `${instance}:9464` });
const A = at('a');
const B = at('b');
const C = at('c');
const OPENAI = 'openai';
const ANTHROPIC = 'anthropic';
const between = (from: number, to: number) => (t: number) => t >= from && t <= to;
const openDuring =
  (from: number, to: number) =>
  (t: number): CircuitState =>
    between(from, to)(t) ? 'open' : 'closed';
const always = (): CircuitState => 'closed';

function scenarios(n: PrometheusNaming): Scenario[] {
  const up = metric('up', n);
  return [
    {
      alert: ALERT.circuitOpen,
      name: 'open on one instance for 10 minutes',
      minutes: 30,
      series: [...circuit(n, A, OPENAI, openDuring(5, 14), 30), ...circuit(n, B, OPENAI, always, 30)],
      pendingAt: 6,
      firesAt: 8,
      firing: [{ ...A, [L.provider]: OPENAI }],
      resolvedAt: 20,
    },
    {
      alert: ALERT.circuitOpenOnMostInstances,
      name: 'open on two of three instances for openai, one of three for anthropic',
      minutes: 30,
      series: [
        ...circuit(n, A, OPENAI, openDuring(5, 14), 30),
        ...circuit(n, B, OPENAI, openDuring(5, 14), 30),
        ...circuit(n, C, OPENAI, always, 30),
        ...circuit(n, A, ANTHROPIC, openDuring(5, 14), 30),
        ...circuit(n, B, ANTHROPIC, always, 30),
        ...circuit(n, C, ANTHROPIC, always, 30),
      ],
      pendingAt: 6,
      firesAt: 8,
      firing: [{ job: JOB, [L.provider]: OPENAI }],
      resolvedAt: 20,
    },
    {
      alert: ALERT.allProvidersUnavailable,
      name: 'both providers open on one instance, one of two on another',
      minutes: 30,
      series: [
        ...circuit(n, A, OPENAI, openDuring(5, 14), 30),
        ...circuit(
          n,
          A,
          ANTHROPIC,
          (t) => (between(5, 14)(t) ? (t === 9 ? 'half_open' : 'open') : 'closed'),
          30,
        ),
        ...circuit(n, B, OPENAI, openDuring(5, 14), 30),
        ...circuit(n, B, ANTHROPIC, always, 30),
      ],
      pendingAt: 6,
      firesAt: 8,
      firing: [A],
      resolvedAt: 20,
    },
    {
      alert: ALERT.circuitFlapping,
      name: 'three trips in 15 minutes; a provider that stays down does not flap',
      minutes: 60,
      series: [
        transitions(n, A, OPENAI, 'closed', 'open', (t) => (t === 5 || t === 10 || t === 15 ? 1 : 0), 60),
        transitions(n, A, OPENAI, 'open', 'half_open', (t) => (t === 7 || t === 12 || t === 17 ? 1 : 0), 60),
        transitions(
          n,
          A,
          OPENAI,
          'half_open',
          'closed',
          (t) => (t === 8 || t === 13 || t === 18 ? 1 : 0),
          60,
        ),
        transitions(n, B, OPENAI, 'closed', 'open', (t) => (t === 5 ? 1 : 0), 60),
        transitions(n, B, OPENAI, 'open', 'half_open', (t) => (t > 5 && t % 2 === 0 ? 1 : 0), 60),
        transitions(n, B, OPENAI, 'half_open', 'open', (t) => (t > 5 && t % 2 === 1 ? 1 : 0), 60),
      ],
      pendingAt: 18,
      firesAt: 22,
      firing: [{ ...A, [L.provider]: OPENAI }],
      resolvedAt: 45,
    },
    {
      alert: ALERT.highFailureRate,
      name: '17% failures with the circuit closed; not while open, not at low traffic',
      minutes: 60,
      series: [
        requests(n, A, OPENAI, 'success', () => 60, 60),
        requests(n, A, OPENAI, 'provider_error', (t) => (between(11, 40)(t) ? 12 : 0), 60),
        requests(n, A, OPENAI, 'rejected', () => 0, 60),
        ...circuit(n, A, OPENAI, always, 60),
        requests(n, A, ANTHROPIC, 'success', () => 48, 60),
        requests(n, A, ANTHROPIC, 'provider_error', () => 12, 60),
        ...circuit(n, A, ANTHROPIC, () => 'half_open', 60),
        requests(n, A, 'mistral', 'success', (t) => (t % 5 === 0 ? 1 : 0), 60),
        requests(n, A, 'mistral', 'timeout', (t) => (t % 5 === 0 ? 1 : 0), 60),
      ],
      pendingAt: 20,
      firesAt: 26,
      firing: [{ job: JOB, [L.provider]: OPENAI }],
      resolvedAt: 50,
    },
    {
      alert: ALERT.latencyDegraded,
      name: 'time to first byte from 0.3 s to 2 s for 40 minutes after two quiet hours',
      minutes: 200,
      series: [
        requests(n, A, OPENAI, 'success', () => 60, 200),
        ...ttfbHistogram(n, A, OPENAI, (t) => (between(121, 160)(t) ? 2 : 0.3), 60, 200),
      ],
      pendingAt: 130,
      firesAt: 140,
      firing: [{ job: JOB, [L.provider]: OPENAI }],
      resolvedAt: 175,
    },
    {
      alert: ALERT.rateLimited,
      name: '17% of requests answered 429 for 40 minutes',
      minutes: 60,
      series: [
        requests(n, A, OPENAI, 'success', () => 60, 60),
        requests(n, A, OPENAI, 'rate_limited', (t) => (between(11, 50)(t) ? 12 : 0), 60),
      ],
      pendingAt: 25,
      firesAt: 30,
      firing: [{ job: JOB, [L.provider]: OPENAI }],
      resolvedAt: 58,
    },
    {
      alert: ALERT.metricsAbsent,
      name: 'one instance stops exporting while its sibling still does',
      minutes: 60,
      series: [
        raw('up', A, () => 1, 60),
        raw('up', B, () => 1, 60),
        raw(up, { ...A, [L.provider]: OPENAI }, () => 1, 60),
        raw(up, { ...B, [L.provider]: OPENAI }, (t) => (t <= 20 || t >= 50 ? 1 : undefined), 60),
      ],
      pendingAt: 33,
      firesAt: 40,
      firing: [B],
      resolvedAt: 58,
    },
    {
      alert: ALERT.metricsAbsent,
      name: 'the only exporting job stops exporting',
      minutes: 40,
      series: [
        raw('up', at('a', 'search'), () => 1, 40),
        raw(up, { ...at('a', 'search'), [L.provider]: OPENAI }, (t) => (t <= 10 ? 1 : undefined), 40),
      ],
      pendingAt: 22,
      firesAt: 30,
      firing: [{}, { job: 'search' }],
    },
  ];
}

/** Prometheus' template subset the annotations use: `{{ $labels.x }}` and `{{ if $labels.x }}…{{ end }}`. */
export function renderTemplate(template: string, labels: Record<string, string>): string {
  return template
    .replace(/\{\{ if \$labels\.(\w+) \}\}(.*?)\{\{ end \}\}/g, (_, key: string, body: string) =>
      labels[key] ? body : '',
    )
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, key: string) => labels[key] ?? '');
}

function expected(rule: AlertRule, labels: Record<string, string>) {
  return {
    exp_labels: { ...labels, ...rule.labels },
    exp_annotations: Object.fromEntries(
      Object.entries(rule.annotations).map(([key, value]) => [key, renderTemplate(value, labels)]),
    ),
  };
}

export function unitTestScenarios(naming: PrometheusNaming): Scenario[] {
  return scenarios(naming);
}

/** The promtool test file, as an object ready for YAML. */
export function unitTestFile(naming: PrometheusNaming, ruleFile: string) {
  const rules = new Map(alertRules(naming).map((rule) => [rule.alert, rule]));
  return {
    rule_files: [ruleFile],
    evaluation_interval: '1m',
    tests: scenarios(naming).map((s) => {
      const rule = rules.get(s.alert);
      if (!rule) throw new Error(`scenario for unknown alert ${s.alert}`);
      const evals = [
        { eval_time: `${s.pendingAt}m`, alertname: s.alert, exp_alerts: [] },
        {
          eval_time: `${s.firesAt}m`,
          alertname: s.alert,
          exp_alerts: s.firing.map((l) => expected(rule, l)),
        },
        ...(s.resolvedAt === undefined
          ? []
          : [{ eval_time: `${s.resolvedAt}m`, alertname: s.alert, exp_alerts: [] }]),
      ];
      return {
        name: `${s.alert}: ${s.name}`,
        interval: '1m',
        input_series: s.series,
        alert_rule_test: evals,
      };
    }),
  };
}
