import { describe, expect, it } from 'vitest';
import { useScenario } from './support/scenario.js';

describe('PROVIDER_HEALTH_REJECT_WITH=error', () => {
  const s = useScenario({ preload: 'require', env: { PROVIDER_HEALTH_REJECT_WITH: 'error' } });

  it('fetch rejects with TypeError("fetch failed") caused by CircuitOpenError; nothing is sent', async () => {
    await s.trip('openai');
    const before = s.fakes.openai.requestCount;
    for (const client of ['fetch', 'undici-fetch']) {
      const reply = await s.call(client, 'openai');
      expect(reply.error).toMatchObject({
        name: 'TypeError',
        message: 'fetch failed',
        cause: { name: 'CircuitOpenError', code: 'ERR_CIRCUIT_OPEN', provider: 'openai' },
      });
      expect(reply.error?.cause?.retryAfterMs).toBeGreaterThan(0);
    }
    expect(s.fakes.openai.requestCount).toBe(before);
  });

  it('undici.request and axios fail with the CircuitOpenError itself', async () => {
    const before = s.fakes.openai.requestCount;
    const viaUndici = await s.call('undici-request', 'openai');
    expect(viaUndici.error).toMatchObject({ code: 'ERR_CIRCUIT_OPEN', provider: 'openai' });
    const viaAxios = await s.call('axios', 'openai');
    expect(viaAxios.error).toMatchObject({ code: 'ERR_CIRCUIT_OPEN' });
    expect(viaAxios.sockets).toBe(0);
    expect(s.fakes.openai.requestCount).toBe(before);
  });
});

describe('PROVIDER_HEALTH_MODE=observe', () => {
  const s = useScenario({ preload: 'import', env: { PROVIDER_HEALTH_MODE: 'observe' } });

  it('moves the state but never rejects', async () => {
    await s.trip('openai');
    expect((await s.view('openai')).state).toBe('open');
    s.fakes.openai.setDefault({ status: 500 });
    for (const client of ['fetch', 'axios', 'openai-sdk']) {
      const before = s.fakes.openai.requestCount;
      const reply = await s.call(client, 'openai');
      expect(reply.error?.status ?? reply.status).toBe(500);
      expect(reply.rejected).toBe(0);
      expect(reply.recorded).toBe(1);
      expect(s.fakes.openai.requestCount).toBe(before + 1);
    }
    expect((await s.view('openai')).metrics.rejectedRequests).toBe(0);
  });
});

describe('PROVIDER_HEALTH_MODE=off', () => {
  const s = useScenario({ preload: 'require', env: { PROVIDER_HEALTH_MODE: 'off' } });

  it('touches nothing: no wrapped dispatcher, no http patch, every call reaches the server', async () => {
    expect(await s.child.call('dispatcherInfo')).toMatchObject({ wrapped: false, httpPatched: false });
    s.fakes.openai.setDefault({ status: 500 });
    const results = await s.child.call<{ status: number }[]>('call', {
      client: 'fetch',
      target: 'openai',
      n: 7,
    });
    expect(results.map((r) => r.status)).toEqual([500, 500, 500, 500, 500, 500, 500]);
    expect((await s.call('axios', 'openai')).status).toBe(500);
    expect(s.fakes.openai.requestCount).toBe(8);
    expect(s.child.stderr).toBe('');
  });
});
