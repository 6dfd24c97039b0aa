import { describe, expect, it } from 'vitest';
import { ENV_VARS, readEnvOptions } from '../../src/config/index.js';
import { configErrorFrom, expectNamed } from './helpers.js';

describe('readEnvOptions: good values', () => {
  it.each([
    ['PROVIDER_HEALTH_MODE', 'observe', { mode: 'observe' }],
    ['PROVIDER_HEALTH_MODE', 'off', { mode: 'off' }],
    ['PROVIDER_HEALTH_CONFIG', './ph.yaml', { configFile: './ph.yaml' }],
    ['PROVIDER_HEALTH_FAILURE_THRESHOLD', '7', { failureThreshold: 7 }],
    ['PROVIDER_HEALTH_RECOVERY_TIMEOUT', '2m', { recoveryTimeoutMs: 120_000 }],
    ['PROVIDER_HEALTH_RECOVERY_TIMEOUT', '0', { recoveryTimeoutMs: 0 }],
    ['PROVIDER_HEALTH_SUCCESS_THRESHOLD', '1', { successThreshold: 1 }],
    ['PROVIDER_HEALTH_TRIAL_TIMEOUT', '1500', { trialTimeoutMs: 1_500 }],
    ['PROVIDER_HEALTH_REJECT_WITH', 'error', { rejectWith: 'error' }],
    ['PROVIDER_HEALTH_SERVER', '0.0.0.0:9000', { server: { host: '0.0.0.0', port: 9000 } }],
    ['PROVIDER_HEALTH_SERVER', '[::1]:9465', { server: { host: '::1', port: 9465 } }],
    ['PROVIDER_HEALTH_SERVER', 'off', { server: false }],
    ['PROVIDER_HEALTH_ADMIN_TOKEN', 's3cr3t-T0ken!-0123456', { adminToken: 's3cr3t-T0ken!-0123456' }],
    ['PROVIDER_HEALTH_CHECK_INTERVAL', '30s', { checkIntervalMs: 30_000 }],
    ['PROVIDER_HEALTH_CHECK_INTERVAL', 'off', { checkIntervalMs: false }],
    ['PROVIDER_HEALTH_DEGRADED_FAILURE_RATE', '0.25', { degradedFailureRate: 0.25 }],
    ['PROVIDER_HEALTH_DEGRADED_FAILURE_RATE', '1', { degradedFailureRate: 1 }],
    ['PROVIDER_HEALTH_DEGRADED_LATENCY', '10s', { degradedLatencyMs: 10_000 }],
    ['PROVIDER_HEALTH_STATS_WINDOW', '1h', { statsWindowMs: 3_600_000 }],
    [
      'PROVIDER_HEALTH_DEGRADED_LATENCY_BASELINE',
      '3x,1s',
      { degradedLatencyBaseline: { factor: 3, minMs: 1_000 } },
    ],
    [
      'PROVIDER_HEALTH_DEGRADED_LATENCY_BASELINE',
      '2.5x, 750ms',
      { degradedLatencyBaseline: { factor: 2.5, minMs: 750 } },
    ],
    ['PROVIDER_HEALTH_DEGRADED_LATENCY_BASELINE', 'off', { degradedLatencyBaseline: false }],
    ['PROVIDER_HEALTH_TREND_DETECTION', 'false', { trendDetection: false }],
    ['PROVIDER_HEALTH_BASELINE_DIR', '/var/lib/provider-health', { baselineDir: '/var/lib/provider-health' }],
  ])('%s=%s', (key, value, expected) => {
    expect(readEnvOptions({ [key]: value })).toEqual(expected);
  });

  it('trims values and treats empty ones as unset', () => {
    expect(readEnvOptions({ PROVIDER_HEALTH_MODE: ' observe\n', PROVIDER_HEALTH_SERVER: '' })).toEqual({
      mode: 'observe',
    });
    expect(readEnvOptions({ PROVIDER_HEALTH_FAILURE_THRESHOLD: '   ' })).toEqual({});
  });

  it('ignores variables outside its prefix', () => {
    expect(readEnvOptions({ PATH: '/bin', OTEL_SERVICE_NAME: 'x', PROVIDER_HEALTHY: 'x' })).toEqual({});
  });

  it('parses providers, repeated names adding hosts', () => {
    const layer = readEnvOptions({
      PROVIDER_HEALTH_PROVIDERS:
        'openai=127.0.0.1:4010, my-llm=*.llm.internal,openai=API.example.com,openai=127.0.0.1:4010,',
    });
    expect(Object.fromEntries(layer.providers ?? [])).toEqual({
      openai: { hosts: ['127.0.0.1:4010', 'api.example.com'] },
      'my-llm': { hosts: ['*.llm.internal'] },
    });
  });

  it('lists every variable it reads', () => {
    expect(ENV_VARS).toHaveLength(24);
    expect(ENV_VARS).toContain('PROVIDER_HEALTH_STATS_WINDOW');
    expect(ENV_VARS).toContain('PROVIDER_HEALTH_LOG_LEVEL');
    expect(ENV_VARS).toContain('PROVIDER_HEALTH_REDIS_URL');
    expect(ENV_VARS).toContain('PROVIDER_HEALTH_FLEET');
  });
});

