import { describe, expect, it } from 'vitest';
import { sleep } from './support/fakes.js';
import { useScenario } from './support/scenario.js';

const WARNING = 'the global dispatcher was replaced after provider-health loaded';

describe('loaded after the app started (no preload)', () => {
  const s = useScenario({ preload: 'none' });

  it('observes fetch after a fetch made before the plugin loaded', async () => {
    const first = await s.call('fetch', 'openai');
    expect(first).toMatchObject({ status: 200, recorded: 0 });
    await s.child.call('loadPlugin');
    expect(await s.child.call('dispatcherInfo')).toMatchObject({ wrapped: true, innerIsNpmUndici: false });
    expect(await s.call('fetch', 'openai')).toMatchObject({ status: 200, recorded: 1 });
    expect(await s.call('axios', 'openai')).toMatchObject({ status: 200, recorded: 1 });
  });
});

describe('loaded twice (--require, then import and require again)', () => {
  const s = useScenario({ preload: 'require' });

  it('wraps once, patches once and records each request once', async () => {
    await s.child.call('loadPlugin', { esm: true, cjs: true });
    expect(await s.child.call('dispatcherInfo')).toMatchObject({
      wrapped: true,
      doubleWrapped: false,
      httpPatched: true,
    });
    for (const client of ['fetch', 'axios', 'undici-request'])
      expect(await s.call(client, 'openai')).toMatchObject({ status: 200, recorded: 1 });
    expect(s.child.stderr).toBe('');
  });
});

describe('the app replaces the global dispatcher', () => {
  const s = useScenario({ preload: 'import' });

  it('is wrapped again within a second, with one warning', async () => {
    await s.child.call('setGlobalDispatcher', { wrap: false });
    // The gap the warning describes: until the next check the new dispatcher is not observed.
    expect(await s.child.call('dispatcherInfo')).toMatchObject({ wrapped: false });
    expect(await s.call('fetch', 'openai')).toMatchObject({ status: 200, recorded: 0 });
    await sleep(1_200);
    expect(await s.child.call('dispatcherInfo')).toMatchObject({ wrapped: true, innerIsNpmUndici: true });
    expect(await s.call('fetch', 'openai')).toMatchObject({ status: 200, recorded: 1 });
    await s.child.call('setGlobalDispatcher', { wrap: false });
    await sleep(1_200);
    expect(await s.child.call('dispatcherInfo')).toMatchObject({ wrapped: true });
    expect(s.child.stderr.split(WARNING).length - 1).toBe(1);
  });

  it('with wrapDispatcher() there is no gap', async () => {
    await s.child.call('setGlobalDispatcher', { wrap: true });
    expect(await s.child.call('dispatcherInfo')).toMatchObject({ wrapped: true, doubleWrapped: false });
    expect(await s.call('fetch', 'openai')).toMatchObject({ status: 200, recorded: 1 });
    expect(await s.call('undici-request', 'openai')).toMatchObject({ status: 200, recorded: 1 });
  });
});

describe("a request's own dispatcher option", () => {
  const s = useScenario({ preload: 'require' });

  it.each(['fetch', 'undici-request'])('bypasses the plugin unless wrapped (%s)', async (via) => {
    expect(await s.child.call('ownDispatcher', { via, wrap: false })).toEqual({ status: 200, recorded: 0 });
    expect(await s.child.call('ownDispatcher', { via, wrap: true })).toEqual({ status: 200, recorded: 1 });
  });
});
