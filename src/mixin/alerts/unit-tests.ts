/**
 * promtool unit tests, built from every alert's scenarios for the user's options. Each scenario
 * says when the alert must still be pending (condition true, `for:` not yet elapsed), when it
 * must fire with exactly which labels and annotations, and when it must have resolved.
 */
import type { Mixin } from '../mixin.js';
import { type AlertDefinition, alertRule, type Firing, type Scenario } from './alert.js';
import { ALERTS } from './catalog.js';
import { renderTemplate } from './templates.js';
import { testTargets } from './test-targets.js';

export interface AlertScenario extends Scenario {
  alert: string;
}

export function unitTestScenarios(m: Mixin, alerts: readonly AlertDefinition[] = ALERTS): AlertScenario[] {
  const targets = testTargets(m);
  return alerts.flatMap((definition) =>
    definition.scenarios(m, targets).map((scenario) => ({ ...scenario, alert: definition.alert })),
  );
}

function expected(definition: AlertDefinition, m: Mixin, firing: Firing) {
  const rule = alertRule(definition, m);
  return {
    exp_labels: { ...firing.labels, ...rule.labels },
    exp_annotations: Object.fromEntries(
      Object.entries(rule.annotations).map(([key, text]) => [
        key,
        renderTemplate(text, firing.labels, firing.value),
      ]),
    ),
  };
}

/** The promtool test file, as an object ready for YAML; `ruleFile` is relative to it. */
export function unitTestFile(m: Mixin, ruleFile: string) {
  const byName = new Map(ALERTS.map((definition) => [definition.alert, definition]));
  return {
    rule_files: [ruleFile],
    evaluation_interval: '1m',
    tests: unitTestScenarios(m).map((s) => {
      const definition = byName.get(s.alert);
      if (!definition) throw new Error(`scenario for unknown alert ${s.alert}`);
      const evals = [
        { eval_time: `${s.pendingAt}m`, alertname: s.alert, exp_alerts: [] },
        {
          eval_time: `${s.firesAt}m`,
          alertname: s.alert,
          exp_alerts: s.firing.map((f) => expected(definition, m, f)),
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
