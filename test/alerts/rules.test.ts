import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALERT, ALERT_PREFIX, alertRules } from '../../scripts/observability/alerts/alert-rules.js';
import { RECORD, recordingRules } from '../../scripts/observability/alerts/recording-rules.js';
import { NAMINGS, renderAlerts, renderDashboards, ruleFilePath } from '../../scripts/observability/render.js';
import { RUNBOOK_DOC, runbookAnchor } from '../../scripts/observability/thresholds.js';
import { allowedNames, RECORDED_NAMES } from '../dashboards/emitted-names.js';
import { expressions, loadDashboard, ROOT } from '../dashboards/load.js';
import { metricNames } from '../dashboards/promql-selectors.js';
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

const generated = renderAlerts();
const ruleFiles = NAMINGS.map((naming) => ({
  naming,
  path: ruleFilePath(naming),
  rules: (parse(readFileSync(join(ROOT, ruleFilePath(naming)), 'utf8')) as RuleFileJson).groups.flatMap(
    (g) => g.rules,
  ),
}));
const runbooks = readFileSync(join(ROOT, RUNBOOK_DOC), 'utf8');
const minutes = (duration: string): number => {
  const match = /^(\d+)([mh])$/.exec(duration);
  if (!match) throw new Error(`unexpected duration ${duration}`);
  return Number(match[1]) * (match[2] === 'h' ? 60 : 1);
};

describe('alerts/', () => {
  it('is exactly what the generator writes (run `npm run generate` after changing the code)', () => {
    for (const [path, content] of generated)
      expect(readFileSync(join(ROOT, path), 'utf8'), path).toBe(content);
    const committed = [
      ...readdirSync(join(ROOT, 'alerts')).map((f) => `alerts/${f}`),
      ...readdirSync(join(ROOT, 'alerts', 'tests')).map((f) => `alerts/tests/${f}`),
    ].filter((f) => f.endsWith('.yaml'));
    expect(committed.sort()).toEqual([...generated.keys()].sort());
  });

  it.each(ruleFiles)('promtool check rules $path', ({ path }) => {
    const result = runTool('promtool', ['check', 'rules', join(ROOT, path)]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('covers every alert the issue asks for, critical only when no provider is left', () => {
    expect(Object.values(ALERT).sort()).toEqual(
      alertRules('builtin')
        .map((r) => r.alert)
        .sort(),
    );
    expect(Object.keys(ALERT)).toEqual([
      'circuitOpen',
      'circuitOpenOnMostInstances',
      'allProvidersUnavailable',
      'circuitFlapping',
      'highFailureRate',
      'latencyDegraded',
      'rateLimited',
      'metricsAbsent',
    ]);
    const critical = alertRules('builtin').filter((r) => r.labels.severity === 'critical');
    expect(critical.map((r) => r.alert)).toEqual([ALERT.allProvidersUnavailable]);
  });

  it.each(ruleFiles)('$path follows the monitoring-mixin conventions', ({ rules }) => {
    for (const rule of rules.filter((r) => r.alert)) {
      const name = rule.alert ?? '';
      expect(name).toMatch(new RegExp(`^${ALERT_PREFIX}[A-Z][A-Za-z]+$`));
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(Object.keys(rule.annotations ?? {}).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(rule.annotations?.runbook_url).toBe(`${RUNBOOK_DOC}#${runbookAnchor(name)}`);
      expect(minutes(rule.for ?? '')).toBeGreaterThanOrEqual(2);
    }
    for (const rule of rules.filter((r) => r.record))
      expect(rule.record).toMatch(/^[a-z_]+:[a-z_]+:[a-z0-9_]+$/);
  });

  it('docs/runbooks.md has a section per alert: what it means, what to check first, how to reset', () => {
    const sections = runbooks.split(/^## /m).slice(1);
    const byName = new Map(sections.map((s) => [s.slice(0, s.indexOf('\n')).trim(), s]));
    for (const name of Object.values(ALERT)) {
      const section = byName.get(name);
      expect(section, name).toBeDefined();
      expect(runbookAnchor(name)).toBe(name.toLowerCase());
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
      expect(rules.filter((r) => r.record).map((r) => r.record)).toEqual(Object.values(RECORD));
    },
  );

  it('both variants share alerts and recorded names; only the raw series differ', () => {
    const [builtin, otlp] = NAMINGS.map((n) => alertRules(n).map((r) => r.alert));
    expect(otlp).toEqual(builtin);
    const otlpRaw = recordingRules('otlp')
      .flatMap((r) => metricNames(r.expr))
      .filter((n) => !RECORDED_NAMES.has(n));
    expect(otlpRaw).toEqual(
      expect.arrayContaining([
        'ai_provider_time_to_first_byte_seconds_bucket',
        'ai_provider_circuit_state_ratio',
      ]),
    );
  });

  it('every recorded series the dashboards read is recorded by the rules', () => {
    const used = [...renderDashboards().keys()]
      .flatMap((path) => expressions(loadDashboard(path)))
      .flatMap(metricNames)
      .filter((name) => name.includes(':'));
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(RECORDED_NAMES.has(name), name).toBe(true);
  });
});
