import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { alertRules } from '../../scripts/observability/alerts/alert-rules.js';
import { unitTestScenarios } from '../../scripts/observability/alerts/unit-tests.js';
import { NAMINGS, ruleFile, ruleFilePath, unitTestPath } from '../../scripts/observability/render.js';
import { ROOT } from '../dashboards/load.js';
import { runTool } from './tools.js';

const tmp = mkdtempSync(join(tmpdir(), 'provider-health-promtool-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(NAMINGS)('promtool test rules (%s names)', (naming) => {
  it('every alert fires when it should, not before its for:, resolves, with its labels and annotations', () => {
    const result = runTool(
      'promtool',
      ['test', 'rules', unitTestPath(naming).slice('alerts/tests/'.length)],
      join(ROOT, 'alerts', 'tests'),
    );
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('has, for every alert, a pending check, a firing check and a resolved check', () => {
    const scenarios = unitTestScenarios(naming);
    for (const { alert } of alertRules(naming)) {
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
    const file = ruleFile(naming);
    for (const group of file.groups) for (const rule of group.rules) if ('for' in rule) rule.for = '0m';
    writeFileSync(join(tmp, naming, ruleFilePath(naming).slice('alerts/'.length)), stringify(file));
    const testFile = unitTestPath(naming).slice('alerts/tests/'.length);
    writeFileSync(join(dir, testFile), readFileSync(join(ROOT, unitTestPath(naming)), 'utf8'));
    const result = runTool('promtool', ['test', 'rules', testFile], dir);
    expect(result.status).not.toBe(0);
    for (const s of unitTestScenarios(naming)) {
      const at =
        s.pendingAt >= 60
          ? `${Math.floor(s.pendingAt / 60)}h${s.pendingAt % 60 ? `${s.pendingAt % 60}m` : ''}`
          : `${s.pendingAt}m`;
      expect(result.output, `${s.alert} at ${at}`).toContain(`alertname: ${s.alert}, time: ${at}`);
    }
  });
});
