import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answerFor } from './answer.js';
import { BehaviourSource } from './behaviour-source.js';
import { FalQueue } from './fal.js';
import type { FakeProvider, FakeProviderOptions } from './options.js';
import { type Exchange, perform } from './perform.js';
import { readJsonBody } from './read-body.js';
import { field } from './request-body.js';
import { RequestLog } from './request-log.js';
import { resolveRoute } from './routes.js';
import type { Flavor } from './types.js';

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts a fake AI provider on loopback. Every request is answered by the next scripted
 * behaviour, else the default one (a normal answer); see README.md for routes and behaviours.
 */
export async function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const flavor: Flavor = options.flavor ?? 'multi';
  const host = options.host ?? '127.0.0.1';
  const source = new BehaviourSource();
  const log = new RequestLog(options.maxLoggedRequests ?? 1000);
  const sockets = new Set<Socket>();
  // Aborting this stops every delay and slow stream at once when the server closes.
  const closing = new AbortController();
  let fal: FalQueue | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    log.countArrival();
    const time = Date.now();
    const gone = new AbortController();
    const abort = (): void => gone.abort();
    closing.signal.addEventListener('abort', abort, { once: true });
    res.once('close', () => {
      closing.signal.removeEventListener('abort', abort);
      abort();
    });
    const body = await readJsonBody(req);
    if (gone.signal.aborted || !fal) return;
    const method = req.method ?? 'GET';
    const route = resolveRoute(flavor, method, req.url ?? '/', req.headers);
    const request = {
      method,
      path: route.path,
      headers: req.headers,
      time,
      provider: route.provider,
      route: route.route,
      stream: field(body, 'stream') === true,
    };
    const behaviour = source.next({ ...request, body });
    log.add({ ...request, behaviour: behaviour.kind ?? 'error' });
    const falQueue = fal;
    const exchange: Exchange = {
      req,
      res,
      signal: gone.signal,
      provider: route.provider,
      answer: (text, headers = {}) =>
        answerFor(route, { body, stream: request.stream, text, headers }, falQueue),
    };
    await perform(behaviour, exchange);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the fake must show up in the test, not as an unhandled rejection.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake-provider internal error: ${String(error)}`);
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Resets and client aborts are expected here; without a listener Node would answer 400.
  server.on('clientError', (_error, socket) => socket.destroy());

  const address = await listen(server, options.port ?? 0, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${address.port}`;
  const falQueue = new FalQueue(url, options.falPendingPolls ?? 0);
  fal = falQueue;
  let closed: Promise<void> | undefined;

  return {
    url,
    port: address.port,
    flavor,
    get requests() {
      return log.entries;
    },
    get requestCount() {
      return log.count;
    },
    script: (behaviours) => source.script(behaviours),
    setDefault: (behaviour) => source.setDefault(behaviour),
    reset: () => {
      source.reset();
      log.clear();
      falQueue.clear();
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        // Hung and keep-alive sockets would hold server.close() open indefinitely.
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
