import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ChildSession, type Preload } from '../intercept/support/child-session.js';
import { closeFakes, type Fakes, fakeEnv, startFakes } from '../intercept/support/fakes.js';

const UNDICI_APP = 'test/hostile/children/undici-app.ts';

interface Transport {
  wrapped: boolean;
  npmUndiciAgent: boolean;
}

describe('requests that are not to a provider keep the dispatcher they would have without the plugin', () => {
  let fakes: Fakes;
  const children: ChildSession[] = [];
  const start = async (preload: Preload) => {
    const child = await ChildSession.start({ preload, script: UNDICI_APP, env: fakeEnv(fakes) });
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    assertBuilt();
    fakes = await startFakes();
  });
  afterAll(async () => {
    await Promise.all(children.map((child) => child.close()));
    await closeFakes(fakes);
  });

  it("npm undici 7's request() runs on its own Agent, with or without the preload", async () => {
    const without = await start('none');
    const withPreload = await start('require');
    expect(await without.call<Transport>('transport')).toEqual({ wrapped: false, npmUndiciAgent: true });
    expect(await withPreload.call<Transport>('transport')).toEqual({ wrapped: true, npmUndiciAgent: true });
    // A request to a host that is no provider goes through, and one to a provider is still admitted.
    const other = `${fakes.other.url}/v1/chat/completions`;
    expect(await withPreload.call('requests', { url: other })).toEqual([{ status: 200 }]);
    fakes.openai.setDefault({ status: 500 });
    const statuses = await withPreload.call<Array<{ status: number; circuit?: string }>>('requests', {
      n: 6,
    });
    expect(statuses.slice(0, 5).map((r) => r.status)).toEqual([500, 500, 500, 500, 500]);
    expect(statuses[5]?.circuit).toBe('circuit-open');
    expect(fakes.openai.requestCount).toBe(5);
  });

  it('10,000 requests to 5,000 origins leave no per-origin pools behind', async () => {
    const child = await start('require');
    // The fake holds this port on 127.0.0.1, so nothing else can listen on it on another
    // loopback address: every origin refuses at once.
    const port = Number(new URL(fakes.other.url).port);
    const soak = await child.call<{ heapGrowthMb: number; failed: number }>('originSoak', {
      port,
      origins: 5_000,
      requests: 10_000,
    });
    expect(soak.failed).toBe(10_000);
    // Node's bundled undici 6 Agent, which the preload used to force on npm undici, kept a pool
    // per origin for ever: about 100 MB here. undici 7's own Agent drops a pool it no longer uses.
    expect(soak.heapGrowthMb).toBeLessThan(30);
  });
});
