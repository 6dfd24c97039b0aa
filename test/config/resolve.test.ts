import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_OPTIONS,
  type ProviderHealthOptions,
  type ResolvedOptions,
  resolveOptions,
} from '../../src/config/index.js';
import { configErrorFrom } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'provider-health-resolve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function configFile(text: string): string {
  const path = join(dir, `config-${counter++}.yaml`);
  writeFileSync(path, text);
  return path;
}

describe('resolveOptions defaults', () => {
  it('fills every key from the defaults when nothing is set', () => {
    const expected: ResolvedOptions = {
      mode: 'enforce',
      rejectWith: 'response',
      failureThreshold: 5,
      recoveryTimeoutMs: 60_000,
      successThreshold: 3,
      trialTimeoutMs: 30_000,
      providers: {},
      server: { host: '127.0.0.1', port: 9465 },
      adminToken: undefined,
      checkIntervalMs: 60_000,
      checkIntervalSet: false,
      checkTimeoutMs: 10_000,
      checkFeedsBreaker: true,
      degradedFailureRate: 0.1,
      degradedLatencyMs: 30_000,
      statsWindowMs: 300_000,
      degradedLatencyBaseline: false,
      trendDetection: true,
      baselineDir: undefined,
      logLevel: 'info',
      currency: 'USD',
      tokenUsageMetric: true,
      fleetRedis: undefined,
      fleetName: undefined,
    };
    expect(resolveOptions({}, {})).toStrictEqual(expected);
    expect(resolveOptions(undefined, {})).toStrictEqual(expected);
  });

  it('hands out fresh objects, so a caller cannot change the defaults', () => {
    const first = resolveOptions({}, {});
    if (first.server !== false) first.server.port = 1;
    expect(resolveOptions({}, {}).server).toEqual({ host: '127.0.0.1', port: 9465 });
    expect(DEFAULT_OPTIONS.server).toEqual({ host: '127.0.0.1', port: 9465 });
  });
});

type Case = [keyof ProviderHealthOptions, unknown, string, string, string, keyof ResolvedOptions, unknown[]];

// option, value in code, env var, env value, file value, resolved key, [code, env, file] results
const CASES: Case[] = [
  // Each source differs from the next one down (and the file from the default), or a win proves nothing.
  ['mode', 'enforce', 'PROVIDER_HEALTH_MODE', 'off', 'observe', 'mode', ['enforce', 'off', 'observe']],
  [
    'rejectWith',
    'error',
    'PROVIDER_HEALTH_REJECT_WITH',
    'response',
    'error',
    'rejectWith',
    ['error', 'response', 'error'],
  ],
  ['failureThreshold', 1, 'PROVIDER_HEALTH_FAILURE_THRESHOLD', '2', '3', 'failureThreshold', [1, 2, 3]],
  [
    'recoveryTimeout',
    '1s',
    'PROVIDER_HEALTH_RECOVERY_TIMEOUT',
    '2s',
    '3s',
    'recoveryTimeoutMs',
    [1e3, 2e3, 3e3],
  ],
  ['successThreshold', 7, 'PROVIDER_HEALTH_SUCCESS_THRESHOLD', '8', '9', 'successThreshold', [7, 8, 9]],
  ['trialTimeout', 100, 'PROVIDER_HEALTH_TRIAL_TIMEOUT', '200', '300', 'trialTimeoutMs', [100, 200, 300]],
  [
    'server',
    ':1',
    'PROVIDER_HEALTH_SERVER',
    '0.0.0.0:2',
    'off',
    'server',
    [{ host: '127.0.0.1', port: 1 }, { host: '0.0.0.0', port: 2 }, false],
  ],
  [
    'adminToken',
    'code-0123456789abcdef',
    'PROVIDER_HEALTH_ADMIN_TOKEN',
    'env-0123456789abcdef',
    'file-0123456789abcdef',
    'adminToken',
    ['code-0123456789abcdef', 'env-0123456789abcdef', 'file-0123456789abcdef'],
  ],
  [
    'checkInterval',
    false,
    'PROVIDER_HEALTH_CHECK_INTERVAL',
    '2m',
    '3m',
    'checkIntervalMs',
    [false, 120e3, 180e3],
  ],
  [
    'degradedFailureRate',
    0,
    'PROVIDER_HEALTH_DEGRADED_FAILURE_RATE',
    '0.5',
    '1',
    'degradedFailureRate',
    [0, 0.5, 1],
  ],
  [
    'degradedLatency',
    '1s',
    'PROVIDER_HEALTH_DEGRADED_LATENCY',
    '2s',
    '3s',
    'degradedLatencyMs',
    [1e3, 2e3, 3e3],
  ],
  ['statsWindow', '1m', 'PROVIDER_HEALTH_STATS_WINDOW', '2m', '3m', 'statsWindowMs', [60e3, 120e3, 180e3]],
];

