import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALERT_PREFIX, alertRule } from '../../../src/mixin/alerts/alert.js';
import { ALERTS } from '../../../src/mixin/alerts/catalog.js';
import { recordingRules, recordNames } from '../../../src/mixin/alerts/recording-rules.js';
import { durationMinutes } from '../../../src/mixin/config/durations.js';
import { DEFAULT_RUNBOOK_URL, runbookUrl } from '../../../src/mixin/config/runbook-url.js';
import { DEFAULT_THRESHOLDS } from '../../../src/mixin/config/thresholds.js';
import { mixinFor } from '../../../src/mixin/mixin.js';
import { DEFAULT_OUT, renderAlerts, renderDashboards } from '../../../src/mixin/render.js';
import { allowedNames, RECORDED_NAMES } from '../dashboards/emitted-names.js';
import { expressions, loadDashboard, ROOT } from '../dashboards/load.js';
import { metricNames } from '../dashboards/promql-selectors.js';
import { DEFAULT_OPTIONS, defaultMixin, NAMINGS, ruleFilePath } from '../defaults.js';
import { runTool } from './tools.js';

interface RuleJson {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFileJson {
  groups: { name: string; rules: RuleJson[] }[];
}

const generated = renderAlerts(DEFAULT_OPTIONS);
const ruleFiles = NAMINGS.map((naming) => ({
  naming,
  path: ruleFilePath(naming),
  rules: (parse(readFileSync(join(ROOT, ruleFilePath(naming)), 'utf8')) as RuleFileJson).groups.flatMap(
    (g) => g.rules,
  ),
}));
const runbooks = readFileSync(join(ROOT, 'docs', 'runbooks.md'), 'utf8');
const ALERT_NAMES = ALERTS.map((a) => a.alert);

describe('alerts/', () => {
  it('is exactly what the CLI writes with the defaults (run `npm run generate` after changing the code)', () => {
    for (const [path, content] of generated)
      expect(readFileSync(join(ROOT, DEFAULT_OUT.alerts, path), 'utf8'), path).toBe(content);
    const committed = [
      ...readdirSync(join(ROOT, 'alerts')).map((f) => f),
      ...readdirSync(join(ROOT, 'alerts', 'tests')).map((f) => `tests/${f}`),
    ].filter((f) => f.endsWith('.yaml'));
    expect(committed.sort()).toEqual([...generated.keys()].sort());
  });

  it.each(ruleFiles)('promtool check rules $path', ({ path }) => {
    const result = runTool('promtool', ['check', 'rules', join(ROOT, path)]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('covers every alert the issue asks for, critical only when no provider is left', () => {
    expect(ALERT_NAMES).toEqual([
      'AiProviderCircuitOpen',
      'AiProviderCircuitOpenOnMostInstances',
      'AiProviderAllProvidersUnavailable',
      'AiProviderCircuitFlapping',
      'AiProviderDegradingTrend',
      'AiProviderHighFailureRate',
      'AiProviderLatencyDegraded',
      'AiProviderRateLimited',
      'AiProviderBudgetExhausted',
      'AiProviderMetricsAbsent',
    ]);
    expect(ALERTS.filter((a) => a.severity === 'critical').map((a) => a.alert)).toEqual([
      'AiProviderAllProvidersUnavailable',
    ]);
  });

  it.each(ruleFiles)('$path follows the monitoring-mixin conventions', ({ rules }) => {
    expect(rules.filter((r) => r.alert).map((r) => r.alert)).toEqual(ALERT_NAMES);
    for (const rule of rules.filter((r) => r.alert)) {
      const name = rule.alert ?? '';
      expect(name).toMatch(new RegExp(`^${ALERT_PREFIX}[A-Z][A-Za-z]+$`));
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(Object.keys(rule.annotations ?? {}).sort()).toEqual(['description', 'runbook_url', 'summary']);
      // Absolute, so the link opens from a notification; the anchor is the lower-case name.
      expect(rule.annotations?.runbook_url).toBe(runbookUrl(DEFAULT_RUNBOOK_URL, name));
      expect(rule.annotations?.runbook_url).toMatch(/^https:\/\/[^#]+\/docs\/runbooks\.md#[a-z]+$/);
      expect(durationMinutes(rule.for ?? '')).toBeGreaterThanOrEqual(2);
    }
    for (const rule of rules.filter((r) => r.record))
      expect(rule.record).toMatch(/^[a-z_]+:[a-z_]+:[a-z0-9_]+$/);
  });

  it.each(ruleFiles)(
    '$path: summaries name only what the example Alertmanager groups by; descriptions add the rest',
    ({ rules }) => {
      const example = parse(readFileSync(join(ROOT, 'alerts', 'alertmanager.example.yaml'), 'utf8')) as {
        route: { group_by: string[] };
      };
      const grouped = new Set(example.route.group_by);
      for (const rule of rules.filter((r) => r.alert)) {
        const summary = rule.annotations?.summary ?? '';
        for (const [, label] of summary.matchAll(/\$labels\.(\w+)/g))
          expect(grouped.has(label ?? ''), `${rule.alert} summary names ${label}`).toBe(true);
        // One text per group: a value differs between the alerts of a group.
        expect(summary, rule.alert).not.toContain('$value');
      }
      const withValue = rules
        .filter((r) => r.annotations?.description?.includes('$value'))
        .map((r) => r.alert);
      expect(withValue).toEqual([
        'AiProviderCircuitOpenOnMostInstances',
        'AiProviderHighFailureRate',
        'AiProviderLatencyDegraded',
        'AiProviderRateLimited',
      ]);
    },
  );

  it('docs/runbooks.md has a section per alert: what it means, what to check first, how to reset', () => {
    const sections = runbooks.split(/^## /m).slice(1);
    const byName = new Map(sections.map((s) => [s.slice(0, s.indexOf('\n')).trim(), s]));
    for (const name of ALERT_NAMES) {
      const section = byName.get(name);
      expect(section, name).toBeDefined();
      for (const heading of ['**What it means.**', '**Check first.**', '**How to reset.**']) {
        expect(section, `${name} ${heading}`).toContain(heading);
      }
    }
  });

  it.each(ruleFiles)(
    '$path references only names the plugin emits or the rules record',
    ({ naming, rules }) => {
      const allowed = allowedNames(naming);
      const used = rules.flatMap((r) => metricNames(r.expr));
      expect(used.filter((name) => !allowed.has(name))).toEqual([]);
      // Every recorded series the alerts and dashboards read is defined here.
      expect(rules.filter((r) => r.record).map((r) => r.record)).toEqual(
        Object.values(recordNames(DEFAULT_THRESHOLDS)),
      );
    },
  );

  it('both variants share alerts and recorded names; only the raw series differ', () => {
    const [builtin, otlp] = NAMINGS.map((n) => ALERTS.map((a) => alertRule(a, defaultMixin(n)).alert));
    expect(otlp).toEqual(builtin);
    const otlpRaw = recordingRules(defaultMixin('otlp'))
      .flatMap((r) => metricNames(r.expr))
      .filter((n) => !RECORDED_NAMES.has(n));
    expect(otlpRaw).toEqual(
      expect.arrayContaining([
        'ai_provider_time_to_first_byte_seconds_bucket',
        'ai_provider_circuit_state_ratio',
      ]),
    );
  });

  it('pushed (OTLP) data has no up series: the OTLP rules never read up', () => {
    const otlp = ruleFiles.find((f) => f.naming === 'otlp')?.rules ?? [];
    expect(otlp.flatMap((r) => metricNames(r.expr))).not.toContain('up');
    const builtin = ruleFiles.find((f) => f.naming === 'builtin')?.rules ?? [];
    expect(builtin.flatMap((r) => metricNames(r.expr))).toContain('up');
  });

  it('absent() only for a selector the user gave: without one it would fire wherever the rules load first', () => {
    for (const naming of NAMINGS) {
      const absence = (selector: string) => {
        const options = {
          ...DEFAULT_OPTIONS,
          selector: selector ? ([['job', '=', selector]] as const) : [],
        };
        return (
          ALERTS.find((a) => a.alert === 'AiProviderMetricsAbsent')?.expr(mixinFor(options, naming)) ?? ''
        );
      };
      expect(absence('')).not.toContain('absent(');
      expect(absence('checkout')).toContain(
        `absent(ai_provider_up${naming === 'otlp' ? '_ratio' : ''}{job="checkout"})`,
      );
    }
  });

  it('every recorded series the dashboards read is recorded by the rules', () => {
    const used = [...renderDashboards(DEFAULT_OPTIONS).keys()]
      .flatMap((name) => expressions(loadDashboard(join(DEFAULT_OUT.dashboards, name))))
      .flatMap(metricNames)
      .filter((name) => name.includes(':'));
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(RECORDED_NAMES.has(name), name).toBe(true);
  });
});
