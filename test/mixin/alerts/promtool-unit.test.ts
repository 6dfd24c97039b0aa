import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALERTS } from '../../../src/mixin/alerts/catalog.js';
import { unitTestScenarios } from '../../../src/mixin/alerts/unit-tests.js';
import { ROOT } from '../dashboards/load.js';
import { defaultMixin, NAMINGS, unitTestPath } from '../defaults.js';
import { pendingChecks, promtoolTest, withZeroFor } from './promtool-checks.js';

const tmp = mkdtempSync(join(tmpdir(), 'provider-health-promtool-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(NAMINGS)('promtool test rules (%s names)', (naming) => {
  const testFile = join(ROOT, unitTestPath(naming));

  it('every alert fires when it should, not before its for:, resolves, with its labels and annotations', () => {
    const result = promtoolTest(testFile);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('has, for every alert, a pending check, a firing check and a resolved check', () => {
    const scenarios = unitTestScenarios(defaultMixin(naming));
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
    const result = withZeroFor(testFile, join(tmp, naming));
    expect(result.status).not.toBe(0);
    const checks = pendingChecks(testFile);
    expect(checks.length).toBe(unitTestScenarios(defaultMixin(naming)).length);
    for (const check of checks) expect(result.output, check).toContain(check);
  });
});