const DURATION = 'a duration such as 500ms';
const POSITIVE = 'greater than 0';
const TIMEOUT = 'a duration from 100ms to 2147483647ms';
const INTERVAL = 'a duration from 1s to 2147483647ms';

describe('readEnvOptions: bad values name the variable, the value and what is accepted', () => {
  it.each([
    ['PROVIDER_HEALTH_MODE', 'enforced', 'one of enforce, observe, off'],
    ['PROVIDER_HEALTH_MODE', 'ENFORCE', 'one of enforce, observe, off'],
    ['PROVIDER_HEALTH_LOG_LEVEL', 'verbose', 'one of debug, info, warn, error, silent'],
    ['PROVIDER_HEALTH_CHECK_FEEDS_BREAKER', 'maybe', 'true or false'],
    ['PROVIDER_HEALTH_CHECK_TIMEOUT', '0', TIMEOUT],
    ['PROVIDER_HEALTH_CHECK_TIMEOUT', '1ms', TIMEOUT],
    ['PROVIDER_HEALTH_FAILURE_THRESHOLD', '0', 'an integer from 1 to 1000'],
    ['PROVIDER_HEALTH_FAILURE_THRESHOLD', '-3', 'an integer from 1 to 1000'],
    ['PROVIDER_HEALTH_FAILURE_THRESHOLD', '2.5', 'an integer from 1 to 1000'],
    ['PROVIDER_HEALTH_FAILURE_THRESHOLD', 'five', 'an integer from 1 to 1000'],
    ['PROVIDER_HEALTH_FAILURE_THRESHOLD', '99999999999999999999', 'an integer from 1 to 1000'],
    ['PROVIDER_HEALTH_SUCCESS_THRESHOLD', '0', 'an integer from 1 to 1000'],
    ['PROVIDER_HEALTH_RECOVERY_TIMEOUT', '60 seconds', DURATION],
    ['PROVIDER_HEALTH_RECOVERY_TIMEOUT', '-1s', DURATION],
    ['PROVIDER_HEALTH_TRIAL_TIMEOUT', '0s', TIMEOUT],
    ['PROVIDER_HEALTH_TRIAL_TIMEOUT', '1ms', TIMEOUT],
    ['PROVIDER_HEALTH_SUCCESS_THRESHOLD', '9007199254740991', 'an integer from 1 to 1000'],
    ['PROVIDER_HEALTH_FAILURE_THRESHOLD', '1001', 'an integer from 1 to 1000'],
    ['PROVIDER_HEALTH_REJECT_WITH', '503', 'one of response, error'],
    ['PROVIDER_HEALTH_SERVER', 'localhost', 'host:port, :port, port, [IPv6]:port or off'],
    ['PROVIDER_HEALTH_SERVER', '::1:9465', 'host:port, :port, port, [IPv6]:port or off'],
    ['PROVIDER_HEALTH_CHECK_INTERVAL', 'never', INTERVAL],
    ['PROVIDER_HEALTH_CHECK_INTERVAL', '0', INTERVAL],
    ['PROVIDER_HEALTH_CHECK_INTERVAL', '1ms', INTERVAL],
    ['PROVIDER_HEALTH_CHECK_INTERVAL', '999', INTERVAL],
    ['PROVIDER_HEALTH_DEGRADED_FAILURE_RATE', '10%', 'a number from 0 to 1'],
    ['PROVIDER_HEALTH_DEGRADED_FAILURE_RATE', '1.5', 'a number from 0 to 1'],
    ['PROVIDER_HEALTH_DEGRADED_FAILURE_RATE', '-0.1', 'a number from 0 to 1'],
    ['PROVIDER_HEALTH_DEGRADED_LATENCY', '0ms', POSITIVE],
    ['PROVIDER_HEALTH_STATS_WINDOW', '5 min', INTERVAL],
    ['PROVIDER_HEALTH_STATS_WINDOW', '1ms', INTERVAL],
    ['PROVIDER_HEALTH_DEGRADED_LATENCY_BASELINE', '3x', 'a factor and a floor such as `3x,1s`'],
    ['PROVIDER_HEALTH_DEGRADED_LATENCY_BASELINE', '1x,1s', 'a factor and a floor such as `3x,1s`'],
    ['PROVIDER_HEALTH_DEGRADED_LATENCY_BASELINE', '3,1s', 'a factor and a floor such as `3x,1s`'],
    ['PROVIDER_HEALTH_DEGRADED_LATENCY_BASELINE', '3x,soon', 'a factor and a floor such as `3x,1s`'],
    ['PROVIDER_HEALTH_TREND_DETECTION', 'sometimes', 'true or false'],
    ['PROVIDER_HEALTH_PROVIDERS', 'openai', 'comma-separated name=host entries'],
    ['PROVIDER_HEALTH_PROVIDERS', 'https://api.openai.com', 'comma-separated name=host entries'],
  ])('%s=%s', (key, value, accepted) => {
    const error = configErrorFrom(() => readEnvOptions({ [key]: value }));
    expectNamed(error, key, value, accepted);
    expect(error.value).toBe(value);
    expect(error.file).toBeUndefined();
  });

  it('names the offending provider entry part', () => {
    const env = { PROVIDER_HEALTH_PROVIDERS: 'openai=api.openai.com,my-llm=https://llm.internal' };
    expectNamed(
      configErrorFrom(() => readEnvOptions(env)),
      'PROVIDER_HEALTH_PROVIDERS',
      'https://llm.internal',
      'a host pattern',
    );
    const badName = { PROVIDER_HEALTH_PROVIDERS: 'My LLM=llm.internal' };
    expectNamed(
      configErrorFrom(() => readEnvOptions(badName)),
      'PROVIDER_HEALTH_PROVIDERS',
      'My LLM',
      'a provider name',
    );
  });

  it.each(['my secret with a space', 'short-secret'])(
    'never echoes the admin token, and says what is accepted (%#)',
    (token) => {
      const error = configErrorFrom(() => readEnvOptions({ PROVIDER_HEALTH_ADMIN_TOKEN: token }));
      expect(error.message).toBe(
        'provider-health: invalid PROVIDER_HEALTH_ADMIN_TOKEN=<redacted>: expected a token of at least 16 visible ASCII characters without spaces (for example the output of: openssl rand -hex 32)',
      );
      expect(JSON.stringify(error.value)).not.toContain('secret');
      expect(error.message).not.toContain('secret');
    },
  );

  it('reports a misspelt variable rather than ignoring it', () => {
    const error = configErrorFrom(() => readEnvOptions({ PROVIDER_HEALTH_FAILURE_TRESHOLD: '3' }));
    expect(error.message).toMatch(
      /^provider-health: unknown option PROVIDER_HEALTH_FAILURE_TRESHOLD: expected/,
    );
    expect(error.accepted).toContain('(did you mean PROVIDER_HEALTH_FAILURE_THRESHOLD?)');
  });
});
