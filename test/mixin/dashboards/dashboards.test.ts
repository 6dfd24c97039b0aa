import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { L } from '../../../src/mixin/promql.js';
import { DEFAULT_OUT, renderDashboards } from '../../../src/mixin/render.js';
import { runTool } from '../alerts/tools.js';
import { DEFAULT_OPTIONS } from '../defaults.js';
import { allowedNames } from './emitted-names.js';
import {
  dataPanels,
  expressions,
  loadDashboard,
  namingOf,
  ROOT,
  substituteVariables,
  variableSelectors,
} from './load.js';
import { metricNames, selectors } from './promql-selectors.js';

/** Grafana's `${datasource}`, spelled so that it is not read as a JavaScript template. */
const DATASOURCE_VARIABLE = ['$', '{datasource}'].join('');
const generated = new Map(
  [...renderDashboards(DEFAULT_OPTIONS)].map(([name, content]) => [
    `${DEFAULT_OUT.dashboards}/${name}`,
    content,
  ]),
);
const paths = [...generated.keys()].sort();
const boards = paths.map((path) => ({ path, board: loadDashboard(path), naming: namingOf(path) }));
const tmp = mkdtempSync(join(tmpdir(), 'provider-health-dashboards-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('dashboards/', () => {
  it('is exactly what the CLI writes with the defaults (run `npm run generate` after changing the code)', () => {
    const committed = readdirSync(join(ROOT, 'dashboards')).filter((f) => f.endsWith('.json'));
    expect(committed.map((f) => `dashboards/${f}`).sort()).toEqual(paths);
    for (const [path, content] of generated)
      expect(readFileSync(join(ROOT, path), 'utf8'), path).toBe(content);
  });

  it('has an overview and a provider drill-down for both naming variants', () => {
    expect(paths).toEqual([
      'dashboards/provider-health-overview-otlp.json',
      'dashboards/provider-health-overview.json',
      'dashboards/provider-health-provider-otlp.json',
      'dashboards/provider-health-provider.json',
    ]);
    for (const { board, naming } of boards) {
      const all = expressions(board).join('\n');
      if (naming === 'otlp') expect(all).toContain('_seconds_bucket');
      else expect(all).not.toContain('_seconds');
    }
  });

  it.each(boards)('$path provisions from a file and imports into Grafana 10+', ({ board, naming }) => {
    expect(board.__inputs).toBeUndefined();
    expect(board.schemaVersion).toBe(38);
    const ids = board.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const vars = board.templating.list.map((v) => v.name);
    // OTLP: job is service.namespace/service.name, so there is no separate service variable.
    const scoped =
      naming === 'otlp' ? ['datasource', 'job', 'instance'] : ['datasource', 'service', 'job', 'instance'];
    expect(vars.slice(0, scoped.length)).toEqual(scoped);
    expect(board.templating.list[0]).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const v of board.templating.list.slice(1)) expect(v.datasource?.uid).toBe(DATASOURCE_VARIABLE);
  });

  it.each(boards)('$path: every panel has a unit, a description and the datasource variable', ({ board }) => {
    for (const panel of dataPanels(board)) {
      expect(panel.fieldConfig?.defaults?.unit, panel.title).toBeTruthy();
      expect(panel.description, panel.title).toBeTruthy();
      expect(panel.datasource?.uid, panel.title).toBe(DATASOURCE_VARIABLE);
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe(DATASOURCE_VARIABLE);
    }
  });

  it.each(boards)(
    '$path: every selector matches job and instance; rates use $__rate_interval',
    ({ board, path }) => {
      const drillDown = path.includes('provider-health-provider');
      for (const expr of expressions(board)) {
        for (const selector of selectors(expr)) {
          const has = (label: string, value: string) =>
            selector.matchers.some((m) => m.label === label && m.op === '=~' && m.value === value);
          expect(has('job', '$job') && has('instance', '$instance'), expr).toBe(true);
          if (drillDown) expect(has(L.provider, '$provider'), expr).toBe(true);
        }
        for (const [, window] of expr.matchAll(/\[([^\]]+)\]/g))
          expect(['$__rate_interval', '$__range', '$__range:$__interval']).toContain(window);
      }
    },
  );

  it.each(boards)('$path has the panels the issue asks for', ({ board, path }) => {
    const types = dataPanels(board).map((p) => p.type);
    expect(types).toEqual(
      expect.arrayContaining(['state-timeline', 'table', 'heatmap', 'timeseries', 'stat']),
    );
    const titles = dataPanels(board).map((p) => p.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Circuit state',
        'Health status',
        'Requests by outcome',
        'Failure rate',
        'Request duration p50 / p95 / p99',
        'Request duration heatmap',
        'Time to first byte p50 / p95 / p99',
        'Answered locally by an open circuit',
        'Circuit transitions',
        'Rate-limit headroom',
      ]),
    );
    if (path.includes('provider-health-provider')) {
      expect(board.templating.list.map((v) => v.name)).toContain('provider');
    } else {
      // The fleet row: which replicas tripped, and when.
      expect(titles).toEqual(expect.arrayContaining(['Tripped replicas', 'Replicas with the circuit open']));
    }
  });

  it.each(boards)('$path queries only names the plugin emits (from the metric map)', ({ board, naming }) => {
    const allowed = allowedNames(naming);
    const used = [...expressions(board), ...variableSelectors(board)].flatMap(metricNames);
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((name) => !allowed.has(name))).toEqual([]);
  });

  it('keeps the naming variants apart: each accepts only its own series names', () => {
    expect(allowedNames('builtin').has('ai_provider_request_duration_bucket')).toBe(true);
    expect(allowedNames('builtin').has('ai_provider_request_duration_seconds_bucket')).toBe(false);
    expect(allowedNames('otlp').has('ai_provider_request_duration_seconds_bucket')).toBe(true);
    expect(allowedNames('otlp').has('ai_provider_up')).toBe(false);
    expect(allowedNames('otlp').has('ai_provider_up_ratio')).toBe(true);
  });

  it('every dashboard expression parses (promtool check rules)', () => {
    const exprs = boards.flatMap(({ board }) => [...expressions(board), ...variableSelectors(board)]);
    const rules = exprs.map((expr, i) => ({
      record: `dashboard:expr:${i}`,
      expr: substituteVariables(expr),
    }));
    const file = join(tmp, 'dashboard-exprs.rules.yaml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboards', rules }] }));
    const result = runTool('promtool', ['check', 'rules', file]);
    expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(result.status, result.output).toBe(0);
  });
});