describe.each(CASES)(
  'precedence of %s',
  (option, codeValue, envVar, envValue, fileValue, resolvedKey, results) => {
    const file = () => configFile(`${option}: ${fileValue}\n`);

    it('code beats environment and file', () => {
      const env = { [envVar]: envValue, PROVIDER_HEALTH_CONFIG: file() };
      expect(resolveOptions({ [option]: codeValue }, env)[resolvedKey]).toEqual(results[0]);
      expect(results[0]).not.toEqual(results[1]);
    });

    it('environment beats file', () => {
      expect(resolveOptions({}, { [envVar]: envValue, PROVIDER_HEALTH_CONFIG: file() })[resolvedKey]).toEqual(
        results[1],
      );
      expect(results[1]).not.toEqual(results[2]);
    });

    it('file beats the default', () => {
      const resolved = resolveOptions({ configFile: file() }, {});
      expect(resolved[resolvedKey]).toEqual(results[2]);
      expect(results[2]).not.toEqual(DEFAULT_OPTIONS[resolvedKey as keyof typeof DEFAULT_OPTIONS]);
    });
  },
);

describe('the config file path', () => {
  it('comes from code before the environment, and the other path is not read', () => {
    const path = configFile('mode: observe\n');
    const env = { PROVIDER_HEALTH_CONFIG: join(dir, 'does-not-exist.yaml') };
    expect(resolveOptions({ configFile: path }, env).mode).toBe('observe');
  });

  it('is reported under the key that named it', () => {
    const missing = join(dir, 'missing.yaml');
    expect(configErrorFrom(() => resolveOptions({ configFile: missing }, {})).key).toBe('configFile');
    const error = configErrorFrom(() => resolveOptions({}, { PROVIDER_HEALTH_CONFIG: missing }));
    expect(error.message).toContain(`invalid PROVIDER_HEALTH_CONFIG=${JSON.stringify(missing)}`);
  });
});

describe('active check settings', () => {
  it('reads the check timeout and whether checks feed the breaker, from code, environment or file', () => {
    expect(resolveOptions({ checkTimeout: '2s', checkFeedsBreaker: false }, {})).toMatchObject({
      checkTimeoutMs: 2_000,
      checkFeedsBreaker: false,
    });
    expect(
      resolveOptions(
        {},
        { PROVIDER_HEALTH_CHECK_TIMEOUT: '750ms', PROVIDER_HEALTH_CHECK_FEEDS_BREAKER: 'no' },
      ),
    ).toMatchObject({ checkTimeoutMs: 750, checkFeedsBreaker: false });
    expect(() => resolveOptions({ checkFeedsBreaker: 'sometimes' as unknown as boolean }, {})).toThrow(
      /checkFeedsBreaker="sometimes": expected true or false/,
    );
  });
});

describe('checkIntervalSet', () => {
  it('is true when code, environment or file set the interval (the preload then starts checks), not for an empty variable', () => {
    expect(resolveOptions({}, {}).checkIntervalSet).toBe(false);
    expect(resolveOptions({ checkInterval: '10s' }, {}).checkIntervalSet).toBe(true);
    expect(resolveOptions({}, { PROVIDER_HEALTH_CHECK_INTERVAL: '30s' }).checkIntervalSet).toBe(true);
    expect(resolveOptions({}, { PROVIDER_HEALTH_CHECK_INTERVAL: '' }).checkIntervalSet).toBe(false);
    const file = configFile('checkInterval: 2m\n');
    expect(resolveOptions({ configFile: file }, {}).checkIntervalSet).toBe(true);
  });
});
