import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { installInterception, uninstallInterception } from '../../src/intercept/index.js';
import { configureRegistry } from '../../src/providers/global-registry.js';
import type { Provider } from '../../src/providers/provider.js';
import { EVENTUALLY } from '../support/waits.js';

/**
 * The interceptors installed in this process, against a real loopback server: the cases where
 * the plugin must leave a request exactly as the app would see it without it.
 */
const BIG = Buffer.alloc(100_000, 'x');
let server: http.Server;
let wss: WebSocketServer;
let base = '';
let provider: Provider;
/** Paths the server received, in order. */
const arrivals: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    arrivals.push(req.url ?? '');
    if (req.url === '/big') return res.end(BIG);
    if (req.url === '/hang') return; // never answers
    if (req.url === '/missing') {
      res.statusCode = 404;
      return res.end('{"error":"no such model"}');
    }
    if (req.url === '/stream') {
      res.write('first chunk');
      const timer = setInterval(() => res.write('more'), 10);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.end('ok');
  });
  wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => socket.send('hello'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  installInterception();
});

afterAll(async () => {
  uninstallInterception();
  wss.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  arrivals.length = 0;
  const registry = configureRegistry({
    providers: { openai: { hosts: [new URL(base).host], outcomes: { status: { '404': 'provider_error' } } } },
    trialTimeout: 300,
    server: false,
  });
  provider = registry.getOrCreateProvider('openai');
});

/** Waits until the provider recorded `count` requests (recording can follow the caller's last event). */
const recorded = (count: number) => vi.waitFor(() => expect(provider.stats.total).toBe(count), EVENTUALLY);
/** Waits until the server received its `count`-th request for `path`. */
const arrived = (path: string, count: number) =>
  vi.waitFor(() => expect(arrivals.filter((p) => p === path).length).toBe(count), EVENTUALLY);

const outcomes = () =>
  Object.fromEntries(Object.entries(provider.getHealthMetrics().outcomes).filter(([, n]) => n > 0));

describe('node:http through the plugin', () => {
  it('keeps the whole body for a caller that reads it after an await', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve) => http.get(`${base}/big`, resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    let bytes = 0;
    for await (const chunk of res) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(BIG.length);
    expect(outcomes()).toEqual({ success: 1 });
  });

  it('counts a caller that stops reading a stream (destroy) as canceled, not a failure', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await new Promise<http.IncomingMessage>((resolve) => http.get(`${base}/stream`, resolve));
      await once(res, 'data');
      res.destroy();
      await once(res, 'close');
    }
    await recorded(5);
    expect(outcomes()).toEqual({ canceled: 5 });
    expect(provider.breaker.state).toBe('closed');
  });

  it('records a successful upgrade (101) as a success', async () => {
    for (let i = 0; i < 6; i++) {
      const req = http.get(`${base}/ws`, {
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      const [, socket] = (await once(req, 'upgrade')) as [http.IncomingMessage, Socket];
      socket.destroy();
    }
    expect(outcomes()).toEqual({ success: 6 });
    expect(provider.breaker.state).toBe('closed');
  });
});

describe('fetch and undici through the plugin', () => {
  it('records WebSocket handshakes through the global dispatcher as successes', async () => {
    for (let i = 0; i < 6; i++) {
      const socket = new WebSocket(`${base.replace('http', 'ws')}/ws`);
      // undici's WebSocket is an EventTarget; events.once() waits on those too.
      await once(socket, 'message');
      socket.close();
    }
    expect(outcomes()).toEqual({ success: 6 });
    expect(provider.breaker.state).toBe('closed');
  });

  it('treats an abort after waiting past the trial timeout with no response as a timeout (SDK timeouts), a quick one as canceled', async () => {
    // The trial timeout is the line between the two; each side is set well clear of the abort's
    // time, so the machine's speed cannot move an abort across it.
    provider.breaker.trialTimeout = 60_000;
    const quick = new AbortController();
    const first = fetch(`${base}/hang`, { signal: quick.signal });
    await arrived('/hang', 1);
    quick.abort();
    await expect(first).rejects.toThrow();
    await recorded(1);
    expect(outcomes()).toEqual({ canceled: 1 });

    provider.breaker.trialTimeout = 50;
    const slow = new AbortController();
    const second = fetch(`${base}/hang`, { signal: slow.signal });
    await arrived('/hang', 2);
    // A wait can only take longer than asked: the abort comes at least 100 ms after the request started.
    await new Promise((resolve) => setTimeout(resolve, 100));
    slow.abort();
    await expect(second).rejects.toThrow();
    await recorded(2);
    expect(outcomes()).toEqual({ canceled: 1, timeout: 1 });
    expect(provider.stats.lastFailureReason).toContain('no response headers');
  });
});

describe('per-provider outcome rules', () => {
  it('apply to intercepted requests and to execute()', async () => {
    await (await fetch(`${base}/missing`)).text();
    const { execute } = await import('../../src/execute.js');
    await execute('openai', async () => {
      const response = await fetch(`${base}/missing`);
      await response.text();
      return response;
    });
    expect(outcomes()).toEqual({ provider_error: 2 });
  });
});

describe('the local answer while open arrives on the next turn of the event loop', () => {
  it('after dispatch has returned; a caller that aborts or destroys in between sees its own abort', async () => {
    const { request } = await import('undici');
    provider.breaker.forceOpen();
    // An immediate queued before the request runs before its answer: the loop turned in between.
    const order: string[] = [];
    setImmediate(() => order.push('turn'));
    const res = await fetch(`${base}/big`);
    order.push(`reply ${res.headers.get('x-provider-health')}`);
    expect(order).toEqual(['turn', 'reply circuit-open']);

    const controller = new AbortController();
    const aborted = request(`${base}/big`, { signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });

    const req = http.request(`${base}/big`);
    // Not events.once: it rejects on the 'error' this test expects.
    const closed = new Promise((resolve) => req.once('close', resolve));
    const errors: Error[] = [];
    req.on('error', (error) => errors.push(error));
    req.destroy(new Error('the caller gave up'));
    await closed;
    expect(errors.map((error) => error.message)).toEqual(['the caller gave up']);
  });
});
