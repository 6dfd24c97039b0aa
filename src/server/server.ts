import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { log } from '../common/log.js';
import { DEFAULT_SERVER_HOST, DEFAULT_SERVER_PORT } from '../config/server-address.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { createHandler, type HealthHandler } from './handler.js';
import type { ErrorCode } from './http-error.js';
import type { HealthServerOptions } from './options.js';
import { answerAndClose } from './raw-answer.js';
import { isLoopbackAddress } from './request-guard.js';

export interface RunningHealthServer {
  /** `http://127.0.0.1:9465`: base URL of the endpoints and the status page. */
  url: string;
  port: number;
  server: Server;
  handler: HealthHandler;
  close(): Promise<void>;
}

/**
 * The standalone health server on node:http (a handful of routes do not earn a framework).
 * Slow clients are cut off by Node's own header and request timeouts; they are checked every
 * second rather than Node's default 30 s, so a slowloris cannot hold sockets for long, and the
 * number of open connections is capped.
 */
export async function startHealthServer(
  registry: ProviderRegistry,
  options: HealthServerOptions = {},
): Promise<RunningHealthServer> {
  const host = options.host ?? DEFAULT_SERVER_HOST;
  // On loopback only this machine can connect, but a browser on it can be pointed here by a
  // rebound DNS name: answer only to loopback names unless `allowedHosts` says otherwise.
  // Listening elsewhere, the user exposed it on purpose and names it however they like.
  const handler = createHandler(
    registry,
    options,
    isLoopbackAddress(host) ? [{ kind: 'loopback' }] : undefined,
  );
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const server = createServer({
    headersTimeout,
    requestTimeout: Math.max(options.requestTimeoutMs ?? 15_000, headersTimeout),
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: Math.min(1_000, headersTimeout),
    maxHeaderSize: 16 * 1024,
  });
  // Beyond this many open connections new ones are closed at once: clients that connect and
  // never send nor read cannot take the host's file descriptors (its own port, its provider calls).
  server.maxConnections = maxConnections(options.maxConnections);
  server.on('request', (req, res) => handler(req, res));
  server.on('upgrade', (req, socket, head) => {
    if (!handler.handleUpgrade(req, socket, head)) socket.destroy();
  });
  // Malformed requests, oversized headers and slow clients never reach the handler: answer
  // them here, in the same JSON shape, and close the socket.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const [status, reason, code] = clientErrorAnswer(error.code);
    answerAndClose(socket, status, reason, code, reason.toLowerCase());
  });
  // The server is for operators and probes: it must never keep the host process alive.
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_SERVER_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log('info', 'health server listening', { url });
  return {
    url,
    port,
    server,
    handler,
    close: () =>
      new Promise<void>((resolve) => {
        handler.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const DEFAULT_MAX_CONNECTIONS = 256;

function maxConnections(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_CONNECTIONS;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`provider-health: maxConnections must be a positive integer, got ${value}`);
  }
  return value;
}

function clientErrorAnswer(code: string | undefined): [number, string, ErrorCode] {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'Request Timeout', 'request_timeout'];
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'Request Header Fields Too Large', 'headers_too_large'];
  return [400, 'Bad Request', 'bad_request'];
}
