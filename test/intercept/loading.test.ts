import { describe, expect, it, vi } from 'vitest';
import { EVENTUALLY } from '../support/waits.js';
import { useScenario } from './support/scenario.js';
import type { CallResult } from './support/types.js';

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

interface ReplacedDispatcher {
  info: { wrapped: boolean };
  call: CallResult;
}

describe('the app replaces the global dispatcher', () => {
  const s = useScenario({ preload: 'import' });
  const dispatcherInfo = () => s.child.call<{ wrapped: boolean }>('dispatcherInfo');

  it('is wrapped again by its periodic check, with one warning', async () => {
    // Replaced, looked at and called in one synchronous step in the child, so the periodic check
    // cannot slip in between: the gap the warning describes is shown, not raced.
    const replaced = await s.child.call<ReplacedDispatcher>('setGlobalDispatcher', {
      wrap: false,
      thenCall: 'fetch',
    });
    expect(replaced.info).toMatchObject({ wrapped: false });
    expect(replaced.call).toMatchObject({ status: 200, recorded: 0 });
    // The check runs every second in the background; waited for, not slept on.
    await vi.waitFor(
      async () => expect(await dispatcherInfo()).toMatchObject({ wrapped: true, innerIsNpmUndici: true }),
      EVENTUALLY,
    );
    expect(await s.call('fetch', 'openai')).toMatchObject({ status: 200, recorded: 1 });
    await s.child.call('setGlobalDispatcher', { wrap: false });
    await vi.waitFor(async () => expect(await dispatcherInfo()).toMatchObject({ wrapped: true }), EVENTUALLY);
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
