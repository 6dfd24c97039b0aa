import { describe, expect, it } from 'vitest';
import { ConfigError, isConfigError } from '../../src/config/index.js';

describe('ConfigError', () => {
  it('formats key, value and accepted values in one line', () => {
    const error = new ConfigError({
      key: 'PROVIDER_HEALTH_MODE',
      value: 'enforced',
      accepted: 'one of enforce, observe, off',
    });
    expect(error.message).toBe(
      'provider-health: invalid PROVIDER_HEALTH_MODE="enforced": expected one of enforce, observe, off',
    );
    expect(error).toMatchObject({ key: 'PROVIDER_HEALTH_MODE', value: 'enforced', file: undefined });
    expect(error.code).toBe('ERR_PROVIDER_HEALTH_CONFIG');
    expect(error.name).toBe('ConfigError');
  });

  it('names the file and renders non-string values without quotes', () => {
    const error = new ConfigError({ key: 'failureThreshold', value: 0, accepted: 'x', file: '/etc/ph.yaml' });
    expect(error.message).toBe('provider-health: invalid failureThreshold=0 in /etc/ph.yaml: expected x');
  });

  it('escapes control characters so a value cannot forge a log line', () => {
    const error = new ConfigError({ key: 'K', value: 'a\nprovider-health: fake', accepted: 'x' });
    expect(error.message).not.toContain('\n');
  });

  it('survives circular values', () => {
    const value: Record<string, unknown> = {};
    value.self = value;
    expect(new ConfigError({ key: 'K', value, accepted: 'x' }).message).toContain('[object Object]');
  });

  it('brand-checks across copies and rejects look-alikes', () => {
    expect(isConfigError(new ConfigError({ key: 'K', value: 1, accepted: 'x' }))).toBe(true);
    expect(isConfigError(new Error('provider-health: invalid'))).toBe(false);
    expect(isConfigError({ name: 'ConfigError', key: 'K' })).toBe(false);
    expect(isConfigError(undefined)).toBe(false);
    // A second copy of the module (CJS next to ESM) brands with the same registered symbol.
    const foreign = Object.assign(new Error('x'), { [Symbol.for('provider-health.ConfigError')]: true });
    expect(isConfigError(foreign)).toBe(true);
  });
});
