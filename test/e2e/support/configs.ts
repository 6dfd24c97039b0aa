/**
 * The configuration files of the end-to-end stack, derived from the committed artefacts:
 * the rule file users load (a test copy with shorter waits, see README.md) and the
 * Alertmanager example (routes and inhibitions as shipped; receiver URL and waits for a test).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { recordNames } from '../../../src/mixin/alerts/recording-rules.js';
import { DEFAULT_THRESHOLDS } from '../../../src/mixin/config/thresholds.js';
import type { PrometheusNaming } from '../../../src/telemetry/metric-names.js';
import { ROOT } from '../../mixin/dashboards/load.js';
import { ALERTMANAGER_EXAMPLE_PATH, ruleFilePath } from '../../mixin/defaults.js';

const RECORD = recordNames(DEFAULT_THRESHOLDS);

export const JOB = 'provider-health-e2e';
export const SCRAPE_INTERVAL = '1s';

/**
 * Alerts whose `for:` the test copy shortens to FOR_IN_TEST: the breaker alerts this scenario
 * drives. Every other alert keeps its real `for:` (10m, 15m) on purpose: their windows still hold
 * the outage after recovery, so with a 2s wait AiProviderHighFailureRate would fire falsely.
 */
export const SHORTENED_ALERTS = [
  'AiProviderCircuitOpen',
  'AiProviderCircuitOpenOnMostInstances',
  'AiProviderAllProvidersUnavailable',
] as const;
export const FOR_IN_TEST = '2s';

/**
 * The latency baseline reads the day before the last hour, which a run of seconds has no data
 * for; the test copy reads the day before the last 5s, so the recorded series (the one the
 * "TTFB p95 vs baseline" panel reads, by name and labels) exists.
 */
const BASELINE_OFFSET = { real: 'offset 1h', test: 'offset 5s' } as const;

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}

export function committedRules(naming: PrometheusNaming = 'builtin'): RuleFile {
  return parse(readFileSync(join(ROOT, ruleFilePath(naming)), 'utf8')) as RuleFile;
}

/** The committed rules with only the rewrites listed in README.md; names, labels, annotations kept. */
export function testRules(naming: PrometheusNaming): string {
  const file = committedRules(naming);
  const shortened = new Set<string>();
  let baselineRewritten = false;
  for (const rule of file.groups.flatMap((group) => group.rules)) {
    if (rule.alert !== undefined && (SHORTENED_ALERTS as readonly string[]).includes(rule.alert)) {
      rule.for = FOR_IN_TEST;
      shortened.add(rule.alert);
    }
    if (rule.record === RECORD.ttfbBaselineP95) {
      if (!rule.expr.includes(BASELINE_OFFSET.real))
        throw new Error(`${rule.record} no longer reads "${BASELINE_OFFSET.real}": update the e2e rewrite`);
      rule.expr = rule.expr.replace(BASELINE_OFFSET.real, BASELINE_OFFSET.test);
      baselineRewritten = true;
    }
  }
  // A renamed alert or rule must break this test, not silently keep the real minutes-long waits.
  if (shortened.size !== SHORTENED_ALERTS.length || !baselineRewritten)
    throw new Error(`rule rewrite incomplete: shortened ${[...shortened].join(', ')}`);
  return stringify(file, { lineWidth: 0 });
}

export interface PrometheusConfigInput {
  rulesPath: string;
  alertmanager: string;
  /** Scrape targets; none when the data arrives by remote write. */
  targets: readonly string[];
}

export function prometheusConfig(input: PrometheusConfigInput): string {
  return stringify({
    global: {
      scrape_interval: SCRAPE_INTERVAL,
      // The default 10s timeout is longer than the interval, which Prometheus refuses.
      scrape_timeout: SCRAPE_INTERVAL,
      evaluation_interval: '1s',
    },
    rule_files: [input.rulesPath],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [input.alertmanager] }] }] },
    scrape_configs:
      input.targets.length === 0
        ? []
        : [{ job_name: JOB, static_configs: [{ targets: [...input.targets] }] }],
  });
}

interface Route {
  receiver?: string;
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
}

interface AlertmanagerConfig {
  route: Route;
  receivers: { name: string; webhook_configs?: { url: string }[] }[];
}

const EXAMPLE_WEBHOOK = 'http://127.0.0.1:5001';

/**
 * The shipped example with its webhook base replaced by the test's receiver and every wait
 * shortened so that a notification follows an alert within seconds. Routes, matchers,
 * grouping and inhibit rules stay as shipped: they are part of what is tested.
 */
export function alertmanagerConfig(webhookBase: string): string {
  const config = parse(readFileSync(join(ROOT, ALERTMANAGER_EXAMPLE_PATH), 'utf8')) as AlertmanagerConfig;
  const shorten = (route: Route): void => {
    if (route.group_wait !== undefined) route.group_wait = '1s';
    if (route.group_interval !== undefined) route.group_interval = '1s';
    // Long on purpose: a repeat of a still-firing alert would only add noise to the log.
    if (route.repeat_interval !== undefined) route.repeat_interval = '1h';
    for (const child of route.routes ?? []) shorten(child);
  };
  Object.assign(config.route, { group_wait: '1s', group_interval: '1s', repeat_interval: '1h' });
  shorten(config.route);
  for (const receiver of config.receivers)
    for (const webhook of receiver.webhook_configs ?? []) {
      if (!webhook.url.startsWith(EXAMPLE_WEBHOOK))
        throw new Error(`unexpected webhook URL in the example: ${webhook.url}`);
      webhook.url = webhookBase + webhook.url.slice(EXAMPLE_WEBHOOK.length);
    }
  return stringify(config);
}
