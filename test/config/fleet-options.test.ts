import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConfigError, resolveOptions } from '../../src/config/index.js';
import type { InvalidSetting } from '../../src/config/options.js';
import type { FleetRedisTarget } from '../../src/config/redis-url.js';
import { configErrorFrom } from './helpers.js';

function target(value: FleetRedisTarget | InvalidSetting | undefined): FleetRedisTarget {
  if (value === undefined || 'invalid' in value)
    throw new Error(`expected a Redis target, got ${String(value)}`);
  return value;
}

function invalid(value: unknown): InvalidSetting['invalid'] {
  if (typeof value === 'object' && value !== null && 'invalid' in value && isConfigError(value.invalid))
    return value.invalid;
  throw new Error(`expected an invalid setting, got ${JSON.stringify(value)}`);
}

describe('fleet settings', () => {
  it('are off by default', () => {
    const resolved = resolveOptions({}, {});
    expect(resolved.fleetRedis).toBeUndefined();
    expect(resolved.fleetName).toBeUndefined();
  });

  it('come from the environment', () => {
    const resolved = resolveOptions(
      {},
      {
        PROVIDER_HEALTH_REDIS_URL: 'redis://app:s3cret@redis.internal:6380/2',
        PROVIDER_HEALTH_FLEET: 'checkout',
      },
    );
    expect(target(resolved.fleetRedis)).toMatchObject({
      nodes: [{ host: 'redis.internal', port: 6380 }],
      db: 2,
      username: 'app',
      password: 's3cret',
      display: 'redis://app:<redacted>@redis.internal:6380/2',
    });
    expect(resolved.fleetName).toBe('checkout');
  });

  it('come from code as fleet: { redis, name }, winning over the environment', () => {
    const resolved = resolveOptions(
      { fleet: { redis: 'redis://127.0.0.1:7000,redis://127.0.0.1:7001', name: 'api' } },
      { PROVIDER_HEALTH_REDIS_URL: 'redis://elsewhere:6379' },
    );
    expect(target(resolved.fleetRedis)).toMatchObject({
      cluster: true,
      nodes: [{ port: 7000 }, { port: 7001 }],
    });
    expect(resolved.fleetName).toBe('api');
  });

  it('come from a config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-fleet-'));
    const file = join(dir, 'ph.yaml');
    writeFileSync(file, 'fleet:\n  redis: rediss://redis.internal:6380\n  name: billing\n');
    const resolved = resolveOptions({ configFile: file }, {});
    expect(target(resolved.fleetRedis)).toMatchObject({ tls: true, nodes: [{ host: 'redis.internal' }] });
    expect(resolved.fleetName).toBe('billing');
  });

  it('a bad value turns off the fleet only: the rest resolves, and the error names the key, the redacted value and what is accepted', () => {
    const resolved = resolveOptions(
      {},
      { PROVIDER_HEALTH_REDIS_URL: 'http://user:hunter2@redis:6379', PROVIDER_HEALTH_FAILURE_THRESHOLD: '3' },
    );
    expect(resolved.failureThreshold).toBe(3);
    const error = invalid(resolved.fleetRedis);
    expect(error.key).toBe('PROVIDER_HEALTH_REDIS_URL');
    expect(error.message).toContain('http://user:<redacted>@redis:6379');
    expect(error.message).toContain('redis://');
    expect(error.message).not.toContain('hunter2');
    expect(invalid(resolveOptions({ fleet: { name: 'no spaces allowed' } }, {}).fleetName).key).toBe(
      'fleet.name',
    );
  });

  it('an unknown member or a fleet that is no object is an error like any other typo', () => {
    const unknown = configErrorFrom(() => resolveOptions({ fleet: { url: 'redis://x' } } as never, {}));
    expect(unknown.message).toContain('unknown option fleet.url');
    expect(unknown.accepted).toContain('redis, name');
    expect(configErrorFrom(() => resolveOptions({ fleet: 'redis://x' } as never, {})).key).toBe('fleet');
  });
});
