import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertBuilt, ChildSession } from '../intercept/support/child-session.js';
import { EVENTUALLY } from '../support/waits.js';
import { type EndlessUpstream, startEndlessUpstream } from './support/endless-upstream.js';
import { healthServerUrl } from './support/health-server.js';
import { HOSTILE_APP } from './support/hostile-app.js';

interface Memory {
  rss: number;
}

describe('an active check against an endless body', () => {
  let upstream: EndlessUpstream;
  let child: ChildSession;
  let server: string;

  beforeAll(async () => {
    assertBuilt();
    upstream = await startEndlessUpstream();
    const dir = mkdtempSync(join(tmpdir(), 'provider-health-checks-'));
    const config = join(dir, 'config.json');
    const host = new URL(upstream.url).host;
    writeFileSync(
      config,
      JSON.stringify({
        providers: {
          'endless-ok': { hosts: [host], healthCheckUrl: `${upstream.url}/200` },
          'endless-error': { hosts: [host], healthCheckUrl: `${upstream.url}/500` },
        },
      }),
    );
    child = await ChildSession.start({
      preload: 'require',
      script: HOSTILE_APP,
      env: {
        PROVIDER_HEALTH_SERVER: '127.0.0.1:0',
        PROVIDER_HEALTH_CONFIG: config,
        PROVIDER_HEALTH_CHECK_TIMEOUT: '4s',
      },
    });
    server = await healthServerUrl(child);
  });
  afterAll(async () => {
    await child?.close();
    await upstream?.close();
  });

  it.each([
    ['endless-ok', 'success'],
    ['endless-error', 'provider_error'],
  ])(
    'POST /health/providers/%s/check reads a bounded prefix, stops reading and keeps no memory',
    async (name, outcome) => {
      const before = await child.call<Memory>('memory');
      const answered = upstream.answers.length;
      const res = await fetch(`${server}/health/providers/${name}/check`, { method: 'POST' });
      expect(res.status).toBe(200);
      const result = (await res.json()) as { outcome: string };
      expect(result.outcome).toBe(outcome);
      const answer = upstream.answers[answered];
      // The probe let go of the connection instead of reading until its timeout.
      await vi.waitFor(() => expect(answer?.closed).toBe(true), EVENTUALLY);
      // 64 KiB read plus what loopback socket buffers hold; before: everything until the timeout.
      expect(answer?.bytes).toBeLessThan(16 * 1024 * 1024);
      const after = await child.call<Memory>('memory');
      expect(after.rss - before.rss).toBeLessThan(50 * 1024 * 1024);
    },
  );
});
