import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { logOnce } from '../common/log.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { adminRoutes } from './admin-routes.js';
import { EventHub } from './event-hub.js';
import { healthRoutes } from './health-routes.js';
import { HttpError, isHttpError, sendError } from './http-error.js';
import { type HealthHandlerOptions, type ResolvedHandlerOptions, resolveHandlerOptions } from './options.js';
import { pageRoutes } from './page-routes.js';
import { answerAndClose } from './raw-answer.js';
import { guardRequest, type HostRule, refuseUpgrade } from './request-guard.js';
import { parseRequestPath } from './request-path.js';
import { matchRoute, type Route } from './router.js';
import { serveEventStream } from './sse.js';
import { LiveWebSocket } from './websocket.js';

export type NextFunction = (error?: unknown) => void;

/** A request handler for node:http, Express or Fastify (`reply.raw`), plus the WebSocket upgrade. */
export interface HealthHandler {
  (req: IncomingMessage, res: ServerResponse, next?: NextFunction): void;
  /**
   * Takes a WebSocket upgrade for `/health/events`; false when the request is not ours, so the
   * host server can pass it on: `server.on('upgrade', (q, s, h) => handler.handleUpgrade(q, s, h) || s.destroy())`.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Stops listening to the registry and closes live streams. */
  close(): void;
  readonly events: EventHub;
  readonly options: ResolvedHandlerOptions;
}

export function createHealthHandler(
  registry: ProviderRegistry,
  options: HealthHandlerOptions = {},
): HealthHandler {
  return createHandler(registry, options, undefined);
}

/**
 * `defaultHosts`: the `Host` rules when `options.allowedHosts` is not given. Mounted in a
 * user's server there are none (the user chose where it listens); the standalone server passes
 * loopback-only when it listens on loopback.
 */
export function createHandler(
  registry: ProviderRegistry,
  options: HealthHandlerOptions,
  defaultHosts: readonly HostRule[] | undefined,
): HealthHandler {
  const resolved = resolveHandlerOptions(options, registry.options.adminToken, defaultHosts);
  const hub = new EventHub(
    registry,
    resolved.replayEvents,
    resolved.snapshotIntervalMs,
    resolved.maxLiveClients,
  );
  const live = {
    keepAliveMs: resolved.keepAliveMs,
    maxBufferedBytes: resolved.maxBufferedBytes,
    maxInFlightBytes: resolved.maxInFlightBytes,
  };
  const sockets = new LiveWebSocket(hub, live);
  const streams = new Set<ServerResponse>();
  const routes: Route[] = [
    ...healthRoutes(registry, resolved),
    ...adminRoutes(registry, resolved),
    ...pageRoutes(registry, hub, resolved),
    {
      pattern: ['health', 'events'],
      methods: {
        GET: ({ req, res, path }) => {
          if (hub.full) throw tooManyClients();
          streams.add(res);
          res.on('close', () => streams.delete(res));
          serveEventStream(req, res, hub, path.query, live);
        },
      },
    },
  ];
  const { metricsHandler } = resolved;
  if (metricsHandler !== undefined) {
    routes.push({ pattern: ['metrics'], methods: { GET: ({ req, res }) => metricsHandler(req, res) } });
  }

  const handler = ((req: IncomingMessage, res: ServerResponse, next?: NextFunction): void => {
    handle(req, res, next).catch((error: unknown) => fail(res, error));
  }) as HealthHandler;

  async function handle(req: IncomingMessage, res: ServerResponse, next?: NextFunction): Promise<void> {
    let path: ReturnType<typeof parseRequestPath>;
    try {
      path = parseRequestPath(req, resolved.basePath);
    } catch (error) {
      if (next !== undefined) return next();
      throw error;
    }
    if (path === undefined) return next === undefined ? fail(res, notFound()) : next();
    let match: ReturnType<typeof matchRoute>;
    try {
      match = matchRoute(routes, req.method ?? 'GET', path.segments, res);
    } catch (error) {
      // Mounted inside a bigger app: paths we do not know belong to the app.
      if (next !== undefined && isHttpError(error) && error.code === 'not_found') return next();
      throw error;
    }
    if (match === undefined) return;
    // Checked once the request is known to be ours, so a mounted handler never refuses the app's.
    guardRequest(req, resolved.allowedHosts, false);
    await match.handler({ req, res, path, params: match.params });
  }

  handler.handleUpgrade = (req, socket, head) => {
    let path: ReturnType<typeof parseRequestPath>;
    try {
      path = parseRequestPath(req, resolved.basePath);
    } catch {
      return false;
    }
    if (path?.segments.join('/') !== 'health/events') return false;
    try {
      guardRequest(req, resolved.allowedHosts, true);
    } catch (error) {
      if (!isHttpError(error)) throw error;
      refuseUpgrade(socket, error);
      return true;
    }
    if (hub.full) {
      const error = tooManyClients();
      answerAndClose(socket, error.status, 'Service Unavailable', error.code, error.message);
      return true;
    }
    sockets.handleUpgrade(req, socket, head, path.query);
    return true;
  };
  handler.close = () => {
    hub.close();
    sockets.close();
    for (const res of streams) res.destroy();
  };
  Object.defineProperty(handler, 'events', { value: hub });
  Object.defineProperty(handler, 'options', { value: resolved });
  return handler;
}

const notFound = (): HttpError => new HttpError(404, 'not_found', 'no such endpoint');

const tooManyClients = (): HttpError =>
  new HttpError(
    503,
    'too_many_clients',
    'too many live event clients are connected; try again later (the limit is the maxLiveClients option)',
    { 'retry-after': '10', connection: 'close' },
  );

/** Anything not an HttpError is our bug: a 500 with no detail, and one log line per kind. */
function fail(res: ServerResponse, error: unknown): void {
  if (res.destroyed) return;
  if (isHttpError(error)) {
    sendError(res, error);
    return;
  }
  logOnce(
    `server:${error instanceof Error ? error.name : 'unknown'}`,
    'health server: request failed',
    error,
  );
  if (res.headersSent) res.destroy();
  else sendError(res, new HttpError(500, 'internal_error', 'internal error'));
}
