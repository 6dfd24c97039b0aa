/**
 * The end-to-end scenario over OTLP (support/end-to-end.ts): the plugin pushes OTLP/JSON to a
 * loopback receiver; each export is translated into Prometheus series by the OTel -> Prometheus
 * compatibility rules (support/otlp-to-prometheus.ts) and remote-written to Prometheus 2.42,
 * which has no OTLP receiver. The shared checks run the committed OTLP rules (an alert notified
 * through Alertmanager), every panel of the committed OTLP dashboards, and the OTLP promtool
 * tests, whose input series must look like that data. Here: the dashboards the CLI writes for a
 * selector return data for every panel too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../mixin/dashboards/load.js';
import { describeEndToEnd } from './support/end-to-end.js';
import { instanceAllReason, panelQueries, substitute, variableQueries } from './support/panels.js';

const e2e = describeEndToEnd('otlp');
const tmp = mkdtempSync(join(tmpdir(), 'provider-health-otlp-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the OTLP variants on the translated data', () => {
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
