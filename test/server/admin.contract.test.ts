import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningHealthServer } from '../../src/server/index.js';
import {
  ADMIN_TOKEN,
  bearer,
  type ErrorBody,
  fail,
  makeRegistry,
  raw,
  rawSocket,
  startServer,
} from './helpers.js';

let server: RunningHealthServer | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

/** Log lines the plugin writes to stderr during `fn`. */
async function captureLog(fn: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = String(chunk);
    if (text.startsWith('provider-health ')) lines.push(text);
    else original(chunk);
    return true;
  });
  await fn();
  return lines;
}

describe('admin endpoints', () => {
  it('are disabled with a 403 that says how to enable them when no token is configured', async () => {
    server = await startServer(makeRegistry({ providers: { openai: {} } }));
    for (const action of ['reset', 'open']) {
      const res = await raw(server.url, 'POST', `/health/providers/openai/${action}`, bearer());
      expect(res.status).toBe(403);
      const { error } = res.json() as ErrorBody;
      expect(error.code).toBe('admin_disabled');
      expect(error.message).toContain('PROVIDER_HEALTH_ADMIN_TOKEN');
    }
  });

  it('answer a missing or wrong token with 401 and WWW-Authenticate', async () => {
    const registry = makeRegistry({ adminToken: ADMIN_TOKEN, providers: { openai: {} } });
    server = await startServer(registry);
    fail(registry.getOrCreateProvider('openai'), 5);
    for (const headers of [{}, bearer('wrong'), bearer(`${ADMIN_TOKEN}x`), { authorization: ADMIN_TOKEN }]) {
      const res = await raw(server.url, 'POST', '/health/providers/openai/reset', headers);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="provider-health"');
      expect((res.json() as ErrorBody).error.code).toBe('unauthorized');
    }
    expect(registry.getProvider('openai')?.breaker.state).toBe('open');
  });

  it('reset closes an open circuit and is logged with the remote address', async () => {
    const registry = makeRegistry({ providers: { openai: {} } });
    server = await startServer(registry, { adminToken: ADMIN_TOKEN });
    const openai = registry.getOrCreateProvider('openai');
    fail(openai, 5);
    let res: Awaited<ReturnType<typeof raw>> | undefined;
    const lines = await captureLog(async () => {
      res = await raw(server?.url ?? '', 'POST', '/health/providers/openai/reset', bearer());
    });
    expect(res?.status).toBe(200);
    expect(res?.json()).toMatchObject({ action: 'reset', previous_state: 'open', circuit_state: 'closed' });
    expect(openai.breaker.state).toBe('closed');
    const entry = JSON.parse(lines.find((line) => line.includes('"action":"reset"'))?.slice(16) ?? '{}');
    expect(entry).toMatchObject({
      provider: 'openai',
      remote_address: '127.0.0.1',
      time: expect.any(String),
    });
  });

  it('force-open holds the circuit open until reset, or for a given duration', async () => {
    const registry = makeRegistry({ providers: { openai: {} } });
    server = await startServer(registry, { adminToken: ADMIN_TOKEN });
    const openai = registry.getOrCreateProvider('openai');
    let res = await raw(server.url, 'POST', '/health/providers/openai/open', bearer());
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      action: 'open',
      previous_state: 'closed',
      circuit_state: 'open',
      next_trial_in: null,
    });
    expect(openai.breaker.isForcedOpen).toBe(true);
    const json = { ...bearer(), 'content-type': 'application/json' };
    const beforeOpening = Date.now();
    res = await raw(server.url, 'POST', '/health/providers/openai/open', json, '{"duration":"10m"}');
    const waitedSeconds = (Date.now() - beforeOpening) / 1000;
    expect(res.status).toBe(200);
    // Ten minutes, less the time that passed since the request was sent (measured, not assumed small).
    const nextTrialIn = (res.json() as { next_trial_in: number }).next_trial_in;
    expect(nextTrialIn).toBeGreaterThanOrEqual(600 - waitedSeconds);
    expect(nextTrialIn).toBeLessThanOrEqual(600);
    res = await raw(server.url, 'POST', '/health/providers/openai/open', json, '{"duration":"soon"}');
    expect(res.status).toBe(400);
    expect((res.json() as ErrorBody).error.code).toBe('invalid_body');
  });

  it('check any provider without a token, and log it', async () => {
    server = await startServer(makeRegistry({ providers: { openai: {} } }));
    let res: Awaited<ReturnType<typeof raw>> | undefined;
    const lines = await captureLog(async () => {
      res = await raw(server?.url ?? '', 'POST', '/health/providers/openai/check');
    });
    expect(res?.status).toBe(200);
    expect(lines.some((line) => line.includes('"action":"check"') && line.includes('127.0.0.1'))).toBe(true);
  });
});

