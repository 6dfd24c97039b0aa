import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FLEET_NAME,
  defaultFleetName,
  FLEET_NAME_ACCEPTED,
  parseFleetName,
} from '../../src/config/fleet-name.js';
import { configErrorFrom, expectNamed } from './helpers.js';

const KEY = 'PROVIDER_HEALTH_FLEET';

describe('parseFleetName', () => {
  it.each(['checkout', 'Checkout-API', 'svc.prod_eu-1', 'a', 'x'.repeat(64)])('accepts %s', (name) => {
    expect(parseFleetName(name, KEY)).toBe(name);
  });

  // Braces would break the hash tag, colons the key layout; spaces and control characters the logs.
  it.each(['', 'a}b', '{ph', 'a:b', 'has space', '-lead', '.lead', 'x'.repeat(65), 'new\nline', 'ü'])(
    'refuses %j',
    (name) => {
      expectNamed(
        configErrorFrom(() => parseFleetName(name, KEY)),
        KEY,
        name,
        FLEET_NAME_ACCEPTED,
      );
    },
  );

  it('refuses values that are not strings, and names the file a value came from', () => {
    expect(configErrorFrom(() => parseFleetName(42, KEY)).message).toContain(`${KEY}=42`);
    expect(configErrorFrom(() => parseFleetName('a b', 'fleet.name', 'ph.yaml')).message).toContain(
      'invalid fleet.name="a b" in ph.yaml',
    );
  });
});

describe('defaultFleetName', () => {
  it('is the service name when it fits', () => {
    expect(defaultFleetName({ OTEL_SERVICE_NAME: 'checkout' })).toBe('checkout');
  });

  it('adapts a service name that does not fit rather than refusing it', () => {
    expect(defaultFleetName({ OTEL_SERVICE_NAME: 'Checkout API {eu}' })).toBe('Checkout-API--eu-');
    expect(defaultFleetName({ OTEL_SERVICE_NAME: `--${'s'.repeat(80)}` })).toBe('s'.repeat(64));
    const adapted = defaultFleetName({ OTEL_SERVICE_NAME: 'unknown_service:node' });
    expect(parseFleetName(adapted, KEY)).toBe('unknown_service-node');
  });

  it('is the package default without a usable service name', () => {
    expect(defaultFleetName({})).toBe(DEFAULT_FLEET_NAME);
    expect(defaultFleetName({ OTEL_SERVICE_NAME: '  ' })).toBe(DEFAULT_FLEET_NAME);
    expect(defaultFleetName({ OTEL_SERVICE_NAME: '{}' })).toBe(DEFAULT_FLEET_NAME);
  });
});
