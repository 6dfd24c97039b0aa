import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthHandler, type RunningHealthServer } from '../../src/server/index.js';
import { fail, makeRegistry, raw, rawSocket, startServer } from './helpers.js';
import { openWebSocket, waitFor } from './live-client.js';

let closeAll: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closeAll) await close();
  closeAll = [];
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeAll.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('mounted in a host server', () => {
  it('serves under basePath on node:http and passes other requests to next()', async () => {
    const registry = makeRegistry({ providers: { openai: {} } });
    const handler = createHealthHandler(registry, { basePath: '/ops/ph/' });
    closeAll.push(() => handler.close());
    const server = createServer((req, res) =>
      handler(req, res, () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('app');
      }),
    );
    server.on('upgrade', (req, socket, head) => handler.handleUpgrade(req, socket, head) || socket.destroy());
    const url = await listen(server);
    const health = await raw(url, 'GET', '/ops/ph/health');
    expect(health.status).toBe(200);
    expect(health.json()).toMatchObject({ status: 'healthy' });
    expect((await raw(url, 'GET', '/ops/ph/health/providers/nope')).status).toBe(404);
    expect((await raw(url, 'GET', '/orders')).body).toBe('app');
    expect((await raw(url, 'GET', '/ops/ph/unknown')).body).toBe('app');
    const page = await raw(url, 'GET', '/ops/ph/');
    expect(page.body).toContain('href="/ops/ph/assets/status.css"');
    expect(page.body).toContain('data-base="/ops/ph"');
    const { socket, events } = await openWebSocket(`${url.replace('http', 'ws')}/ops/ph/health/events`);
    fail(registry.getOrCreateProvider('openai'), 5);
    await waitFor(() => events.some((e) => e.event === 'transition'));
    socket.close();
  });

  it('reads the mount point from Express-style req.originalUrl', async () => {
    const handler = createHealthHandler(makeRegistry());
    closeAll.push(() => handler.close());
    // What Express does for app.use('/ph', handler): strip the mount path, keep originalUrl.
    const server = createServer((req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
      if (req.url?.startsWith('/ph')) {
        req.originalUrl = req.url;
        req.url = req.url.slice(3) || '/';
      }
      handler(req, res);
    });
    const url = await listen(server);
    const page = await raw(url, 'GET', '/ph');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('src="/ph/assets/status.js"');
    expect((await raw(url, 'GET', '/ph/assets/status.js')).headers['content-type']).toContain('javascript');
  });
});

describe('slow clients', () => {
  let server: RunningHealthServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('cuts off a client that never finishes its headers with a 408', async () => {
    server = await startServer(makeRegistry(), { headersTimeoutMs: 300, requestTimeoutMs: 300 });
    const answer = await rawSocket(server.url, 'GET /health HTTP/1.1\r\nhost: localhost\r\nx-slow: 1');
    expect(answer).toMatch(/^HTTP\/1.1 408/);
    expect((await raw(server.url, 'GET', '/health')).status).toBe(200);
  });

  it('cuts off a client that never sends its declared body', async () => {
    server = await startServer(makeRegistry({ providers: { openai: {} } }), {
      headersTimeoutMs: 300,
      requestTimeoutMs: 300,
    });
    const answer = await rawSocket(
      server.url,
      'POST /health/providers/openai/check HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 50\r\n\r\n{"a"',
    );
    expect(answer).toMatch(/^HTTP\/1.1 408/);
  });

  it('answers garbage on the socket with a 400', async () => {
    server = await startServer(makeRegistry());
    expect(await rawSocket(server.url, 'NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1.1 400/);
  });
});
