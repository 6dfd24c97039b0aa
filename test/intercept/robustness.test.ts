import { describe, expect, it } from 'vitest';
import { useScenario } from './support/scenario.js';

interface Composed {
  status?: number;
  recorded: number;
  error?: { message: string };
}

/**
 * The undici inside Node (global fetch and its Agent): 6 on Node 20 and 22, 7 on Node 24
 * (`process.versions.undici`). The children run on this same Node binary.
 */
const BUNDLED_UNDICI_MAJOR = Number(process.versions.undici?.split('.')[0]);

describe("Node's bundled undici and npm undici 7 on one wrapped dispatcher", () => {
  const s = useScenario({ preload: 'require' });

  it(`wraps the bundled undici ${BUNDLED_UNDICI_MAJOR} Agent; fetch, undici.fetch and undici.request answer in every state`, async () => {
    expect(await s.child.call('dispatcherInfo')).toMatchObject({ wrapped: true, innerIsNpmUndici: false });
    // Each call is guarded by the child's call timeout in the parent (vitest) and answers promptly:
    // success, provider error, then the local reply while open.
    for (const client of ['fetch', 'undici-fetch', 'undici-request'])
      expect(await s.call(client, 'anthropic')).toMatchObject({ status: 200, recorded: 1 });
    await s.trip('anthropic');
    for (const client of ['fetch', 'undici-fetch', 'undici-request'])
      expect(await s.call(client, 'anthropic')).toMatchObject({ status: 400, rejected: 1 });
  });

  if (BUNDLED_UNDICI_MAJOR < 7) {
    it('undici 7 interceptors composed onto the bundled undici 6 Agent fail loudly, never hang', async () => {
      // undici 6 rejects undici 7's new-API handlers ("invalid onError method"); the plugin
      // passes them through unchanged, so the app sees that error instead of a silent hang.
      const result = await s.child.call<Composed>('composed', { via: 'undici-request', target: 'fal' });
      expect(result.error?.message).not.toMatch(/hang/);
      expect(result.error?.message).toMatch(/onError/);
    });
  } else {
    it(`undici 7 interceptors composed onto the bundled undici ${BUNDLED_UNDICI_MAJOR} Agent are observed and rejected`, async () => {
      // Node 24's own undici speaks the new handler API, so composing works as on npm undici 7.
      const ok = await s.child.call<Composed>('composed', { via: 'undici-request', target: 'openai' });
      expect(ok).toEqual({ status: 200, recorded: 1 });
      await s.trip('openai');
      const before = s.fakes.openai.requestCount;
      for (const via of ['undici-request', 'fetch']) {
        const rejected = await s.child.call<Composed>('composed', { via, target: 'openai' });
        expect(rejected.recorded).toBe(1);
        expect(JSON.stringify(rejected.error)).toMatch(/UND_ERR_REQ_RETRY|Request failed/);
      }
      expect(s.fakes.openai.requestCount).toBe(before);
    });
  }

  it('with an npm undici 7 Agent wrapped by wrapDispatcher(), composed new-API handlers are observed and rejected', async () => {
    await s.child.call('setGlobalDispatcher', { wrap: true });
    const ok = await s.child.call<Composed>('composed', { via: 'undici-request', target: 'fal' });
    expect(ok).toEqual({ status: 200, recorded: 1 });
    await s.trip('fal');
    const before = s.fakes.fal.requestCount;
    for (const via of ['undici-request', 'fetch']) {
      // The retry interceptor throws from onResponseStart on the 400 it will not retry; the
      // local reply hands that to the handler, as undici does, instead of crashing the process.
      const rejected = await s.child.call<Composed>('composed', { via, target: 'fal' });
      expect(rejected.recorded).toBe(1);
      expect(JSON.stringify(rejected.error)).toMatch(/UND_ERR_REQ_RETRY|Request failed/);
    }
    expect(s.fakes.fal.requestCount).toBe(before);
  });
});

describe('failures inside the plugin never break the request', () => {
  const s = useScenario({ preload: 'import' });

  it('a throwing status callback: requests answer normally and the circuit still opens', async () => {
    await s.child.call('throwingStatusCallback');
    s.fakes.openai.setDefault({ status: 500 });
    const results = await s.child.call<{ status: number }[]>('call', {
      client: 'fetch',
      target: 'openai',
      n: 5,
    });
    expect(results.map((r) => r.status)).toEqual([500, 500, 500, 500, 500]);
    expect((await s.view('openai')).state).toBe('open');
    expect((await s.call('axios', 'openai')).error).toMatchObject({ code: 'ERR_CIRCUIT_OPEN' });
    expect((await s.call('fetch', 'openai')).status).toBe(400);
  });

  it.each(['admit', 'record'])(
    'an internal failure in %s: the request passes through untouched',
    async (part) => {
      const target = part === 'admit' ? 'anthropic' : 'fal';
      await s.child.call('breakProvider', { name: target, part });
      const before = s.fakes[target].requestCount;
      for (const client of ['fetch', 'axios', 'undici-request'])
        expect((await s.call(client, target)).status).toBe(200);
      expect(s.fakes[target].requestCount).toBe(before + 3);
    },
  );
});
