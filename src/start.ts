import { isMainThread, parentPort } from 'node:worker_threads';
import { log, logOnce, setLogLevel } from './common/log.js';
import { defaultFleetName } from './config/fleet-name.js';
import type { InvalidSetting, ProviderHealthOptions, ResolvedOptions } from './config/options.js';
import type { FleetRedisTarget } from './config/redis-url.js';
import { resolveOptions } from './config/resolve.js';
import { FleetClientMissingError, startFleet } from './fleet/index.js';
import { FileBaselineStore } from './health/baseline-file-store.js';
import { installInterception } from './intercept/index.js';
import { configureRegistry, peekRegistry } from './providers/global-registry.js';
import type { ProviderRegistry } from './providers/registry.js';
import { startHealthServer } from './server/server.js';
import { startTelemetry, type TelemetryHandle } from './telemetry/otel-setup.js';

const STARTED = Symbol.for('provider-health.started');
type GlobalWithStarted = typeof globalThis & { [STARTED]?: ProviderRegistry | null };

/**
 * Starts the plugin: the registry from options, environment and config file; interception of
 * fetch, undici and node:http; telemetry; the health server; active checks when
 * `PROVIDER_HEALTH_CHECK_INTERVAL` is set. Returns the registry, or undefined when disabled
 * (`PROVIDER_HEALTH_MODE=off`) or misconfigured: then one message names the bad key and the
 * host runs untouched. A second call (the preload loaded twice) returns what the first started.
 */
export function start(options: ProviderHealthOptions = {}): ProviderRegistry | undefined {
  // Node's own internal threads (the module customization hooks of `--import tsx`, for one) run
  // the preload too; they make no provider calls, and a second copy there would export its own
  // idle metrics under the service's resource. A user's Worker has a parentPort and is watched.
  if (!isMainThread && parentPort === null) return undefined;
  const holder = globalThis as GlobalWithStarted;
  if (holder[STARTED] !== undefined) return holder[STARTED] ?? undefined;
  holder[STARTED] = null;
  let resolved: ResolvedOptions;
  let registry: ProviderRegistry;
  try {
    resolved = resolveOptions(options);
    setLogLevel(resolved.logLevel);
    if (resolved.mode === 'off') return undefined;
    registry = registryFor(options, resolved);
    installInterception();
  } catch (error) {
    logOnce('start', 'provider-health is disabled for this process', error);
    return undefined;
  }
  holder[STARTED] = registry;
  startPart('fleet', () => startFleetPart(registry, resolved));
  const telemetry = startPart('telemetry', () => startTelemetry(registry));
  startPart('server', () => startServer(registry, resolved, telemetry));
  const baselineDir = resolved.baselineDir;
  if (baselineDir !== undefined) {
    startPart('baselines', () => registry.persistBaselines(new FileBaselineStore(baselineDir)));
  }
  if (resolved.checkIntervalMs !== false && resolved.checkIntervalSet) {
    startPart('health checks', () => registry.startHealthMonitoring());
  }
  log('debug', 'started', { mode: resolved.mode });
  return registry;
}

/**
 * The preload (no options in code) keeps a registry the app's code may already hold, e.g. from a
 * `--require ./tracing.js` that ran first: it was built from the same environment. Options in
 * code build a new one, which takes over the callbacks and probes attached to the old one.
 */
function registryFor(options: ProviderHealthOptions, resolved: ResolvedOptions): ProviderRegistry {
  const existing = peekRegistry();
  if (existing !== undefined && Object.keys(options).length === 0) return existing;
  const registry = configureRegistry(resolved);
  if (existing !== undefined) registry.adoptFrom(existing);
  return registry;
}

/** Each part starts on its own: a failing one is logged once and the others, and the host, carry on. */
function startPart<T>(name: string, run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    logOnce(`start:${name}`, `provider-health could not start its ${name}; requests are unaffected`, error);
    return undefined;
  }
}

/**
 * The fleet, when `fleet.redis` is set (docs/design.md, "Fleet"). Whatever goes wrong here (a bad
 * setting, ioredis not installed, Redis unreachable) costs one message, and every replica keeps
 * its own breakers.
 */
function startFleetPart(registry: ProviderRegistry, resolved: ResolvedOptions): void {
  const settings = fleetSettings(resolved);
  if (settings === undefined) return;
  if ('invalid' in settings) {
    logOnce(
      'start:fleet',
      `${settings.invalid.message}; the fleet is off, each replica keeps its own breakers`,
    );
    return;
  }
  const { redis, fleet } = settings;
  startFleet(registry, { redis, fleet, log }).then(
    (started) => {
      log('info', `fleet ${fleet}: sharing breakers through Redis ${redis.display}`, {
        replica: started.store.replicaId,
      });
      // The process is about to exit (nothing else to do): give back trial slots, leave the list of replicas.
      process.once('beforeExit', () => void started.close());
    },
    (error: unknown) =>
      error instanceof FleetClientMissingError
        ? logOnce('start:fleet', error.message)
        : logOnce('start:fleet', 'the fleet could not start; each replica keeps its own breakers', error),
  );
}

function fleetSettings(
  resolved: ResolvedOptions,
): { redis: FleetRedisTarget; fleet: string } | InvalidSetting | undefined {
  const { fleetRedis: redis, fleetName: name } = resolved;
  if (redis === undefined) return undefined;
  if ('invalid' in redis) return redis;
  if (typeof name === 'object') return name;
  return { redis, fleet: name ?? defaultFleetName() };
}

function startServer(
  registry: ProviderRegistry,
  resolved: ResolvedOptions,
  telemetry: TelemetryHandle | undefined,
): void {
  if (resolved.server === false) return;
  startHealthServer(registry, {
    host: resolved.server.host,
    port: resolved.server.port,
    metricsHandler: (req, res) => {
      const handler = telemetry?.prometheusHandler;
      if (handler !== undefined) return handler(req, res);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            code: 'metrics_not_here',
            message:
              'no Prometheus exposition in this process: metrics go to the service’s own MeterProvider, or elsewhere (OTEL_METRICS_EXPORTER), or nowhere (OTEL_SDK_DISABLED)',
          },
        }),
      );
    },
  }).catch((error: unknown) =>
    logOnce(
      'start:server',
      `the health server could not listen on ${resolved.server ? `${resolved.server.host}:${resolved.server.port}` : ''}`,
      error,
    ),
  );
}
