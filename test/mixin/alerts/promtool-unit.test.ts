import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ALERTS } from '../../../src/mixin/alerts/catalog.js';
import { unitTestScenarios } from '../../../src/mixin/alerts/unit-tests.js';
import { ruleFile, ruleFileName, unitTestFileName } from '../../../src/mixin/render.js';
import { ROOT } from '../dashboards/load.js';
import { defaultMixin, NAMINGS, unitTestPath } from '../defaults.js';
import { runTool } from './tools.js';

const tmp = mkdtempSync(join(tmpdir(), 'provider-health-promtool-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** promtool prints eval times as durations: 90 minutes is `1h30m`. */
const promtoolTime = (minutes: number): string =>
  minutes >= 60 ? `${Math.floor(minutes / 60)}h${minutes % 60 ? `${minutes % 60}m` : ''}` : `${minutes}m`;

describe.each(NAMINGS)('promtool test rules (%s names)', (naming) => {
  const m = defaultMixin(naming);

  it('every alert fires when it should, not before its for:, resolves, with its labels and annotations', () => {
    const result = runTool(
      'promtool',
      ['test', 'rules', unitTestFileName(naming).slice('tests/'.length)],
      join(ROOT, 'alerts', 'tests'),
    );
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('has, for every alert, a pending check, a firing check and a resolved check', () => {
    const scenarios = unitTestScenarios(m);
    for (const { alert } of ALERTS) {
      const mine = scenarios.filter((s) => s.alert === alert);
      expect(mine.length, alert).toBeGreaterThan(0);
      expect(
        mine.some((s) => s.resolvedAt !== undefined && s.firing.length > 0),
        alert,
      ).toBe(true);
      for (const s of mine) expect(s.pendingAt).toBeLessThan(s.firesAt);
    }
  });

  it('checks pending at a moment the condition already holds: with every for: set to 0 they fail', () => {
    // Same tests against rules whose `for:` is 0: each "not yet firing" check must now fail,
    // which proves it was the `for:` and not an absent condition that kept the alert quiet.
    const dir = join(tmp, naming, 'tests');
    mkdirSync(dir, { recursive: true });
    const file = ruleFile(m);
    for (const group of file.groups) for (const rule of group.rules) if ('for' in rule) rule.for = '0m';
    writeFileSync(join(tmp, naming, ruleFileName(naming)), stringify(file));
    const testFile = unitTestFileName(naming).slice('tests/'.length);
    writeFileSync(join(dir, testFile), readFileSync(join(ROOT, unitTestPath(naming)), 'utf8'));
    const result = runTool('promtool', ['test', 'rules', testFile], dir);
    expect(result.status).not.toBe(0);
    for (const s of unitTestScenarios(m))
      expect(result.output, `${s.alert} at ${s.pendingAt}m`).toContain(
        `alertname: ${s.alert}, time: ${promtoolTime(s.pendingAt)}`,
      );
  });
});
