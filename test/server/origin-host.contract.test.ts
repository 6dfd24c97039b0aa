import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHealthHandler, type HealthHandler, type RunningHealthServer } from '../../src/server/index.js';
import { isLoopbackAddress } from '../../src/server/request-guard.js';
import { type ErrorBody, makeRegistry, raw, rawSocket, startServer } from './helpers.js';
import { waitFor } from './live-client.js';

/**
 * Cross-site WebSocket hijacking, cross-site POSTs and DNS rebinding: what a page in an
 * operator's browser could do to the health server. Raw requests, so every header is ours.
 */

let closeAll: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closeAll) await close();
  closeAll = [];
});

async function standalone(options: Parameters<typeof startServer>[1] = {}): Promise<RunningHealthServer> {
  const server = await startServer(makeRegistry({ providers: { openai: {} } }), options);
  closeAll.push(() => server.close());
  return server;
}

/** The handler inside a user's own node:http server, other requests answered by the "app". */
async function mounted(
  options: Parameters<typeof createHealthHandler>[1] = {},
): Promise<{ url: string; handler: HealthHandler }> {
  const handler = createHealthHandler(makeRegistry({ providers: { openai: {} } }), options);
  const server: Server = createServer((req, res) =>
    handler(req, res, () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('app');
    }),
  );
  server.on('upgrade', (req, socket, head) => handler.handleUpgrade(req, socket, head) || socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeAll.push(() => {
    handler.close();
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, handler };
}

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** A hand-made WebSocket handshake; the answer until the server closes, or the 101 head if it accepts. */
function upgrade(url: string, headers: Record<string, string>, path = '/health/events'): Promise<string> {
  const lines = [
    `GET ${path} HTTP/1.1`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'upgrade: websocket',
    'connection: Upgrade',
    `sec-websocket-key: ${KEY}`,
    'sec-websocket-version: 13',
  ];
  const accepted = (answer: string) => answer.startsWith('HTTP/1.1 101') && answer.includes('\r\n\r\n');
  return rawSocket(url, `${lines.join('\r\n')}\r\n\r\n`, undefined, accepted);
}

const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
const jsonOf = (answer: string): ErrorBody => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
const codeOf = (res: { json(): unknown }): string => (res.json() as ErrorBody).error.code;

/** Opens with the ws client (a real handshake and frames); resolves with the first message. */
function wsFirstMessage(
  url: string,
  options: WebSocket.ClientOptions = {},
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.once('message', (data) => {
      socket.close();
      resolve(JSON.parse(String(data)) as Record<string, unknown>);
    });
    socket.once('error', reject);
  });
}

describe('WebSocket upgrade: Origin', () => {
  it('refuses a foreign Origin with a 403 JSON answer and closes the socket', async () => {
    const server = await standalone();
    const host = new URL(server.url).host;
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${server.port}`,
      'null',
      'http://localhost:1',
    ]) {
      const answer = await upgrade(server.url, { host, origin });
      expect([origin, statusOf(answer)]).toEqual([origin, 403]);
      expect(answer).not.toMatch(/101 Switching Protocols/);
      expect(jsonOf(answer).error.code).toBe('forbidden_origin');
    }
    // The real client sees the refusal too, and no subscriber was ever attached.
    await expect(
      wsFirstMessage(`${server.url.replace('http', 'ws')}/health/events`, { origin: 'https://evil.example' }),
    ).rejects.toThrow(/403/);
    expect(server.handler.events.subscriberCount).toBe(0);
  });

  it('accepts a same-origin Origin and one without Origin', async () => {
    const server = await standalone();
    const wsUrl = `${server.url.replace('http', 'ws')}/health/events`;
    const sameOrigin = await wsFirstMessage(wsUrl, { origin: server.url });
    expect(sameOrigin.type).toBe('snapshot');
    const noOrigin = await wsFirstMessage(wsUrl);
    expect(noOrigin.type).toBe('snapshot');
    // By hand, with the loopback name the browser would use for http://localhost:port.
    const host = `localhost:${server.port}`;
    expect(statusOf(await upgrade(server.url, { host, origin: `http://${host}` }))).toBe(101);
  });

  it('is enforced when mounted in a service, where the proxy may rewrite Host', async () => {
    const { url } = await mounted();
    const host = 'backend.internal:3000';
    expect(statusOf(await upgrade(url, { host, origin: 'https://evil.example' }))).toBe(403);
    expect(statusOf(await upgrade(url, { host, origin: 'http://backend.internal:3000' }))).toBe(101);
    // Behind a proxy: the browser's Host arrives as X-Forwarded-Host.
    const forwarded = { host, 'x-forwarded-host': 'ops.example.com', origin: 'https://ops.example.com' };
    expect(statusOf(await upgrade(url, forwarded))).toBe(101);
    expect(statusOf(await upgrade(url, { ...forwarded, origin: 'https://evil.example' }))).toBe(403);
  });
});

