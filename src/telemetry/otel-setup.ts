import type { IncomingMessage, ServerResponse } from 'node:http';
import { metrics } from '@opentelemetry/api';
import { describeError, log, logOnce } from '../common/log.js';
import { withTimeout } from '../common/timeout.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { hasGlobalMeterProvider, hasGlobalTracerProvider } from './global-providers.js';
import { createProviderInstruments, METER_NAME, type ProviderInstruments } from './metrics/instruments.js';
import { createPrivateMeterProvider, type PrivateMeterProvider } from './metrics/private-meter-provider.js';
import { type Env, resourceFromEnv } from './otel-env.js';
import { recordHttp2Span } from './tracing/http2-spans.js';
import { recordRejectedSpan } from './tracing/rejected-span.js';
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
 * Starts the plugin's telemetry (docs/design.md, "OpenTelemetry at preload time"). Never throws;
 * every timer is unref'd.
 */
export function startTelemetry(registry: ProviderRegistry, env: Env = process.env): TelemetryHandle {
  return new TelemetryPipeline(registry, env);
}

/**
 * Decides a tick later (setImmediate) whether the service registered a global MeterProvider: if so
 * the instruments are created there and nothing is started; if not they live on a private
 * MeterProvider, never registered, with the exporters `OTEL_METRICS_EXPORTER` asks for (default
 * prometheus), until a global provider appears at one of the later checks. Spans follow the same
 * rule (PluginTracing). Subscribes to the registry's event surface for transitions and rejections.
 */
class TelemetryPipeline implements TelemetryHandle {
  readonly ready: Promise<void>;
  private instruments: ProviderInstruments | undefined;
  private privateMetrics: PrivateMeterProvider | undefined;
  private tracing: PluginTracing | undefined;
  private mode: TelemetryHandle['metricsMode'] = 'pending';
  private stopped = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: Array<() => void> = [];
  private markReady: () => void = () => undefined;
  // The event loop is empty at beforeExit, so a bounded flush is the only way a short-lived
  // script's last OTLP export is sent; `once`, since the flush itself revives the loop.
  private readonly flushAtExit = (): void => {
    void withTimeout(this.flush(), EXIT_FLUSH_MS, 'exit flush');
  };

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly env: Env,
  ) {
    reportTransitions(registry);
    this.unsubscribe.push(
      registry.events.on('reject', function rejectedSpan(provider, request) {
        if (request !== undefined) recordRejectedSpan(provider, request.method, request.url, request.budget);
      }),
      registry.events.on('record', recordHttp2Span),
    );
    this.ready = new Promise<void>((resolve) => {
      this.markReady = resolve;
    });
    setImmediate(() => {
      this.decide();
      this.markReady();
    }).unref();
  }

  get metricsMode(): TelemetryHandle['metricsMode'] {
    return this.mode;
  }

  get tracesMode(): TelemetryHandle['tracesMode'] {
    return this.tracing?.mode ?? 'pending';
  }

  get prometheusHandler(): MetricsRequestHandler | undefined {
    const exporter = this.privateMetrics?.prometheus;
    return exporter === undefined ? undefined : exporter.getMetricsRequestHandler.bind(exporter);
  }

  async shutdown(timeoutMs = 5_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.markReady();
    for (const timer of this.timers) clearTimeout(timer);
    for (const undo of this.unsubscribe) undo();
    process.removeListener('beforeExit', this.flushAtExit);
    this.instruments?.dispose();
    const stopping = Promise.all([this.privateMetrics?.provider.shutdown(), this.tracing?.shutdown()]);
    await withTimeout(stopping, timeoutMs, 'telemetry shutdown');
  }

  private decide(): void {
    if (this.stopped) return;
    try {
      const resource = resourceFromEnv(this.env);
      if (hasGlobalMeterProvider()) this.useGlobalMeter();
      else {
        this.privateMetrics = createPrivateMeterProvider(this.env, resource);
        this.instruments = createProviderInstruments(
          this.privateMetrics.provider.getMeter(METER_NAME),
          this.registry,
        );
        this.mode = 'private';
      }
      this.tracing = new PluginTracing(this.registry, this.env, resource);
      for (const delay of LATER_CHECKS_MS) this.timers.push(setTimeout(() => this.recheck(), delay).unref());
      if (this.privateMetrics?.pushes === true || this.tracing.mode === 'private')
        process.once('beforeExit', this.flushAtExit);
    } catch (error) {
      log('error', 'provider-health telemetry could not start; requests are unaffected', {
        error: describeError(error),
      });
    }
  }

  private useGlobalMeter(): void {
    this.instruments?.dispose();
    this.instruments = createProviderInstruments(metrics.getMeter(METER_NAME), this.registry);
    this.mode = 'global';
  }

  private recheck(): void {
    try {
      if (this.stopped) return;
      if (this.mode === 'private' && hasGlobalMeterProvider()) this.moveToGlobal();
      const tracing = this.tracing;
      if (tracing !== undefined && tracing.mode !== 'global' && hasGlobalTracerProvider())
        tracing.adoptGlobal();
    } catch (error) {
      logOnce('otel:recheck', 'looking for a later-registered OpenTelemetry provider failed', error);
    }
  }

  private moveToGlobal(): void {
    const previous = this.privateMetrics;
    this.privateMetrics = undefined;
    this.useGlobalMeter();
    log('info', 'the service registered a MeterProvider; provider-health metrics moved to it');
    // Observable counts are read from the registry, so nothing is lost; histograms start afresh there.
    void previous?.provider
      .shutdown()
      .catch((error: unknown) =>
        logOnce('otel:private-shutdown', 'stopping the private MeterProvider failed', error),
      );
  }

  private async flush(): Promise<void> {
    await Promise.all([this.privateMetrics?.provider.forceFlush(), this.tracing?.forceFlush()]);
  }
}
