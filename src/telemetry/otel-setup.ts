import type { IncomingMessage, ServerResponse } from 'node:http';
import { metrics } from '@opentelemetry/api';
import type { ProviderRegistry } from '../providers/registry.js';
import { hasGlobalMeterProvider, hasGlobalTracerProvider } from './global-providers.js';
import { describeError, log, logOnce } from './log.js';
import { createProviderInstruments, METER_NAME, type ProviderInstruments } from './metrics/instruments.js';
import { createPrivateMeterProvider, type PrivateMeterProvider } from './metrics/private-meter-provider.js';
import { type Env, resourceFromEnv } from './otel-env.js';
import { withTimeout } from './timeout.js';
import { PluginTracing } from './tracing/tracing-setup.js';
import { reportTransitions } from './tracing/transition-events.js';

export type MetricsRequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface TelemetryHandle {
  /** `pending` for one tick after start, then where the instruments live. */
  readonly metricsMode: 'pending' | 'global' | 'private';
  readonly tracesMode: 'pending' | 'global' | 'private' | 'off';
  /**
   * Serves the private Prometheus exporter's exposition, for the health server's `/metrics`.
   * Undefined while pending and when the metrics go to the service's provider: read it per request.
   */
  readonly prometheusHandler: MetricsRequestHandler | undefined;
  /** Settles once the deferred decision (global or private provider) has been made. */
  readonly ready: Promise<void>;
  /** Flushes and stops within `timeoutMs`; never rejects. */
  shutdown(timeoutMs?: number): Promise<void>;
}

/**
 * When a provider registered after the preload is looked for again. A service that starts sdk-node
 * from `--require ./tracing.js` is seen on the first tick; these catch one started later in its main.
 */
export const LATER_CHECKS_MS: readonly number[] = [1_000, 5_000, 30_000];
const EXIT_FLUSH_MS = 2_000;

/**
 * Starts the plugin's telemetry (DESIGN.md, "OpenTelemetry at preload time"). Decides a tick later
 * (setImmediate) whether the service registered a global MeterProvider: if so the instruments are
 * created there and nothing is started; if not they live on a private MeterProvider, never registered,
 * with the exporters `OTEL_METRICS_EXPORTER` asks for (default prometheus), until a global provider
 * appears at one of the later checks. Never throws; every timer is unref'd.
 */
export function startTelemetry(registry: ProviderRegistry, env: Env = process.env): TelemetryHandle {
  const resource = resourceFromEnv(env);
  let instruments: ProviderInstruments | undefined;
  let privateMetrics: PrivateMeterProvider | undefined;
  let tracing: PluginTracing | undefined;
  let metricsMode: TelemetryHandle['metricsMode'] = 'pending';
  let stopped = false;
  const timers: NodeJS.Timeout[] = [];

  const useGlobalMeter = (): void => {
    instruments?.dispose();
    instruments = createProviderInstruments(metrics.getMeter(METER_NAME), registry);
    metricsMode = 'global';
  };

  const moveToGlobal = (): void => {
    const previous = privateMetrics;
    privateMetrics = undefined;
    useGlobalMeter();
    log('info', 'the service registered a MeterProvider; provider-health metrics moved to it');
    // Observable counts are read from the registry, so nothing is lost; histograms start afresh there.
    void previous?.provider
      .shutdown()
      .catch((error: unknown) =>
        logOnce('otel:private-shutdown', 'stopping the private MeterProvider failed', error),
      );
  };

  const recheck = (): void => {
    try {
      if (stopped) return;
      if (metricsMode === 'private' && hasGlobalMeterProvider()) moveToGlobal();
      if (tracing !== undefined && tracing.mode !== 'global' && hasGlobalTracerProvider())
        tracing.adoptGlobal();
    } catch (error) {
      logOnce('otel:recheck', 'looking for a later-registered OpenTelemetry provider failed', error);
    }
  };

  const decide = (): void => {
    if (stopped) return;
    try {
      if (hasGlobalMeterProvider()) useGlobalMeter();
      else {
        privateMetrics = createPrivateMeterProvider(env, resource);
        instruments = createProviderInstruments(privateMetrics.provider.getMeter(METER_NAME), registry);
        metricsMode = 'private';
      }
      tracing = new PluginTracing(registry, env, resource);
      for (const delay of LATER_CHECKS_MS) timers.push(setTimeout(recheck, delay).unref());
      if (privateMetrics?.pushes === true || tracing.mode === 'private')
        process.once('beforeExit', flushAtExit);
    } catch (error) {
      log('error', 'provider-health telemetry could not start; requests are unaffected', {
        error: describeError(error),
      });
    }
  };

  const flush = async (): Promise<void> => {
    await Promise.all([privateMetrics?.provider.forceFlush(), tracing?.forceFlush()]);
  };
  // The event loop is empty here, so a bounded flush is the only way a short-lived script's last
  // OTLP export is sent; `once`, since the flush itself revives the loop and would fire it again.
  const flushAtExit = (): void => {
    void withTimeout(flush(), EXIT_FLUSH_MS, 'exit flush');
  };

  reportTransitions(registry);
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  setImmediate(() => {
    decide();
    markReady();
  }).unref();

  return {
    get metricsMode() {
      return metricsMode;
    },
    get tracesMode() {
      return tracing?.mode ?? 'pending';
    },
    get prometheusHandler() {
      const exporter = privateMetrics?.prometheus;
      return exporter === undefined ? undefined : exporter.getMetricsRequestHandler.bind(exporter);
    },
    ready,
    shutdown: async (timeoutMs = 5_000) => {
      if (stopped) return;
      stopped = true;
      markReady();
      for (const timer of timers) clearTimeout(timer);
      process.removeListener('beforeExit', flushAtExit);
      instruments?.dispose();
      const stopping = Promise.all([privateMetrics?.provider.shutdown(), tracing?.shutdown()]);
      await withTimeout(stopping, timeoutMs, 'telemetry shutdown');
    },
  };
}
