import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_SERVER_HOST, DEFAULT_SERVER_PORT } from '../config/server-address.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { log } from '../telemetry/log.js';
import { createHealthHandler, type HealthHandler } from './handler.js';
import type { HealthServerOptions } from './options.js';

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
 * second rather than Node's default 30 s, so a slowloris cannot hold sockets for long.
 */
export async function startHealthServer(
  registry: ProviderRegistry,
  options: HealthServerOptions = {},
): Promise<RunningHealthServer> {
  const host = options.host ?? DEFAULT_SERVER_HOST;
  const handler = createHealthHandler(registry, options);
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const server = createServer({
    headersTimeout,
    requestTimeout: Math.max(options.requestTimeoutMs ?? 15_000, headersTimeout),
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: Math.min(1_000, headersTimeout),
    maxHeaderSize: 16 * 1024,
  });
  server.on('request', (req, res) => handler(req, res));
  server.on('upgrade', (req, socket, head) => {
    if (!handler.handleUpgrade(req, socket, head)) socket.destroy();
  });
  // A malformed request line or oversized headers: answer 400 if the socket still can.
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
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