describe('POST: Origin', () => {
  it('refuses a cross-origin POST before it runs; same-origin and Origin-less ones run', async () => {
    const server = await standalone();
    const host = new URL(server.url).host;
    const post = (headers: Record<string, string>) =>
      raw(
        server.url,
        'POST',
        '/health/providers/openai/check',
        { 'content-type': 'application/json', ...headers },
        '{}',
      );

    const foreign = await post({ origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(codeOf(foreign)).toBe('forbidden_origin');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    // A page at http://127.0.0.1:<other port> is another origin.
    expect((await post({ origin: 'http://127.0.0.1:1' })).status).toBe(403);

    const same = await post({ origin: `http://${host}` });
    expect(same.status).toBe(200);
    expect(same.json()).toMatchObject({ provider: 'openai' });
    expect((await post({})).status).toBe(200);
  });

  it('folds default ports: https://ops.example.com matches Host ops.example.com:443', async () => {
    const { url } = await mounted();
    const post = (headers: Record<string, string>) =>
      raw(
        url,
        'POST',
        '/health/providers/openai/check',
        { 'content-type': 'application/json', ...headers },
        '{}',
      );
    expect((await post({ host: 'ops.example.com:443', origin: 'https://ops.example.com' })).status).toBe(200);
    expect((await post({ host: 'ops.example.com', origin: 'https://ops.example.com' })).status).toBe(200);
    expect((await post({ host: 'ops.example.com:80', origin: 'http://ops.example.com' })).status).toBe(200);
    expect((await post({ host: 'ops.example.com:8443', origin: 'https://ops.example.com' })).status).toBe(
      403,
    );
    expect(
      (await post({ host: 'ops.example.com', origin: 'https://ops.example.com.evil.example' })).status,
    ).toBe(403);
    expect((await post({ host: 'ops.example.com', origin: 'file://' })).status).toBe(403);
  });

  it('leaves reads with a foreign Origin alone (no CORS headers, so a page cannot read them)', async () => {
    const server = await standalone();
    const res = await raw(server.url, 'GET', '/health/providers', { origin: 'https://evil.example' });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('Host: DNS rebinding on a loopback-bound server', () => {
  it('refuses a foreign Host on reads, POSTs and upgrades', async () => {
    const server = await standalone();
    const port = server.port;
    for (const host of [
      `rebind.evil.example:${port}`,
      'rebind.evil.example',
      `127.0.0.1.evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `localhost.:${port}`,
      `10.0.0.1:${port}`,
      `[::2]:${port}`,
      `evil@127.0.0.1:${port}`,
    ]) {
      const read = await raw(server.url, 'GET', '/health/providers', { host });
      expect([host, read.status, codeOf(read)]).toEqual([host, 403, 'forbidden_host']);
    }
    // An empty Host names nothing (Node's client would fill it in, so by hand).
    expect(
      statusOf(await rawSocket(server.url, 'GET /health HTTP/1.1\r\nhost: \r\nconnection: close\r\n\r\n')),
    ).toBe(403);
    const host = `rebind.evil.example:${port}`;
    // Same-origin from the rebound page's point of view, so Origin alone would not stop it.
    const check = await raw(
      server.url,
      'POST',
      '/health/providers/openai/check',
      { host, origin: `http://${host}`, 'content-type': 'application/json' },
      '{}',
    );
    expect(check.status).toBe(403);
    expect(codeOf(check)).toBe('forbidden_host');
    const answer = await upgrade(server.url, { host, origin: `http://${host}` });
    expect(statusOf(answer)).toBe(403);
    expect(jsonOf(answer).error.code).toBe('forbidden_host');
    expect((await raw(server.url, 'GET', '/', { host })).status).toBe(403);
  });

  it('answers loopback names on any port, and requests without Host', async () => {
    const server = await standalone();
    for (const host of [
      'localhost',
      'LOCALHOST:9465',
      `127.0.0.1:${server.port}`,
      '127.8.9.10:1',
      '[::1]:9465',
      '[::1]',
    ]) {
      const res = await raw(server.url, 'GET', '/health', { host });
      expect([host, res.status]).toEqual([host, 200]);
    }
    // HTTP/1.0 without Host: not something a browser sends.
    expect(statusOf(await rawSocket(server.url, 'GET /health HTTP/1.0\r\n\r\n'))).toBe(200);
  });

  it('does not check Host when bound to a non-loopback address', async () => {
    const server = await standalone({ host: '0.0.0.0' });
    const url = `http://127.0.0.1:${server.port}`;
    expect((await raw(url, 'GET', '/health', { host: `health.example.com:${server.port}` })).status).toBe(
      200,
    );
    // Origin is still checked.
    const post = await raw(url, 'POST', '/health/providers/openai/check', {
      host: 'health.example.com',
      origin: 'https://evil.example',
    });
    expect(codeOf(post)).toBe('forbidden_origin');
  });

  it('does not check Host when mounted in a service without allowedHosts', async () => {
    const { url } = await mounted();
    expect((await raw(url, 'GET', '/health', { host: 'api.example.com' })).status).toBe(200);
  });

  it('knows which listen addresses are loopback', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
      'localhost',
      'LocalHost',
    ]) {
      expect([host, isLoopbackAddress(host)]).toEqual([host, true]);
    }
    for (const host of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '128.0.0.1',
      'example.com',
      'localhost.example.com',
      '::2',
    ]) {
      expect([host, isLoopbackAddress(host)]).toEqual([host, false]);
    }
  });
});

describe('allowedHosts', () => {
  it('replaces the loopback default on the standalone server', async () => {
    const server = await standalone({
      allowedHosts: ['health.example.com', 'ops.example.com:8443', '[::1]'],
    });
    const status = async (host: string) => (await raw(server.url, 'GET', '/health', { host })).status;
    expect(await status('health.example.com')).toBe(200);
    expect(await status('Health.Example.Com:1234')).toBe(200);
    expect(await status('ops.example.com:8443')).toBe(200);
    expect(await status('[::1]:9465')).toBe(200);
    expect(await status('ops.example.com:8444')).toBe(403);
    expect(await status('ops.example.com')).toBe(403);
    expect(await status('localhost')).toBe(403);
    expect(await status('evil.example')).toBe(403);
    const host = 'evil.example';
    expect(statusOf(await upgrade(server.url, { host }))).toBe(403);
    expect(statusOf(await upgrade(server.url, { host: 'health.example.com' }))).toBe(101);
  });

  it('is enforced by a mounted handler, for its own paths only', async () => {
    const { url } = await mounted({ basePath: '/ops', allowedHosts: ['ops.example.com'] });
    const foreign = await raw(url, 'GET', '/ops/health', { host: 'evil.example' });
    expect(foreign.status).toBe(403);
    expect(codeOf(foreign)).toBe('forbidden_host');
    expect((await raw(url, 'GET', '/ops/health', { host: 'ops.example.com' })).status).toBe(200);
    // The app's own routes are the app's business.
    expect((await raw(url, 'GET', '/orders', { host: 'evil.example' })).body).toBe('app');
    expect(statusOf(await upgrade(url, { host: 'evil.example' }, '/ops/health/events'))).toBe(403);
  });

  it("accepts any Host with '*' and rejects malformed lists", async () => {
    const server = await standalone({ allowedHosts: ['*'] });
    expect((await raw(server.url, 'GET', '/health', { host: 'anything.example' })).status).toBe(200);
    const registry = makeRegistry();
    for (const allowedHosts of [[], ['http://x.example'], ['x.example/path'], ['a@b'], ['::1'], ['']]) {
      expect(() => createHealthHandler(registry, { allowedHosts })).toThrow(RangeError);
    }
  });
});

describe('the status page, as a browser drives it', () => {
  it('loads, streams and posts with its own same-origin headers', async () => {
    const server = await standalone();
    const host = new URL(server.url).host;
    const origin = server.url;
    const page = await raw(server.url, 'GET', '/', { host });
    expect(page.status).toBe(200);
    // EventSource sends no Origin on a same-origin GET; the stream is a read either way.
    const stream = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${server.url}/health/events`,
        { headers: { accept: 'text/event-stream', host } },
        (res) => {
          resolve(res.statusCode ?? 0);
          res.destroy();
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(stream).toBe(200);
    const post = await raw(
      server.url,
      'POST',
      '/health/providers/openai/check',
      { host, origin, 'content-type': 'application/json' },
      '{}',
    );
    expect(post.status).toBe(200);
    await waitFor(() => server.handler.events.subscriberCount === 0);
  });
});
