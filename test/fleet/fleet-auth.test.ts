import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { command, RedisServer } from './support/redis-server.js';
import { eventually, nextEvent, Stores, uniqueFleet } from './support/stores.js';

const PASSWORD = 's3cret-pass/with:odd@chars';
const NEW_PASSWORD = 'n3w-s3cret';

let redis: RedisServer;
const stores = new Stores();

beforeAll(async () => {
  redis = await RedisServer.start();
  await command(redis.port, 'ACL', 'SETUSER', 'fleet', 'on', `>${PASSWORD}`, '~*', '&*', '+@all');
});
afterEach(() => stores.closeAll());
afterAll(() => redis.stop());

describe('credentials in the URL', () => {
  it('authenticate as the URL user, and no log line ever shows the password', async () => {
    const url = `redis://fleet:${encodeURIComponent(PASSWORD)}@127.0.0.1:${redis.port}`;
    const entry = await stores.open(url, uniqueFleet(), { commandTimeoutMs: 250, heartbeatMs: 300 });
    expect(await entry.store.forceOpen('openai')).toBe(true);
    // The password changes under the replica: reconnecting fails with WRONGPASS.
    const disconnected = nextEvent(entry.store, 'disconnected');
    await command(redis.port, 'ACL', 'SETUSER', 'fleet', 'resetpass', `>${NEW_PASSWORD}`);
    await command(redis.port, 'CLIENT', 'KILL', 'USER', 'fleet');
    await disconnected;
    // Reconnecting with the old password was tried and refused (Redis logs it as an auth failure).
    await eventually(
      async () => ((await command(redis.port, 'ACL', 'LOG')) === '*0' ? undefined : true),
      'WRONGPASS',
    );
    const connected = nextEvent(entry.store, 'connected');
    await command(redis.port, 'ACL', 'SETUSER', 'fleet', 'resetpass', `>${PASSWORD}`);
    await connected;
    const lines = entry.logs.map((l) => l.message).join('\n');
    expect(lines).toContain('unreachable');
    expect(lines).toContain('fleet:<redacted>@127.0.0.1');
    expect(lines).not.toContain(PASSWORD);
    expect(lines).not.toContain(encodeURIComponent(PASSWORD));
    expect(lines).not.toContain('s3cret');
  });
});
