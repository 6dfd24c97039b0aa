import { describe, expect, it } from 'vitest';
import { classify } from '../../src/outcome/classify.js';
import { DEFAULT_RULES, type OutcomeRules } from '../../src/outcome/rules.js';

describe('OutcomeRules', () => {
  it('DEFAULT_RULES is frozen and changes nothing', () => {
    expect(Object.isFrozen(DEFAULT_RULES)).toBe(true);
    expect(classify({ status: 404 }, DEFAULT_RULES)).toEqual(classify({ status: 404 }));
  });

  it('statusOverrides win over the body and keep retry-after', () => {
    const rules: OutcomeRules = { statusOverrides: { 429: 'provider_error', 404: 'provider_error' } };
    const body = JSON.stringify({
      error: { type: 'insufficient_quota', code: 'insufficient_quota', message: '' },
    });
    expect(classify({ status: 429, body, headers: new Headers({ 'retry-after': '1' }) }, rules)).toEqual({
      outcome: 'provider_error',
      reason: 'HTTP 429 (status rule)',
      retryAfterMs: 1000,
    });
    expect(classify({ status: 404 }, rules).outcome).toBe('provider_error');
    expect(classify({ status: 401 }, rules).outcome).toBe('auth_error');
  });

  it('ignores an override that is not an outcome (config typo)', () => {
    const rules = { statusOverrides: { 500: 'provider-error' } } as unknown as OutcomeRules;
    expect(classify({ status: 500 }, rules).outcome).toBe('provider_error');
    expect(classify({ status: 200 }, rules).outcome).toBe('success');
  });

  it('bodyRules match case-insensitively, in order, on error statuses only', () => {
    const rules: OutcomeRules = {
      bodyRules: [
        { contains: 'MODEL IS WARMING UP', outcome: 'provider_error', statuses: [400] },
        { contains: 'quota', outcome: 'quota_exhausted' },
      ],
    };
    expect(classify({ status: 400, body: 'Model is warming up, try later' }, rules)).toEqual({
      outcome: 'provider_error',
      reason: 'HTTP 400 (body rule MODEL_IS_WARMING_UP)',
    });
    // statuses filter: the first rule does not apply to 404, and nothing matches
    expect(classify({ status: 404, body: 'model is warming up' }, rules).outcome).toBe('client_error');
    expect(classify({ status: 403, body: '{"message":"Daily quota used"}' }, rules).outcome).toBe(
      'quota_exhausted',
    );
    expect(classify({ status: 200, body: 'quota' }, rules).outcome).toBe('success');
  });

  it('errorCodeOverrides apply anywhere in the cause chain', () => {
    const rules: OutcomeRules = {
      errorCodeOverrides: { EAI_AGAIN: 'timeout', MY_SDK_QUOTA: 'quota_exhausted' },
    };
    const dns = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo'), { code: 'EAI_AGAIN' }),
    });
    expect(classify({ error: dns }, rules)).toEqual({ outcome: 'timeout', reason: 'EAI_AGAIN' });
    expect(classify({ error: dns }).outcome).toBe('connection_error');
    const custom = Object.assign(new Error('x'), { code: 'MY_SDK_QUOTA' });
    expect(classify({ error: custom }, rules).outcome).toBe('quota_exhausted');
  });
});
