import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAdminToken } from '../config/values.js';
import { type HostRule, parseAllowedHosts } from './request-guard.js';

/** HTTP status for each overall health, so a readiness probe can be pointed at `/health`. */
export interface HealthStatusCodes {
  /** @default 200 */
  healthy: number;
  /** @default 200 */
  degraded: number;
  /** @default 503 */
  unhealthy: number;
}

export interface HealthHandlerOptions {
  /** Bearer token for the admin endpoints. @default the registry's resolved `adminToken` */
  adminToken?: string;
  statusCodes?: Partial<HealthStatusCodes>;
  /** Serves `GET /metrics` (for example the Prometheus exporter's request handler). */
  metricsHandler?: (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * Path prefix the handler is mounted under when the host server passes full URLs (node:http,
   * Fastify). Express strips its mount path itself; the handler then reads `req.originalUrl`.
   */
  basePath?: string;
  /** Largest request body accepted, bytes. @default 8192 */
  maxBodyBytes?: number;
  /** SSE comment / WebSocket ping interval, ms. @default 15000 */
  keepAliveMs?: number;
  /** How often live clients get a fresh snapshot of every provider (metrics move without transitions), ms. @default 5000 */
  snapshotIntervalMs?: number;
  /** A live client with more than this queued and unsent in the process is dropped, bytes. @default 262144 */
  maxBufferedBytes?: number;
  /**
   * What a live client may have been sent without proof that it read it, bytes. A WebSocket
   * client further behind its last answered ping is dropped; an SSE stream ends after this much
   * and the client reconnects and resumes (Last-Event-ID), so one that stopped reading holds no
   * more than this in socket buffers, the kernel's included. @default 1048576
   */
  maxInFlightBytes?: number;
  /** Live clients (SSE and WebSocket) at once; more get a 503 `too_many_clients`. @default 64 */
  maxLiveClients?: number;
  /** Events kept for replay after a reconnect (and for the status page's timeline). @default 1000 */
  replayEvents?: number;
  /**
   * `Host` header values the endpoints answer to; any other gets a 403 `forbidden_host`
   * (DNS-rebinding protection). Entries are `name`, `name:port`, `1.2.3.4`, `[::1]` or
   * `[::1]:9465`; one without a port matches any port, one with a port only a `Host` naming
   * that port. `'*'` accepts any `Host`. A request without `Host` (HTTP/1.0) is not checked.
   *
   * When given, the list is enforced as-is, by the standalone server and a mounted handler alike
   * (add `localhost` / `127.0.0.1` if you still want those). When not given, the standalone
   * server bound to a loopback address (127.0.0.0/8, ::1, localhost) accepts only loopback
   * names (`localhost`, `127.x.x.x`, `[::1]`, any port); bound elsewhere or mounted in your own
   * server, `Host` is not checked.
   *
   * Independently of this option, WebSocket upgrades and POSTs that carry an `Origin` must be
   * same-origin (its host:port equals `Host`, or `X-Forwarded-Host` behind a proxy), or get a
   * 403 `forbidden_origin`; requests without `Origin` (curl, probes, servers) are not affected.
   */
  allowedHosts?: string[];
}

export interface HealthServerOptions extends HealthHandlerOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 9465 */
  port?: number;
  /** A client that has not sent its request headers within this long gets a 408, ms. @default 10000 */
  headersTimeoutMs?: number;
  /** A client that has not sent its whole request within this long gets a 408, ms. @default 15000 */
  requestTimeoutMs?: number;
  /**
   * Open connections at most (live event streams included); further ones are closed at once, so
   * clients that connect and never send nor read cannot exhaust the host's file descriptors.
   * @default 256
   */
  maxConnections?: number;
}

export interface ResolvedHandlerOptions {
  adminToken: string | undefined;
  statusCodes: HealthStatusCodes;
  metricsHandler: HealthHandlerOptions['metricsHandler'];
  basePath: string;
  maxBodyBytes: number;
  keepAliveMs: number;
  snapshotIntervalMs: number;
  maxBufferedBytes: number;
  maxInFlightBytes: number;
  maxLiveClients: number;
  replayEvents: number;
  /** Host rules to enforce; undefined: no `Host` check. */
  allowedHosts: readonly HostRule[] | undefined;
}

const statusCode = (value: number | undefined, fallback: number, key: string): number => {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 200 || value > 599) {
    throw new RangeError(`provider-health: statusCodes.${key} must be an HTTP status 200-599, got ${value}`);
  }
  return value;
};

const positive = (value: number | undefined, fallback: number, key: string): number => {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`provider-health: ${key} must be a positive integer, got ${value}`);
  }
  return value;
};

/** A trailing slash or none, `/ph/` and `/ph` mean the same mount point. */
function normalizeBasePath(path: string | undefined): string {
  if (path === undefined || path === '' || path === '/') return '';
  if (!path.startsWith('/'))
    throw new RangeError(`provider-health: basePath must start with '/', got ${path}`);
  return path.replace(/\/+$/, '');
}

/**
 * `defaultHosts`: the rules used when `allowedHosts` is not given (the standalone server passes
 * loopback-only when it listens on a loopback address).
 */
export function resolveHandlerOptions(
  options: HealthHandlerOptions,
  registryToken: string | undefined,
  defaultHosts?: readonly HostRule[],
): ResolvedHandlerOptions {
  const codes = options.statusCodes ?? {};
  // A token given in code passes the same check as one from the environment or a file.
  const given = options.adminToken;
  const token =
    given === undefined ? registryToken : given === '' ? '' : parseAdminToken(given, 'adminToken');
  return {
    adminToken: token === undefined || token === '' ? undefined : token,
    statusCodes: {
      healthy: statusCode(codes.healthy, 200, 'healthy'),
      degraded: statusCode(codes.degraded, 200, 'degraded'),
      unhealthy: statusCode(codes.unhealthy, 503, 'unhealthy'),
    },
    metricsHandler: options.metricsHandler,
    basePath: normalizeBasePath(options.basePath),
    maxBodyBytes: options.maxBodyBytes ?? 8192,
    keepAliveMs: options.keepAliveMs ?? 15_000,
    snapshotIntervalMs: options.snapshotIntervalMs ?? 5_000,
    maxBufferedBytes: positive(options.maxBufferedBytes, 256 * 1024, 'maxBufferedBytes'),
    maxInFlightBytes: positive(options.maxInFlightBytes, 1024 * 1024, 'maxInFlightBytes'),
    maxLiveClients: positive(options.maxLiveClients, 64, 'maxLiveClients'),
    replayEvents: options.replayEvents ?? 1000,
    allowedHosts: options.allowedHosts === undefined ? defaultHosts : parseAllowedHosts(options.allowedHosts),
  };
}
