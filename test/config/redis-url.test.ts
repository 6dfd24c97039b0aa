import { describe, expect, it } from 'vitest';
import {
  parseFleetRedis,
  REDIS_URL_ACCEPTED,
  redactRedisUrl,
  scrubSecret,
} from '../../src/config/redis-url.js';
import { configErrorFrom } from './helpers.js';

const KEY = 'PROVIDER_HEALTH_REDIS_URL';

describe('parseFleetRedis: good values', () => {
  it('reads one node with credentials and a database', () => {
    expect(parseFleetRedis('redis://app:s3cr%40t@redis.internal:6380/2', KEY)).toEqual({
      tls: false,
      nodes: [{ host: 'redis.internal', port: 6380 }],
      cluster: false,
      username: 'app',
      password: 's3cr@t',
      db: 2,
      display: 'redis://app:<redacted>@redis.internal:6380/2',
    });
  });

  it('defaults the port, has no credentials when none are given, and reads rediss as TLS', () => {
    const target = parseFleetRedis('rediss://cache.example.com', KEY);
    expect(target.tls).toBe(true);
    expect(target.nodes).toEqual([{ host: 'cache.example.com', port: 6379 }]);
    expect(target.username).toBeUndefined();
    expect(target.password).toBeUndefined();
    expect(target.db).toBe(0);
  });

  it('takes a password without a user (redis://:password@host)', () => {
    const target = parseFleetRedis('redis://:only-pass@127.0.0.1:7000', KEY);
    expect(target.username).toBeUndefined();
    expect(target.password).toBe('only-pass');
    expect(target.display).toBe('redis://:<redacted>@127.0.0.1:7000');
  });

  it('reads IPv6 hosts without their brackets', () => {
    expect(parseFleetRedis('redis://[::1]:7000', KEY).nodes).toEqual([{ host: '::1', port: 7000 }]);
  });

  it('reads several URLs, or ?cluster=true, as Redis Cluster seeds', () => {
    const seeds = parseFleetRedis('redis://u:p@10.0.0.1:7000, redis://10.0.0.2:7001,', KEY);
    expect(seeds.cluster).toBe(true);
    expect(seeds.nodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
    ]);
    expect(seeds.password).toBe('p');
    expect(parseFleetRedis('rediss://cfg.cache.amazonaws.com:6379?cluster=true', KEY).cluster).toBe(true);
    expect(parseFleetRedis('redis://h:6379?cluster=false', KEY).cluster).toBe(false);
  });
});

describe('parseFleetRedis: refused values name the key, redact the password, say what is accepted', () => {
  it.each([
    ['http://u:pw@host:6379'],
    ['redis://u:pw@host:6379/x'],
    ['redis://u:pw@host:6379/0?family=6'],
    ['redis://u:pw@host:99999'],
    ['redis://u:pw@host:6379,rediss://other:6379'],
    ['redis://u:pw@h1:7000/3?cluster=true'],
    ['redis://u:pw@host:6379#frag'],
    ['not a url u:pw@x'],
    [''],
  ])('%s', (value) => {
    const error = configErrorFrom(() => parseFleetRedis(value, KEY));
    expect(error.key).toBe(KEY);
    expect(error.accepted).toContain(REDIS_URL_ACCEPTED);
    expect(error.message).not.toContain('pw');
    expect(String(error.value)).not.toContain('pw');
    expect(error.message).toContain(`${KEY}=`);
  });

  it('refuses values that are not strings, and names the file a value came from', () => {
    const error = configErrorFrom(() => parseFleetRedis(6379, KEY));
    expect(error.message).toContain(`${KEY}=6379`);
    const inFile = configErrorFrom(() => parseFleetRedis('http://u:pw@h', 'fleet.redis', 'ph.yaml'));
    expect(inFile.message).toContain('invalid fleet.redis="http://u:<redacted>@h" in ph.yaml');
  });
});

describe('redactRedisUrl', () => {
  it.each([
    ['redis://user:pass@host:1', 'redis://user:<redacted>@host:1'],
    ['redis://:pass@host', 'redis://:<redacted>@host'],
    ['redis://user@host', 'redis://user@host'],
    ['redis://host:6379', 'redis://host:6379'],
    // An unencoded @ in the password: everything before the last @ is user info.
    ['redis://user:p@ss@host', 'redis://user:<redacted>@host'],
    ['redis://a:x@h1,redis://b:y@h2', 'redis://a:<redacted>@h1,redis://b:<redacted>@h2'],
    ['user:secret@host', 'user:<redacted>@host'],
  ])('%s', (input, expected) => {
    expect(redactRedisUrl(input)).toBe(expected);
  });
});

describe('scrubSecret', () => {
  it('removes the password, plain and URL-encoded, from any text', () => {
    expect(scrubSecret('WRONGPASS for p@ss and p%40ss', 'p@ss')).toBe(
      'WRONGPASS for <redacted> and <redacted>',
    );
    expect(scrubSecret('nothing to hide', undefined)).toBe('nothing to hide');
  });
});
