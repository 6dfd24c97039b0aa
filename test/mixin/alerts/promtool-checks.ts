/**
 * promtool runs shared by the tests of the committed rules and of the CLI's output: the unit
 * tests, and the same tests against a copy of the rules with every `for:` at 0, where each
 * "still pending" check must fail (proof that `for:`, not an absent condition, kept it quiet).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { runTool, type ToolResult } from './tools.js';

interface RuleFileJson {
  groups: { rules: { alert?: string; for?: string }[] }[];
}
interface TestFileJson {
  rule_files: string[];
  tests: { alert_rule_test: { eval_time: string; alertname: string }[] }[];
}

export function promtoolTest(testFile: string): ToolResult {
  return runTool('promtool', ['test', 'rules', basename(testFile)], dirname(testFile));
}

/** promtool prints an eval time as a Prometheus duration: `1531m` is `1d1h31m`. */
function promtoolTime(evalTime: string): string {
  let minutes = Number(/^(\d+)m$/.exec(evalTime)?.[1] ?? Number.NaN);
  if (Number.isNaN(minutes)) throw new Error(`unexpected eval_time ${evalTime}`);
  if (minutes === 0) return '0s';
  let text = '';
  for (const [unit, size] of [
    ['w', 10_080],
    ['d', 1440],
    ['h', 60],
    ['m', 1],
  ] as const) {
    if (minutes >= size) {
      text += `${Math.floor(minutes / size)}${unit}`;
      minutes %= size;
    }
  }
  return text;
}

/** `alertname: X, time: T` of every test's first check (its pending check), as promtool reports a failure. */
export function pendingChecks(testFile: string): string[] {
  const tests = (parse(readFileSync(testFile, 'utf8')) as TestFileJson).tests;
  return tests.map(
    ({ alert_rule_test: [pending] }) =>
      `alertname: ${pending?.alertname}, time: ${promtoolTime(pending?.eval_time ?? '')}`,
  );
}

/** Runs `testFile` against its rules with every `for:` set to 0, from a copy under `scratch`. */
export function withZeroFor(testFile: string, scratch: string): ToolResult {
  const test = parse(readFileSync(testFile, 'utf8')) as TestFileJson;
  const [rules] = test.rule_files;
  if (rules === undefined) throw new Error(`${testFile} names no rule file`);
  const rulesFile = join(dirname(testFile), rules);
  const file = parse(readFileSync(rulesFile, 'utf8')) as RuleFileJson;
  for (const group of file.groups) for (const rule of group.rules) if (rule.alert) rule.for = '0m';
  const copy = join(scratch, 'tests', basename(testFile));
  mkdirSync(dirname(copy), { recursive: true });
  writeFileSync(join(dirname(copy), rules), stringify(file));
  writeFileSync(copy, readFileSync(testFile, 'utf8'));
  return promtoolTest(copy);
}
