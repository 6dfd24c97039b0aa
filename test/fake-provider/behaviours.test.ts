import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';
import { EVENTUALLY } from '../support/waits.js';

const started: FakeProvider[] = [];
async function start(options: Parameters<typeof startFakeProvider>[0] = {}): Promise<FakeProvider> {
  const fake = await startFakeProvider(options);
  started.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()));
});

const chat = (fake: FakeProvider, stream = false) =>
  fetch(`${fake.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [], stream }),
  });

function causeCode(error: unknown): unknown {
  return error instanceof Error && error.cause instanceof Error
    ? (error.cause as NodeJS.ErrnoException).code
    : undefined;
}

describe('fake provider behaviours over plain fetch', () => {
  it('listens on 127.0.0.1 with a free port and answers ok with content-length', async () => {
    const fake = await start();
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
    const res = await chat(fake);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).not.toBeNull();
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('uses each provider’s own error shape by default (multi flavor routes by path)', async () => {
    const fake = await start({ flavor: 'multi' });
    fake.setDefault({ status: 529 });
    const anthropic = await fetch(`${fake.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(anthropic.status).toBe(529);
    expect(await anthropic.json()).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
      request_id: expect.stringMatching(/^req_/),
    });
    fake.setDefault({ status: 500 });
    expect(await (await chat(fake)).json()).toEqual({
      error: { message: expect.any(String), type: 'server_error', param: null, code: null },
    });
    fake.setDefault({ status: 401, message: 'nope', headers: { 'x-should-retry': 'false' } });
    const fal = await fetch(`${fake.url}/fal-ai/flux`, { method: 'POST', body: '{}' });
    expect(fal.headers.get('x-should-retry')).toBe('false');
    expect(fal.headers.get('x-fal-error-type')).toBeNull();
    expect(await fal.json()).toEqual({ detail: 'nope' });
    const models = await fetch(`${fake.url}/v1/models`, { headers: { 'anthropic-version': '2023-06-01' } });
    expect(fake.requests.at(-1)).toMatchObject({ provider: 'anthropic', route: 'anthropic.models' });
    expect(models.status).toBe(401);
  });

  it('sends a string body override as is, and 404s unknown paths in the flavor’s shape', async () => {
    const fake = await start({ flavor: 'anthropic' });
    fake.script([{ status: 502, body: '<html>bad gateway</html>' }]);
    const res = await fetch(`${fake.url}/v1/messages`, { method: 'POST' });
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([
      502,
      'text/plain',
      '<html>bad gateway</html>',
    ]);
    const missing = await fetch(`${fake.url}/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { type: 'not_found_error' } });
  });

  it('plays the script in order, then the default; reset() restores ok and clears the log', async () => {
    const fake = await start({ flavor: 'openai' });
    fake.setDefault({ status: 503 });
    fake.script([{ status: 429 }, { kind: 'ok' }]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await chat(fake)).status);
    expect(statuses).toEqual([429, 200, 503]);
    expect(fake.requests.map((r) => r.behaviour)).toEqual(['error', 'ok', 'error']);
    fake.reset();
    expect([fake.requestCount, fake.requests.length, (await chat(fake)).status]).toEqual([0, 0, 200]);
  });

  it('asks a behaviour function per request, with the parsed body', async () => {
    const fake = await start({ flavor: 'multi' });
    fake.setDefault((req) => (req.provider === 'anthropic' ? { status: 529 } : undefined));
    fake.script([
      (req) => (req.body && (req.body as { model?: string }).model === 'm' ? { status: 400 } : undefined),
    ]);
    expect((await chat(fake)).status).toBe(400);
    expect((await chat(fake)).status).toBe(200);
    expect((await fetch(`${fake.url}/v1/messages`, { method: 'POST', body: '{}' })).status).toBe(529);
  });

  it('delays the headers', async () => {
    const fake = await start({ flavor: 'openai' });
    fake.script([{ kind: 'delay', ms: 60, andThen: { status: 500 } }]);
    const t0 = performance.now();
    const res = await chat(fake);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    expect(res.status).toBe(500);
  });

  it('streams slowly: headers first, then one chunk per interval', async () => {
    const fake = await start({ flavor: 'openai' });
    // The next chunk is a minute away: headers and the first event arrived on their own, ahead of it.
    fake.script([{ kind: 'slow-stream', chunkDelayMs: 60_000, text: 'a b c' }]);
    const held = await chat(fake, true);
    expect(held.status).toBe(200);
    const reader = held.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value).trim().split('\n\n')).toHaveLength(1);
    await reader?.cancel();

    // Paced: 3 deltas + role + finish + [DONE] = 6 events, 5 pauses (a lower bound: waits only run long).
    fake.script([{ kind: 'slow-stream', chunkDelayMs: 20, text: 'a b c' }]);
    const t0 = performance.now();
    const body = await (await chat(fake, true)).text();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
    expect(body.trim().split('\n\n')).toHaveLength(6);
  });

  it('resets before headers: fetch fails with ECONNRESET', async () => {
    const fake = await start({ flavor: 'openai' });
    fake.script([{ kind: 'reset' }]);
    const error = await chat(fake).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(causeCode(error)).toBe('ECONNRESET');
    expect((await chat(fake)).status).toBe(200);
  });

  it('resets mid-body: status 200, then the body read fails', async () => {
    const fake = await start({ flavor: 'openai' });
    fake.script([{ kind: 'reset-mid-body', afterChunks: 1 }]);
    const res = await chat(fake);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('hangs until close(), which is prompt and fails the pending request', async () => {
    const fake = await start({ flavor: 'openai' });
    fake.script([{ kind: 'hang' }, { kind: 'hang', afterHeaders: true }]);
    const pending = chat(fake).catch((e: unknown) => e);
    const headersOnly = await chat(fake);
    expect(headersOnly.status).toBe(200);
    const bodyRead = headersOnly.text().catch((e: unknown) => e);
    await vi.waitFor(() => expect(fake.requestCount).toBe(2), EVENTUALLY);
    // Prompt: a close that waited for the hung exchanges would wait for the client's own timeouts
    // (undici: 300 s for headers and body); a generous bound still tells the two apart.
    const t0 = performance.now();
    await fake.close();
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(await pending).toBeInstanceOf(TypeError);
    expect(await bodyRead).toBeInstanceOf(Error);
  });

  it('unrefs its timers and clears them on close, even mid slow-stream and mid delay', async () => {
    // Unref'd timers do not show in getActiveResourcesInfo(), so watch them being made and cleared.
    const made: NodeJS.Timeout[] = [];
    const realSetTimeout = globalThis.setTimeout;
    const setSpy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      const timer = realSetTimeout(fn, ms);
      if (ms === 60_000) made.push(timer);
      return timer;
    }) as typeof setTimeout);
    const clearSpy = vi.spyOn(globalThis, 'clearTimeout');
    try {
      const fake = await start({ flavor: 'openai' });
      fake.script([
        { kind: 'slow-stream', chunkDelayMs: 60_000 },
        { kind: 'delay', ms: 60_000 },
      ]);
      const slow = await chat(fake, true);
      const reading = slow.text().catch(() => 'failed');
      const delayed = chat(fake).catch(() => 'failed');
      await vi.waitFor(() => expect(made).toHaveLength(2), EVENTUALLY);
      expect(made.map((t) => t.hasRef())).toEqual([false, false]);
      await fake.close();
      expect([await reading, await delayed]).toEqual(['failed', 'failed']);
      for (const timer of made) expect(clearSpy).toHaveBeenCalledWith(timer);
    } finally {
      setSpy.mockRestore();
      clearSpy.mockRestore();
    }
  });

  it('caps the request log but keeps counting', async () => {
    const fake = await start({ flavor: 'openai', maxLoggedRequests: 2 });
    const before = Date.now();
    for (let i = 0; i < 4; i++) await fetch(`${fake.url}/v1/models?i=${i}`);
    expect(fake.requestCount).toBe(4);
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/models?i=2', '/v1/models?i=3']);
    expect(fake.requests[0]?.time).toBeGreaterThanOrEqual(before);
    expect(fake.requests[0]?.time).toBeLessThanOrEqual(Date.now());
  });
});