describe('bodies', () => {
  it('refuses an oversized body with 413, declared or streamed', async () => {
    server = await startServer(makeRegistry({ providers: { openai: {} } }), {
      adminToken: ADMIN_TOKEN,
      maxBodyBytes: 100,
    });
    const big = `{"duration":"${'x'.repeat(500)}"}`;
    const headers = { ...bearer(), 'content-type': 'application/json' };
    const declared = await raw(server.url, 'POST', '/health/providers/openai/open', headers, big);
    expect(declared.status).toBe(413);
    expect((declared.json() as ErrorBody).error.code).toBe('payload_too_large');
    const chunked = await raw(
      server.url,
      'POST',
      '/health/providers/openai/check',
      { 'transfer-encoding': 'chunked', 'content-type': 'application/json' },
      big,
    );
    expect(chunked.status).toBe(413);
  });

  it('refuses malformed JSON, non-objects and other media types', async () => {
    server = await startServer(makeRegistry({ providers: { openai: {} } }));
    const post = (body: string, type = 'application/json') =>
      raw(server?.url ?? '', 'POST', '/health/providers/openai/check', { 'content-type': type }, body);
    expect((await post('{"a":')).status).toBe(400);
    expect(((await post('[1,2]')).json() as ErrorBody).error.code).toBe('invalid_body');
    expect((await post('null')).status).toBe(400);
    expect((await post('a=1', 'application/x-www-form-urlencoded')).status).toBe(415);
  });
});

describe('odd names and paths', () => {
  it('rejects path traversal and odd characters before any lookup', async () => {
    server = await startServer(makeRegistry());
    const cases: Array<[string, number, string]> = [
      ['/health/providers/%2e%2e', 400, 'invalid_path'],
      ['/health/providers/..', 400, 'invalid_path'],
      ['/health/providers/%2E%2e/check', 400, 'invalid_path'],
      ['/health/providers/open%2Fai', 400, 'invalid_provider_name'],
      ['/health/providers/open%00ai', 400, 'invalid_provider_name'],
      ['/health/providers/%E0%A4%A', 400, 'invalid_provider_name'],
      ['/health/providers/%3Cscript%3E', 400, 'invalid_provider_name'],
      [`/health/providers/${'a'.repeat(65)}`, 400, 'invalid_provider_name'],
      ['/health/providers/../../etc/passwd', 400, 'invalid_path'],
      [`/health?${'q'.repeat(3000)}`, 414, 'uri_too_long'],
    ];
    for (const [path, status, code] of cases) {
      const res = await raw(server.url, 'GET', path);
      expect([path, res.status, (res.json() as ErrorBody).error.code]).toEqual([path, status, code]);
    }
  });

  it('never lets request text into a log line unescaped', async () => {
    server = await startServer(makeRegistry({ adminToken: ADMIN_TOKEN, providers: { openai: {} } }));
    const lines = await captureLog(async () => {
      // Raw bytes: Node's client would refuse them, a hostile one will not.
      const request = Buffer.concat([
        Buffer.from('POST /health/providers/openai/reset?%1B[31m%0Afake HTTP/1.1\r\nhost: localhost\r\n'),
        Buffer.from('authorization: Bearer nope\r\nx-forwarded-for: 1.2.3.4'),
        Buffer.from('\u2028fake line \u0085', 'utf8'),
        Buffer.from('\r\nconnection: close\r\ncontent-length: 0\r\n\r\n'),
      ]);
      const answer = await rawSocket(server?.url ?? '', request);
      expect(answer).toMatch(/^HTTP\/1.1 401/);
    });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.slice(0, -1)).toMatch(/^[\x20-\x7e]*$/);
      expect(line).not.toContain('\u2028');
    }
    expect(lines.join('')).toContain('1.2.3.4\\\\u00e2\\\\u0080\\\\u00a8fake line');
  });
});
