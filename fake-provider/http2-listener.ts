import http2, {
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { ResponseSink } from './perform.js';

/** What the shared request handler needs from an HTTP/2 request (server.ts). */
export interface Http2Exchange {
  readonly req: Http2ServerRequest;
  readonly sink: ResponseSink;
  readonly stream: ServerHttp2Stream;
  readonly res: Http2ServerResponse;
  readonly grpc: boolean;
}

export interface Http2Listener {
  readonly port: number;
  close(): Promise<void>;
}

/** Http2ServerResponse as a ResponseSink (its `flushHeaders` exists, but not in @types/node). */
function sinkOf(res: Http2ServerResponse): ResponseSink {
  return {
    get headersSent() {
      return res.headersSent;
    },
    writeHead: (status, headers) => res.writeHead(status, headers),
    write: (chunk, done) => res.write(chunk, done),
    end: (chunk) => (chunk === undefined ? res.end() : res.end(chunk)),
    flushHeaders: () => (res as unknown as { flushHeaders(): void }).flushHeaders(),
    destroy: () => res.destroy(),
  };
}

/**
 * A cleartext HTTP/2 listener (h2c with prior knowledge, as the AWS SDK's NodeHttp2Handler and
 * grpc-js speak to an `http://` endpoint), answering through the same handler as HTTP/1.1 via
 * Node's compatibility API. gRPC calls (`content-type: application/grpc`) are flagged so the
 * handler answers them on the raw stream.
 */
export function listenHttp2(
  host: string,
  port: number,
  onRequest: (exchange: Http2Exchange) => Promise<void>,
  onFailure: (exchange: Http2Exchange, error: unknown) => void,
): Promise<Http2Listener> {
  const sessions = new Set<Http2Session>();
  const server = http2.createServer((req, res) => {
    const type = req.headers['content-type'];
    const exchange: Http2Exchange = {
      req,
      sink: sinkOf(res),
      stream: res.stream,
      res,
      grpc: typeof type === 'string' && type.startsWith('application/grpc'),
    };
    onRequest(exchange).catch((error: unknown) => onFailure(exchange, error));
  });
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    // A client that goes away mid-stream is expected; without a listener the error would throw.
    session.on('error', () => undefined);
  });
  server.on('sessionError', () => undefined);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      let closed: Promise<void> | undefined;
      resolve({
        port: address.port,
        close: () => {
          closed ??= new Promise<void>((done) => {
            server.close(() => done());
            // Hung streams would hold server.close() open indefinitely.
            for (const session of sessions) session.destroy();
          });
          return closed;
        },
      });
    });
  });
}
