import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertBuilt, ChildSession } from '../intercept/support/child-session.js';
import { closeFakes, type Fakes, fakeEnv, startFakes } from '../intercept/support/fakes.js';
import { EVENTUALLY } from '../support/waits.js';
import { healthServerUrl } from './support/health-server.js';
import { HOSTILE_APP } from './support/hostile-app.js';

const TOKEN = 'Zq8v0Hc3mX5tB2nR7kW1yL4pD6sF9gJe';
const ATTEMPTS = 60;

const start = (fakes: Fakes, token: string) =>
  ChildSession.start({
    preload: 'require',
    script: HOSTILE_APP,
    env: fakeEnv(fakes, { PROVIDER_HEALTH_SERVER: '127.0.0.1:0', PROVIDER_HEALTH_ADMIN_TOKEN: token }),
  });

const logLines = (child: ChildSession): string[] => child.stderr.split('\n').filter((line) => line !== '');

describe('the admin token', () => {
  let fakes: Fakes;
  const children: ChildSession[] = [];

  beforeAll(async () => {
    assertBuilt();
    fakes = await startFakes();
  });
  afterAll(async () => {
    await Promise.all(children.map((child) => child.close()));
    await closeFakes(fakes);
  });

  it('shorter than 16 characters is refused with one line naming the key, not the value', async () => {
    const child = await start(fakes, 'a');
    children.push(child);
    // The app's own copy of the package (the ESM build) resolves the configuration too.
    await child.call('providerFor', { host: 'github.com' });
    await vi.waitFor(() => expect(logLines(child).length).toBeGreaterThan(0), EVENTUALLY);
    const lines = logLines(child);
    expect(lines, child.stderr).toHaveLength(1);
    expect(lines[0]).toContain('invalid PROVIDER_HEALTH_ADMIN_TOKEN=<redacted>');
    expect(lines[0]).toContain('at least 16');
    expect(lines[0]).not.toMatch(/TOKEN=\\?"a/);
  });

  it(`${ATTEMPTS} wrong guesses from one client are throttled, logged as a summary, and no token is logged`, async () => {
    const child = await start(fakes, TOKEN);
    children.push(child);
    const server = await healthServerUrl(child);
    const reset = `${server}/health/providers/openai/reset`;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < ATTEMPTS; i++) {
      // The right token in the query string (never accepted there) and a wrong one in the header.
      const res = await fetch(`${reset}?token=${TOKEN}`, {
        method: 'POST',
        headers: { authorization: `Bearer wrong-${i.toString().padStart(28, '0')}` },
      });
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(ATTEMPTS - 10).fill(429));
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Throttled: even the right token is not checked now.
    const right = await fetch(reset, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(429);
    const denied = () => logLines(child).filter((line) => line.includes('denied'));
    await vi.waitFor(() => expect(denied().length).toBeGreaterThan(0), EVENTUALLY);
    const denials = denied();
    expect(denials.length, child.stderr).toBeLessThanOrEqual(2);
    expect(child.stderr).not.toContain(TOKEN);
  });
});
