/**
 * The built CLI (dist/cli.js), run as users run it: a child process. Its default output is the
 * committed files; every option reaches every query; bad input exits 2 with a message naming it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ALERTS } from '../../src/mixin/alerts/catalog.js';
import { THRESHOLD_NAMES } from '../../src/mixin/config/thresholds.js';
import { pendingChecks, promtoolTest, withZeroFor } from './alerts/promtool-checks.js';
import { runTool } from './alerts/tools.js';
import { type DashboardJson, dataPanels, expressions, ROOT, variableSelectors } from './dashboards/load.js';
import { selectors } from './dashboards/promql-selectors.js';

const CLI = join(ROOT, 'dist', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'provider-health-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[], cwd = tmp): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(args: readonly string[], cwd = tmp): Run {
  const run = cli(args, cwd);
  expect(run.status, `${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run;
}

/** Every file under `dir`, relative path -> content. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

const committed = (dir: 'alerts' | 'dashboards') =>
  new Map([...tree(join(ROOT, dir))].filter(([path]) => /\.(ya?ml|json)$/.test(path)));

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  annotations?: Record<string, string>;
}
const rulesIn = (file: string): Rule[] =>
  (parse(readFileSync(file, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npx tsup (npm test builds first)');
});

describe('npx provider-health', () => {
  it('--help prints the usage with every option, threshold and alert, and exits 0', () => {
    const run = ok(['--help']);
    expect(run.stdout).toMatch(/^Usage: provider-health <dashboards\|alerts> \[options\]/);
    for (const option of [
      '--naming',
      '--selector',
      '--runbook-url',
      '--threshold',
      '--for',
      '--out',
      '--config',
    ])
      expect(run.stdout).toContain(option);
    for (const name of THRESHOLD_NAMES) expect(run.stdout).toContain(`${name}=`);
    for (const { alert } of ALERTS) expect(run.stdout).toContain(alert);
    expect(ok(['alerts', '-h']).stdout).toBe(run.stdout);
  });

  it('is a bin of the package, built as its own entry that neither the preload nor the main entry loads', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin).toEqual({ 'provider-health': './dist/cli.js' });
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(CLI).mode & 0o111).not.toBe(0);
    // Names only the mixin's code holds: the dashboard builder and an alert name.
    for (const entry of ['index.js', 'index.cjs', 'register.js', 'register.cjs']) {
      const code = readFileSync(join(ROOT, 'dist', entry), 'utf8');
      expect(code, entry).not.toContain('DashboardBuilder');
      expect(code, entry).not.toContain('AiProviderCircuitOpen');
    }
  });

  it.each(['dashboards', 'alerts'] as const)(
    '%s with the defaults writes exactly the committed files',
    (command) => {
      const out = join(tmp, `defaults-${command}`);
      const run = ok([command, '--out', out]);
      const written = tree(out);
      expect([...written.keys()].sort()).toEqual([...committed(command).keys()].sort());
      for (const [path, content] of committed(command)) expect(written.get(path), path).toBe(content);
      expect(run.stdout.trim().split('\n')).toHaveLength(written.size);
    },
  );

  it('writes to ./dashboards or ./alerts of the working directory without --out', () => {
    const cwd = mkdtempSync(join(tmp, 'cwd-'));
    ok(['alerts', '--naming', 'otlp'], cwd);
    expect([...tree(join(cwd, 'alerts')).keys()].sort()).toEqual([
      'alertmanager.example.yaml',
      'provider-health-otlp.rules.yaml',
      'tests/provider-health-otlp.test.yaml',
    ]);
  });
});

describe('with a selector, thresholds, for: durations and a runbook pattern', () => {
  const SELECTOR = 'job="checkout",namespace=~"prod|staging"';
  const MATCHERS = [
    { label: 'job', op: '=', value: 'checkout' },
    { label: 'namespace', op: '=~', value: 'prod|staging' },
  ];
  const PATTERN = 'https://runbooks.example.com/provider-health#%s';
  const options = [
    '--selector',
    SELECTOR,
    '--runbook-url',
    PATTERN,
    '--threshold',
    'failureRatio=0.25',
    '--threshold',
    'mostInstancesShare=0.7',
    '--threshold',
    'flappingTrips=4',
    '--threshold',
    'flappingWindow=20m',
    '--threshold',
    'latencyFactor=5',
    '--for',
    'AiProviderCircuitOpen=5m',
    '--for',
    'AiProviderHighFailureRate=3m',
    '--for',
    'AiProviderLatencyDegraded=1h',
  ];
  const alertsDir = join(tmp, 'custom-alerts');
  const dashboardsDir = join(tmp, 'custom-dashboards');

  beforeAll(() => {
    ok(['alerts', '--out', alertsDir, ...options]);
    ok(['dashboards', '--out', dashboardsDir, ...options]);
  });

  const hasSelector = (expr: string) => {
    const found = selectors(expr);
    expect(found.length, expr).toBeGreaterThan(0);
    for (const selector of found)
      for (const matcher of MATCHERS) expect(selector.matchers, `${expr}`).toContainEqual(matcher);
  };

  it.each(['provider-health.rules.yaml', 'provider-health-otlp.rules.yaml'])(
    '%s: the selector is on every series selector of every rule; promtool accepts it',
    (file) => {
      const rules = rulesIn(join(alertsDir, file));
      expect(rules.length).toBeGreaterThan(15);
      for (const rule of rules) hasSelector(rule.expr);
      const check = runTool('promtool', ['check', 'rules', join(alertsDir, file)]);
      expect(check.status, check.output).toBe(0);
    },
  );

  it('the dashboards carry it on every panel query and variable query', () => {
    const boards = [...tree(dashboardsDir).values()].map((text) => JSON.parse(text) as DashboardJson);
    expect(boards).toHaveLength(4);
    for (const board of boards) {
      const queries = [...expressions(board), ...variableSelectors(board)];
      expect(queries.length).toBeGreaterThan(dataPanels(board).length);
      for (const expr of queries) hasSelector(expr);
    }
  });

  it('the options are in the rules: thresholds, for:, runbook links; the header says how to regenerate', () => {
    const text = readFileSync(join(alertsDir, 'provider-health.rules.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe(
      `# Generated by \`npx provider-health alerts\` with: --selector '${SELECTOR}' --runbook-url '${PATTERN}' --threshold mostInstancesShare=0.7 --threshold flappingTrips=4 --threshold flappingWindow=20m --threshold failureRatio=0.25 --threshold latencyFactor=5 --for AiProviderCircuitOpen=5m --for AiProviderHighFailureRate=3m --for AiProviderLatencyDegraded=1h.`,
    );
    const rules = rulesIn(join(alertsDir, 'provider-health.rules.yaml'));
    const alert = (name: string) => rules.find((r) => r.alert === name);
    expect(alert('AiProviderHighFailureRate')?.expr).toContain(
      'job_provider:ai_provider_failure_ratio:rate5m{job="checkout",namespace=~"prod|staging"} > 0.25',
    );
    expect(alert('AiProviderCircuitFlapping')?.expr).toContain('ai_provider_circuit_trips:increase20m{');
    expect(rules.find((r) => r.alert === 'AiProviderCircuitOpen')).toMatchObject({ for: '5m' });
    for (const rule of rules.filter((r) => r.alert))
      expect(rule.annotations?.runbook_url).toBe(
        `https://runbooks.example.com/provider-health#${rule.alert?.toLowerCase()}`,
      );
    // The selector names the service, so the absence alert may say it has never exported.
    expect(alert('AiProviderMetricsAbsent')?.expr).toContain(
      'absent(ai_provider_up{job="checkout",namespace=~"prod|staging"})',
    );
    // Its labels join job wherever the rules group by job, so the alerts can still select on it.
    expect(alert('AiProviderAllProvidersUnavailable')?.expr).toContain('min by (job, namespace, instance)');
    const example = parse(readFileSync(join(alertsDir, 'alertmanager.example.yaml'), 'utf8')) as {
      route: { group_by: string[] };
    };
    expect(example.route.group_by).toEqual(['alertname', 'job', 'namespace', 'gen_ai_provider_name']);
  });

  it.each(['provider-health.test.yaml', 'provider-health-otlp.test.yaml'])(
    'the promtool tests written for these options pass, and fail with every for: at 0 (%s)',
    (file) => {
      const testFile = join(alertsDir, 'tests', file);
      const result = promtoolTest(testFile);
      expect(result.status, result.output).toBe(0);
      const zero = withZeroFor(testFile, join(tmp, `zero-${file}`));
      expect(zero.status).not.toBe(0);
      for (const check of pendingChecks(testFile)) expect(zero.output, check).toContain(check);
    },
  );
});

describe('a config file with the same keys', () => {
  const config = {
    naming: 'otlp',
    selector: 'job="shop/checkout"',
    'runbook-url': 'https://wiki.example.com/ai/%s',
    threshold: { failureRatio: 0.2, flappingWindow: '1h' },
    for: { AiProviderRateLimited: '30m' },
    out: 'generated',
  };
  const flags = [
    '--naming',
    'otlp',
    '--selector',
    'job="shop/checkout"',
    '--runbook-url',
    'https://wiki.example.com/ai/%s',
    '--threshold',
    'failureRatio=0.2',
    '--threshold',
    'flappingWindow=1h',
    '--for',
    'AiProviderRateLimited=30m',
  ];

  it.each([
    ['yaml', stringify(config)],
    ['json', JSON.stringify(config)],
  ])('%s writes what the same flags write, out relative to the file', (format, text) => {
    const dir = mkdtempSync(join(tmp, `config-${format}-`));
    writeFileSync(join(dir, `mixin.${format}`), text);
    for (const command of ['alerts', 'dashboards']) {
      ok([command, '--config', join(dir, `mixin.${format}`)]);
      ok([command, ...flags, '--out', join(dir, 'flags', command)]);
    }
    const fromFile = tree(join(dir, 'generated'));
    const fromFlags = new Map([
      ...tree(join(dir, 'flags', 'alerts')),
      ...tree(join(dir, 'flags', 'dashboards')),
    ]);
    expect([...fromFile.keys()].sort()).toEqual([...fromFlags.keys()].sort());
    for (const [path, content] of fromFlags) expect(fromFile.get(path), path).toBe(content);
  });

  it('the command line wins over the file', () => {
    const dir = mkdtempSync(join(tmp, 'config-override-'));
    writeFileSync(join(dir, 'mixin.yaml'), stringify(config));
    ok(['alerts', '--config', join(dir, 'mixin.yaml'), '--naming', 'builtin', '--out', join(dir, 'out')]);
    expect(existsSync(join(dir, 'out', 'provider-health.rules.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'out', 'provider-health-otlp.rules.yaml'))).toBe(false);
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  });

  it.each([
    [
      { selektor: 'job="x"' },
      /unknown key "selektor"; accepted: naming, selector, runbook-url, threshold, for, out/,
    ],
    [
      { threshold: { failureRatio: 'high' } },
      /threshold \(in .*mixin\.yaml\) failureRatio "high": a number above 0 and at most 0\.99/,
    ],
    [{ threshold: ['failureRatio'] }, /threshold \(in .*mixin\.yaml\) "failureRatio": NAME=VALUE/],
    [
      { for: { AiProviderCircuitOpen: 5 } },
      /for \(in .*mixin\.yaml\) AiProviderCircuitOpen 5: a duration from 1m to 1d/,
    ],
  ])('refuses %j with exit 2 and a message naming the key', (content, message) => {
    const dir = mkdtempSync(join(tmp, 'config-bad-'));
    writeFileSync(join(dir, 'mixin.yaml'), stringify(content));
    const run = cli(['alerts', '--config', join(dir, 'mixin.yaml'), '--out', join(dir, 'out')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('bad input: exit 2, a message naming the option, the value and what is accepted', () => {
  it.each([
    [
      ['alerts', '--bogus'],
      /unknown option --bogus; accepted: --naming, --selector, --runbook-url, --threshold, --for, --out, --config, --help/,
    ],
    [['alerts', '--naming', 'prom'], /--naming "prom": builtin or otlp/],
    [
      ['alerts', '--selector', 'job=checkout'],
      /--selector "job=checkout": expected a quoted value at "checkout"; accepted: label matchers/,
    ],
    [
      ['alerts', '--selector', 'instance="a:9464"'],
      /--selector "instance=\\"a:9464\\"": instance is a label the rules split by/,
    ],
    [['alerts', '--selector', '__name__="up"'], /__name__ is reserved by Prometheus/],
    [['alerts', '--selector'], /--selector: a value is missing/],
    [
      ['alerts', '--runbook-url', 'docs/runbooks.md#%s'],
      /--runbook-url "docs\/runbooks\.md#%s": an absolute http\(s\) URL with %s once/,
    ],
    [
      ['alerts', '--runbook-url', 'https://wiki.example.com/runbook'],
      /--runbook-url "https:\/\/wiki\.example\.com\/runbook": an absolute http\(s\) URL with %s once/,
    ],
    [
      ['alerts', '--threshold', 'failureRatio=1.5'],
      /--threshold failureRatio "1\.5": a number above 0 and at most 0\.99/,
    ],
    [
      ['alerts', '--threshold', 'flappingTrips=2.5'],
      /--threshold flappingTrips "2\.5": a whole number from 2 to 100/,
    ],
    [
      ['alerts', '--threshold', 'failure=0.1'],
      /--threshold "failure": a threshold name: mostInstancesShare, flappingTrips/,
    ],
    [
      ['alerts', '--threshold', 'flappingTrips=30', '--threshold', 'flappingWindow=10m'],
      /flappingTrips=30 with flappingWindow=10m: at most 7 trips fit/,
    ],
    [
      ['alerts', '--for', 'AiProviderCircuitOpen=30s'],
      /--for AiProviderCircuitOpen "30s": a duration from 1m to 1d/,
    ],
    [
      ['alerts', '--for', 'AiProviderLatencyDegraded=3h'],
      /--for AiProviderLatencyDegraded "3h": a duration from 1m to 2h/,
    ],
    [['alerts', '--for', 'CircuitOpen=5m'], /--for "CircuitOpen": an alert name: AiProviderCircuitOpen, /],
    [['alert'], /unknown command "alert"; accepted: dashboards, alerts/],
    [[], /a command is required: dashboards or alerts/],
    [
      ['alerts', '--config', 'mixin.toml'],
      /--config "mixin\.toml": a file ending in \.json, \.yaml or \.yml/,
    ],
  ])('%j', (args, message) => {
    const run = cli([...args, '--out', join(tmp, 'never')]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });

  it('exits 1 when it cannot write, naming where', () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, '');
    const run = cli(['alerts', '--out', file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`cannot write to ${file}`);
  });
});
