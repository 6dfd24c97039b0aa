import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ProviderHealthOptions,
  resolveOptions,
  resolveProviderOptions,
} from '../../src/config/index.js';
import { configErrorFrom } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'provider-health-providers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILE = `
providers:
  openai:
    hosts: [file.openai.test, code.openai.test]
    failureThreshold: 30
    successThreshold: 33
    recoveryTimeout: 3s
    tripOn: [timeout]
  anthropic:
    hosts: [file.anthropic.test]
    healthCheckUrl: http://127.0.0.1:1/health
`;

describe('provider merging', () => {
  const path = join(dir, 'providers.yaml');
  writeFileSync(path, FILE);
  const resolved = resolveOptions(
    { configFile: path, providers: { openai: { hosts: ['code.openai.test'], failureThreshold: 10 } } },
    { PROVIDER_HEALTH_PROVIDERS: 'openai=env.openai.test,my-llm=*.llm.internal,openai=code.openai.test' },
  );

  it('unions hosts from all sources, in precedence order, without repeats', () => {
    expect(resolved.providers.openai?.hosts).toEqual([
      'code.openai.test',
      'env.openai.test',
      'file.openai.test',
    ]);
    expect(resolved.providers['my-llm']?.hosts).toEqual(['*.llm.internal']);
    expect(resolved.providers.anthropic?.hosts).toEqual(['file.anthropic.test']);
  });

  it('takes each threshold from the first source that sets it', () => {
    expect(resolved.providers.openai).toMatchObject({
      failureThreshold: 10,
      successThreshold: 33,
      recoveryTimeout: 3_000,
      tripOn: ['timeout'],
    });
  });

  it('applies global defaults per provider', () => {
    expect(resolveProviderOptions(resolved, 'openai')).toEqual({
      hosts: ['code.openai.test', 'env.openai.test', 'file.openai.test'],
      failureThreshold: 10,
      recoveryTimeoutMs: 3_000,
      successThreshold: 33,
      trialTimeoutMs: 30_000,
      tripOn: ['timeout'],
      healthCheckUrl: false,
      rules: {},
      abortTimeout: { factor: 4, minMs: 1_000 },
      slowCall: false,
      endpoints: {},
      usage: undefined,
      prices: [],
      budget: undefined,
      budgetAction: 'degrade',
    });
    expect(resolveProviderOptions(resolved, 'anthropic')).toMatchObject({
      failureThreshold: 5,
      recoveryTimeoutMs: 60_000,
      successThreshold: 3,
      tripOn: ['provider_error', 'timeout', 'connection_error'],
      healthCheckUrl: 'http://127.0.0.1:1/health',
      rules: {},
    });
  });

  it('gives a provider nobody configured the globals, even for names on Object.prototype', () => {
    const globals = resolveOptions({ failureThreshold: 9 }, {});
    for (const name of ['gemini', 'constructor', 'toString']) {
      expect(resolveProviderOptions(globals, name)).toMatchObject({ hosts: [], failureThreshold: 9 });
    }
  });

  it('returns copies, so editing one provider does not edit the defaults', () => {
    const first = resolveProviderOptions(resolved, 'anthropic');
    first.tripOn.push('rate_limited');
    expect(resolveProviderOptions(resolved, 'anthropic').tripOn).not.toContain('rate_limited');
  });
});

describe('options in code are validated like the rest', () => {
  it.each([
    [{ mode: 'enforced' }, 'mode', 'invalid mode="enforced": expected one of enforce, observe, off'],
    [{ failureThreshold: Number.NaN }, 'failureThreshold', 'invalid failureThreshold=NaN'],
    [{ failureThreshold: 1.5 }, 'failureThreshold', 'expected an integer from 1 to 1000'],
    [{ failureThreshold: '5' }, 'failureThreshold', 'invalid failureThreshold="5"'],
    [{ degradedFailureRate: 2 }, 'degradedFailureRate', 'expected a number from 0 to 1'],
    [{ recoveryTimeout: -1 }, 'recoveryTimeout', 'invalid recoveryTimeout=-1'],
    [{ server: 9465 }, 'server', 'invalid server=9465'],
    [{ adminToken: 42 }, 'adminToken', 'invalid adminToken=42'],
    [{ configFile: '' }, 'configFile', 'expected a non-empty string'],
    [{ checkInterval: true }, 'checkInterval', 'invalid checkInterval=true'],
    [
      { providers: { openai: { failureThreshold: 0 } } },
      'providers.openai.failureThreshold',
      'invalid providers.openai.failureThreshold=0: expected an integer from 1 to 1000',
    ],
    [
      { providers: { 'gcp.gemini': { hosts: ['https://x'] } } },
      'providers["gcp.gemini"].hosts[0]',
      'invalid providers["gcp.gemini"].hosts[0]="https://x"',
    ],
    [{ failureTreshold: 3 }, 'failureTreshold', 'unknown option failureTreshold: expected one of mode'],
    [{ providers: { openai: { treshold: 3 } } }, 'providers.openai.treshold', 'unknown option'],
    [null, 'options', 'invalid options=null: expected an object with any of mode'],
    [new Map(), 'options', 'invalid options={}'],
    [{ providers: new Map() }, 'providers', 'expected an object of provider names'],
  ])('%j', (code, key, message) => {
    const error = configErrorFrom(() => resolveOptions(code as ProviderHealthOptions, {}));
    expect(error.key).toBe(key);
    expect(error.message).toContain(message);
    expect(error.file).toBeUndefined();
  });

  it('skips options set to undefined, as spreads of partial objects produce', () => {
    expect(resolveOptions({ mode: undefined, providers: { x: { tripOn: undefined } } }, {}).mode).toBe(
      'enforce',
    );
  });

  it('reports code problems before environment problems', () => {
    const error = configErrorFrom(() =>
      resolveOptions({ mode: 'nope' as 'off' }, { PROVIDER_HEALTH_MODE: 'bad' }),
    );
    expect(error.key).toBe('mode');
  });

  it('never echoes an admin token given in code', () => {
    const error = configErrorFrom(() => resolveOptions({ adminToken: 'has space' }, {}));
    expect(error.message).not.toContain('has space');
  });
});

describe('providers.<name>.outcomes', () => {
  it('becomes the classifier rules of that provider', () => {
    const resolved = resolveOptions(
      {
        providers: {
          'my-llm': {
            hosts: ['*.llm.internal'],
            outcomes: {
              status: { '404': 'provider_error' },
              body: [{ contains: 'model is loading', outcome: 'provider_error', statuses: [400] }],
              errorCodes: { EAI_AGAIN: 'timeout' },
            },
          },
        },
      },
      {},
    );
    expect(resolveProviderOptions(resolved, 'my-llm').rules).toEqual({
      statusOverrides: { 404: 'provider_error' },
      bodyRules: [{ contains: 'model is loading', outcome: 'provider_error', statuses: [400] }],
      errorCodeOverrides: { EAI_AGAIN: 'timeout' },
    });
  });

  it.each([
    [
      { status: { '404': 'broken' } },
      /providers\.openai\.outcomes\.status\["404"\]="broken": expected one of success/,
    ],
    [{ status: { '4xx': 'provider_error' } }, /expected an HTTP status from 100 to 599/],
    [
      { body: [{ contains: '', outcome: 'timeout' }] },
      /outcomes\.body\[0\]\.contains="": expected a non-empty string/,
    ],
    [{ bodies: [] }, /unknown option providers\.openai\.outcomes\.bodies/],
  ])('names the bad key and what is accepted: %j', (outcomes, message) => {
    expect(() => resolveOptions({ providers: { openai: { outcomes } } } as never, {})).toThrow(message);
  });
});

describe('providers.<name>.slowCallDuration (the slow-call rule)', () => {
  const slowCallOf = (openai: Record<string, unknown>) =>
    resolveProviderOptions(resolveOptions({ providers: { openai } } as never, {}), 'openai').slowCall;

  it('is off unless set; a duration turns it on with a rate of 0.5 over the last 20 calls', () => {
    expect(slowCallOf({})).toBe(false);
    expect(slowCallOf({ slowCallDuration: '10s' })).toEqual({ duration: 10_000, rate: 0.5, minCalls: 20 });
    expect(slowCallOf({ slowCallDuration: 2500, slowCallRate: 0.8, slowCallMinCalls: 50 })).toEqual({
      duration: 2_500,
      rate: 0.8,
      minCalls: 50,
    });
  });

  it('can be relative to the baseline: { factor, min }', () => {
    expect(slowCallOf({ slowCallDuration: { factor: 3, min: '2s' } })).toEqual({
      duration: { factor: 3, minMs: 2_000 },
      rate: 0.5,
      minCalls: 20,
    });
  });

  it('reaches the breaker of the provider', async () => {
    const { ProviderRegistry } = await import('../../src/providers/registry.js');
    const registry = new ProviderRegistry(
      resolveOptions({ providers: { openai: { slowCallDuration: '4s', slowCallMinCalls: 7 } } }, {}),
    );
    const breaker = registry.getOrCreateProvider('openai').breaker;
    expect([breaker.slowCallDuration, breaker.slowCallRate, breaker.slowCallMinCalls]).toEqual([
      4_000, 0.5, 7,
    ]);
    expect(registry.getOrCreateProvider('anthropic').breaker.slowCallDuration).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([
    [{ slowCallDuration: 0 }, 'providers.openai.slowCallDuration', 'greater than 0'],
    [{ slowCallDuration: 'slow' }, 'providers.openai.slowCallDuration', 'a duration such as'],
    [{ slowCallDuration: { factor: 1 } }, 'providers.openai.slowCallDuration.factor', 'above 1'],
    [{ slowCallDuration: { factor: 3 } }, 'providers.openai.slowCallDuration', 'factor (above 1'],
    [
      { slowCallDuration: { factor: 3, min: '1s', max: 2 } },
      'providers.openai.slowCallDuration.max',
      'one of factor, min',
    ],
    [{ slowCallDuration: '5s', slowCallRate: 0 }, 'providers.openai.slowCallRate', 'above 0 and at most 1'],
    [{ slowCallDuration: '5s', slowCallRate: 1.5 }, 'providers.openai.slowCallRate', 'above 0 and at most 1'],
    [{ slowCallDuration: '5s', slowCallMinCalls: 0 }, 'providers.openai.slowCallMinCalls', 'from 1 to 10000'],
    [
      { slowCallDuration: '5s', slowCallMinCalls: 1e9 },
      'providers.openai.slowCallMinCalls',
      'from 1 to 10000',
    ],
    [{ slowCallRate: 0.5 }, 'providers.openai.slowCallRate', 'together with slowCallDuration'],
  ])('names the bad key and what is accepted: %j', (openai, key, accepted) => {
    const error = configErrorFrom(() => slowCallOf(openai));
    expect(error.key).toBe(key);
    expect(error.accepted).toContain(accepted);
  });
});
