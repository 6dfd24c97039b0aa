/**
 * The end-to-end scenario over OTLP (support/end-to-end.ts): the plugin pushes OTLP/JSON to a
 * loopback receiver; each export is translated into Prometheus series by the OTel -> Prometheus
 * compatibility rules (support/otlp-to-prometheus.ts) and remote-written to Prometheus 2.42,
 * which has no OTLP receiver. The shared checks run the committed OTLP rules (an alert notified
 * through Alertmanager) and every panel of the committed OTLP dashboards on that data. Here:
 * the OTLP promtool tests describe series the real data has, and pass; and the dashboards the
 * CLI writes for a selector return data for every panel too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { promtoolTest } from '../mixin/alerts/promtool-checks.js';
import { ROOT } from '../mixin/dashboards/load.js';
import { unitTestPath } from '../mixin/defaults.js';
import { describeEndToEnd } from './support/end-to-end.js';
import { instanceAllReason, panelQueries, substitute, variableQueries } from './support/panels.js';

const e2e = describeEndToEnd('otlp');
const tmp = mkdtempSync(join(tmpdir(), 'provider-health-otlp-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `name{a="b",…}` of a promtool input series -> its name and label names. */
function nameAndKeys(series: string): { name: string; keys: string[] } {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}$/.exec(series);
  if (!match?.[1]) throw new Error(`unexpected input series ${series}`);
  const keys = [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((m) => m[1] ?? '');
  return { name: match[1], keys: keys.sort() };
}

describe('the OTLP variants on the translated data', () => {
  const testFile = join(ROOT, unitTestPath('otlp'));

  it('every input series of the OTLP promtool tests has a name and label set the real data has', async () => {
    const tests = (
      parse(readFileSync(testFile, 'utf8')) as { tests: { input_series: { series: string }[] }[] }
    ).tests;
    const wanted = tests.flatMap((t) => t.input_series.map((s) => nameAndKeys(s.series)));
    const real = new Map<string, Set<string>>();
    for (const labels of await e2e.prometheus().series('{__name__=~"ai_provider_.+"}')) {
      const { __name__: name = '', ...rest } = labels;
      real.set(name, (real.get(name) ?? new Set()).add(Object.keys(rest).sort().join(',')));
    }
    const missing = wanted.filter(({ name, keys }) => !real.get(name)?.has(keys.join(',')));
    console.info(
      `OTLP promtool input series checked against the real data: ${wanted.length}, of ${new Set(wanted.map((w) => w.name)).size} metrics`,
    );
    expect(new Set(wanted.map((w) => w.name)).size).toBeGreaterThanOrEqual(5);
    expect(missing, JSON.stringify([...real].map(([n, k]) => [n, [...k]]))).toEqual([]);
  });

  it('the OTLP promtool tests pass: every alert pending, firing with its labels and annotations, resolved', () => {
    const result = promtoolTest(testFile);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('the dashboards `provider-health dashboards --naming otlp --selector job="…"` writes return data for every panel', async () => {
    const out = join(tmp, 'dashboards');
    const selector = `job="${e2e.stack.job}"`;
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'dist', 'cli.js'), 'dashboards', '--naming', 'otlp', '--selector', selector, '--out', out],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    const api = e2e.prometheus();
    const empty: string[] = [];
    let count = 0;
    for (const file of readdirSync(out)) {
      for (const variable of variableQueries(join(out, file), e2e.selection())) {
        const values = await api.labelValues(variable.label, variable.selector);
        if (!values.includes(e2e.selection()[variable.name]))
          empty.push(`${file} ${variable.name}: ${variable.selector}`);
      }
      for (const query of panelQueries(join(out, file))) {
        expect(query.expr, query.id).toContain(selector);
        const expr = substitute(query.expr, e2e.selection(), instanceAllReason(query) !== undefined);
        count++;
        if ((await api.query(expr)).length === 0) empty.push(`${query.id}: ${expr}`);
      }
    }
    console.info(
      `CLI dashboards (otlp, ${selector}): ${count - empty.length} of ${count} panel queries returned data`,
    );
    expect(count).toBeGreaterThan(30);
    expect(empty).toEqual([]);
  }, 30_000);
});
