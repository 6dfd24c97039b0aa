import { request } from 'node:http';
import { connect } from 'node:net';
import type { ProviderHealthOptions } from '../../src/config/options.js';
import { resolveOptions } from '../../src/config/resolve.js';
import type { Provider } from '../../src/providers/provider.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import type { HealthServerOptions } from '../../src/server/index.js';
import { type RunningHealthServer, startHealthServer } from '../../src/server/index.js';
import { HANG_MS } from '../support/waits.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/**
 * A registry that reads nothing from process.env. Its recovery timeout is long, so a circuit a test
 * opens is still open when the test looks, however slow the machine; a test that waits for
 * half-open sets a short one itself.
 */
export function makeRegistry(options: ProviderHealthOptions = {}): ProviderRegistry {
  return new ProviderRegistry(resolveOptions({ recoveryTimeout: '10m', ...options }, {}));
}

export async function startServer(
  registry: ProviderRegistry,
  options: HealthServerOptions = {},
): Promise<RunningHealthServer> {
  return startHealthServer(registry, { host: '127.0.0.1', port: 0, ...options });
}

/** Drives the breaker as the interceptors will: admit, then record a 500. */
export function fail(provider: Provider, times = 1): void {
  for (let i = 0; i < times; i++)
    provider.record(provider.admit(), 'provider_error', 500, 12, -1, 'HTTP 500');
}

export function succeed(provider: Provider, times = 1, durationMs = 40): void {
  for (let i = 0; i < times; i++) provider.record(provider.admit(), 'success', 200, durationMs);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): unknown;
}

/**
 * A request with the path sent exactly as given: fetch() would resolve `%2e%2e` and `..`
 * before they ever reach the server.
 */
export function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text,
          json: () => JSON.parse(text),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export const bearer = (token = ADMIN_TOKEN): Record<string, string> => ({ authorization: `Bearer ${token}` });

/**
 * Sends `text` as-is on a fresh socket and returns everything the server answers until it closes,
 * until `enough(answer)` holds (for an answer that leaves the socket open), or after `waitMs`, a
 * deadline for a server that neither answers nor closes: generous, since it only ends a wait.
 */
export function rawSocket(
  url: string,
  text: string | Buffer,
  waitMs = HANG_MS,
  enough: (answer: string) => boolean = () => false,
): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (enough(Buffer.concat(chunks).toString('latin1'))) done();
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', reject);
    socket.write(text);
  });
}
