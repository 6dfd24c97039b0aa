import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { constants as http2Constants } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { answerFor } from './answer.js';
import { BehaviourSource } from './behaviour-source.js';
import { FalQueue } from './fal.js';
import { generateContentResponse, performGrpc } from './grpc.js';
import { type Http2Exchange, listenHttp2 } from './http2-listener.js';
import type { FakeProvider, FakeProviderOptions } from './options.js';
import { type Exchange, perform, type ResponseSink } from './perform.js';
import { readJsonBody } from './read-body.js';
import { DEFAULT_TEXT } from './reply.js';
import { field } from './request-body.js';
import { RequestLog } from './request-log.js';
import { resolveRoute } from './routes.js';
import type { Flavor, Transport } from './types.js';

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** One request as both listeners hand it to the shared handler. */
interface Incoming {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: AsyncIterable<unknown>;
  readonly sink: ResponseSink;
  readonly transport: Transport;
  /** Called once when the exchange is over (answered, or the client went away). */
  onClose(callback: () => void): void;
  reset(): void;
  /** gRPC calls are answered the gRPC way (grpc.ts), on the HTTP/2 stream. */
  readonly grpc?: Pick<Http2Exchange, 'stream' | 'res'>;
}

/** What a listener does when the handler itself fails: a bug in the fake must show up in the test. */
function internalError(sink: ResponseSink, error: unknown): void {
  if (!sink.headersSent) {
    sink.writeHead(500, { 'content-type': 'text/plain' });
    sink.end(`fake-provider internal error: ${String(error)}`);
  } else {
    sink.destroy();
  }
}

/**
 * Starts a fake AI provider on loopback: HTTP/1.1 on `url`, HTTP/2 (h2c) and gRPC on `h2Url`.
 * Every request, over either listener, is answered by the next scripted behaviour, else the
 * default one (a normal answer), and counted once; see README.md for routes and behaviours.
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

  async function handle(incoming: Incoming): Promise<void> {
    log.countArrival();
    const time = Date.now();
    const gone = new AbortController();
    const abort = (): void => gone.abort();
    closing.signal.addEventListener('abort', abort, { once: true });
    incoming.onClose(() => {
      closing.signal.removeEventListener('abort', abort);
      abort();
    });
    const body = await readJsonBody(incoming.body);
    if (gone.signal.aborted || !fal) return;
    const method = incoming.method;
    const route = resolveRoute(flavor, method, incoming.url, incoming.headers, incoming.transport);
    const request = {
      method,
      path: route.path,
      headers: incoming.headers,
      time,
      provider: route.provider,
      route: route.route,
      stream: field(body, 'stream') === true,
      transport: incoming.transport,
    };
    const behaviour = source.next({ ...request, body });
    log.add({ ...request, behaviour: behaviour.kind ?? 'error' });
    if (incoming.grpc !== undefined) {
      const { stream, res } = incoming.grpc;
      await performGrpc(behaviour, {
        stream,
        response: {
          writeHead: (status, headers) => res.writeHead(status, headers),
          flushHeaders: () => (res as unknown as { flushHeaders(): void }).flushHeaders(),
          addTrailers: (trailers) => res.addTrailers(trailers),
          end: (chunk) => (chunk === undefined ? res.end() : res.end(chunk)),
        },
        signal: gone.signal,
        known: route.route !== 'not_found',
        message: (text) => generateContentResponse(text ?? DEFAULT_TEXT, 'gemini'),
      });
      return;
    }
    const falQueue = fal;
    const exchange: Exchange = {
      res: incoming.sink,
      reset: () => incoming.reset(),
      signal: gone.signal,
      provider: route.provider,
      answer: (text, headers = {}) =>
        answerFor(route, { body, stream: request.stream, text, headers }, falQueue),
    };
    await perform(behaviour, exchange);
  }

  const server = createServer((req, res) => {
    const incoming: Incoming = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: req,
      sink: res,
      transport: 'http1',
      onClose: (callback) => res.once('close', callback),
      reset: () => {
        if (!req.socket.destroyed) req.socket.resetAndDestroy();
      },
    };
    handle(incoming).catch((error: unknown) => internalError(res, error));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Resets and client aborts are expected here; without a listener Node would answer 400.
  server.on('clientError', (_error, socket) => socket.destroy());

  const address = await listen(server, options.port ?? 0, host);
  const h2 = await listenHttp2(
    host,
    options.h2Port ?? 0,
    (exchange) =>
      handle({
        method: exchange.req.method,
        url: exchange.req.url,
        headers: exchange.req.headers,
        body: exchange.req,
        sink: exchange.sink,
        transport: exchange.grpc ? 'grpc' : 'http2',
        onClose: (callback) => exchange.stream.once('close', callback),
        reset: () => {
          if (!exchange.stream.destroyed) exchange.stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
        },
        grpc: exchange.grpc ? exchange : undefined,
      }),
    (exchange, error) => internalError(exchange.sink, error),
  );
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${address.port}`;
  const falQueue = new FalQueue(url, options.falPendingPolls ?? 0);
  fal = falQueue;
  let closed: Promise<void> | undefined;

  return {
    url,
    port: address.port,
    h2Url: `http://${urlHost}:${h2.port}`,
    h2Port: h2.port,
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
        let open = 2;
        const done = () => {
          if (--open === 0) resolve();
        };
        server.close(done);
        void h2.close().then(done);
        // Hung and keep-alive sockets would hold server.close() open indefinitely.
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
