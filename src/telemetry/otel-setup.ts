import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Resource } from '@opentelemetry/resources';
import { describeError, log, logOnce } from '../common/log.js';
import { withTimeout } from '../common/timeout.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { hasGlobalMeterProvider, hasGlobalTracerProvider } from './global-providers.js';
import {
  type Backlogged,
  createProviderInstruments,
  type ProviderInstruments,
} from './metrics/instruments.js';
import { createPrivateMeterProvider, type PrivateMeterProvider } from './metrics/private-meter-provider.js';
import { type Env, metricsExporters, sdkDisabled } from './otel-env.js';
import { otelApi } from './otel-packages.js';
import { pluginResource } from './resource.js';
import { SCOPE_NAME, scopeVersion } from './scope.js';
import { recordHttp2Span } from './tracing/http2-spans.js';
import { recordRejectedSpan } from './tracing/rejected-span.js';
import { PluginTracing } from './tracing/tracing-setup.js';
import { reportTransitions } from './tracing/transition-events.js';

export type MetricsRequestHandler = (request: IncomingMessage, response: ServerResponse) => void;
export type TelemetryMode = 'pending' | 'global' | 'private' | 'off';

export interface TelemetryHandle {
  /**
   * `pending` for one tick after start, then where the instruments live: the service's provider,
   * ours, or nowhere (`OTEL_METRICS_EXPORTER=none`, `OTEL_SDK_DISABLED=true`).
   */
  readonly metricsMode: TelemetryMode;
  /** Decided at start (a later global provider is adopted at the next check). */
  readonly tracesMode: TelemetryMode;
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
/** Requests kept for the histograms until the private MeterProvider exists (a bounded start-up backlog). */
const MAX_BACKLOG = 10_000;

/**
 * Starts the plugin's telemetry (docs/design.md, "OpenTelemetry at preload time"). Never throws;
 * every timer is unref'd. With `OTEL_SDK_DISABLED=true` nothing starts: transitions are still
 * logged, and the breakers do not depend on telemetry at all.
 */
export function startTelemetry(registry: ProviderRegistry, env: Env = process.env): TelemetryHandle {
  if (sdkDisabled(env)) {
    reportTransitions(registry, false);
    log('debug', 'OTEL_SDK_DISABLED=true: provider-health records no metrics and no spans');
    return DISABLED;
  }
  return new TelemetryPipeline(registry, env);
}

const DISABLED: TelemetryHandle = {
  metricsMode: 'off',
  tracesMode: 'off',
  prometheusHandler: undefined,
  ready: Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/**
 * Spans are set up at once (PluginTracing). Metrics are decided a tick later (setImmediate): if the
 * service registered a global MeterProvider the instruments are created there and nothing is
 * started. If not, they will live on a private MeterProvider, never registered, with the exporters
 * `OTEL_METRICS_EXPORTER` asks for, until a global provider appears at one of the later checks.
 * That one is built at the first later check (1 s), or at the first scrape of the health server's
 * /metrics, or at exit when an exporter pushes, whichever comes first: loading the metrics SDK and
 * an exporter is the largest start-up cost the plugin has, and a service that registers its own
 * provider within the first second never pays it. The requests that finish before then are kept
 * (bounded) and recorded into the histograms when they exist; the counters read the registry.
 * Subscribes to the registry's event surface for transitions and rejections.
 */
class TelemetryPipeline implements TelemetryHandle {
  readonly ready: Promise<void>;
  private instruments: ProviderInstruments | undefined;
  private privateMetrics: PrivateMeterProvider | undefined;
  private readonly tracing: PluginTracing | undefined;
  private mode: TelemetryMode = 'pending';
  private stopped = false;
  private resourceBuilt: Resource | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: Array<() => void> = [];
  private markReady: () => void = () => undefined;
  private backlog: Backlogged[] | undefined;
  private readonly stopBacklog: () => void;
  private readonly metricsExporters: ReturnType<typeof metricsExporters>;
  /** A metrics exporter that pushes (OTLP, console): then a short-lived process still sends at exit. */
  private readonly metricsPush: boolean;
  // The event loop is empty at beforeExit, so a bounded flush is the only way a short-lived
  // script's last OTLP export is sent; `once`, since the flush itself revives the loop.
  private readonly flushAtExit = (): void => {
    void withTimeout(this.flush(), EXIT_FLUSH_MS, 'exit flush');
  };
  // One resource for both providers, detected when the first of them is built.
  private readonly resource = (): Resource => {
    this.resourceBuilt ??= pluginResource(this.env);
    return this.resourceBuilt;
  };

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly env: Env,
  ) {
    reportTransitions(registry);
    this.metricsExporters = metricsExporters(env);
    this.metricsPush = this.metricsExporters.some((name) => name !== 'prometheus');
    const backlog: Backlogged[] = [];
    this.backlog = backlog;
    this.stopBacklog = registry.events.on('record', function keepForHistograms(provider, request) {
      if (backlog.length < MAX_BACKLOG)
        backlog.push({
          provider,
          durationMs: request.durationMs,
          ttfbMs: request.ttfbMs,
          outcome: request.outcome,
          usage: request.usage,
        });
    });
    this.unsubscribe.push(
      registry.events.on('reject', function rejectedSpan(provider, request) {
        if (request !== undefined) recordRejectedSpan(provider, request.method, request.url, request.budget);
      }),
      registry.events.on('record', recordHttp2Span),
    );
    this.tracing = this.startTracing();
    this.ready = new Promise<void>((resolve) => {
      this.markReady = resolve;
    });
    setImmediate(() => this.decide()).unref();
  }

  get metricsMode(): TelemetryMode {
    return this.mode;
  }

  get tracesMode(): TelemetryMode {
    return this.tracing?.mode ?? 'off';
  }

  get prometheusHandler(): MetricsRequestHandler | undefined {
    // A scrape before the private pipeline exists builds it: the exposition is then complete.
    if (this.mode === 'pending') this.buildPrivateMetrics();
    const exporter = this.privateMetrics?.prometheus;
    return exporter === undefined ? undefined : exporter.getMetricsRequestHandler.bind(exporter);
  }

  async shutdown(timeoutMs = 5_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.markReady();
    for (const timer of this.timers) clearTimeout(timer);
    for (const undo of this.unsubscribe) undo();
    this.stopBacklog();
    process.removeListener('beforeExit', this.flushAtExit);
    this.instruments?.dispose();
    const stopping = Promise.all([this.privateMetrics?.provider.shutdown(), this.tracing?.shutdown()]);
    await withTimeout(stopping, timeoutMs, 'telemetry shutdown');
  }

  private startTracing(): PluginTracing | undefined {
    try {
      return new PluginTracing(this.registry, this.env, this.resource);
    } catch (error) {
      log('error', 'provider-health tracing could not start; requests are unaffected', {
        error: describeError(error),
      });
      return undefined;
    }
  }

  private decide(): void {
    if (this.stopped) return;
    try {
      if (hasGlobalMeterProvider()) this.useGlobalMeter();
      else if (this.metricsExporters.length === 0) this.settle('off');
      if (this.tracing !== undefined && this.tracing.mode !== 'global' && hasGlobalTracerProvider())
        this.tracing.adoptGlobal();
      for (const delay of LATER_CHECKS_MS) this.timers.push(setTimeout(() => this.recheck(), delay).unref());
      if (this.metricsPush || this.tracing?.mode === 'private') process.once('beforeExit', this.flushAtExit);
    } catch (error) {
      log('error', 'provider-health telemetry could not start; requests are unaffected', {
        error: describeError(error),
      });
      this.settle('off');
    }
  }

  /** The private MeterProvider and its exporters, once, unless the service's provider is used. */
  private buildPrivateMetrics(): void {
    if (this.stopped || this.mode !== 'pending') return;
    try {
      this.privateMetrics = createPrivateMeterProvider(this.env, this.resource, this.metricsExporters);
      if (this.privateMetrics === undefined) {
        this.settle('off');
        return;
      }
      this.instruments = createProviderInstruments(
        this.privateMetrics.provider.getMeter(SCOPE_NAME, scopeVersion()),
        this.registry,
        this.backlog,
      );
      this.settle('private');
    } catch (error) {
      log('error', 'provider-health metrics could not start; requests are unaffected', {
        error: describeError(error),
      });
      this.settle('off');
    }
  }

  /** The metrics have their place: the backlog is no longer needed. */
  private settle(mode: TelemetryMode): void {
    this.mode = mode;
    this.backlog = undefined;
    this.stopBacklog();
    this.markReady();
  }

  private useGlobalMeter(): void {
    this.instruments?.dispose();
    this.instruments = createProviderInstruments(
      otelApi().metrics.getMeter(SCOPE_NAME, scopeVersion()),
      this.registry,
      this.backlog,
    );
    this.settle('global');
  }

  private recheck(): void {
    try {
      if (this.stopped) return;
      if (this.mode !== 'global' && hasGlobalMeterProvider()) this.moveToGlobal();
      else if (this.mode === 'pending') this.buildPrivateMetrics();
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
    // A short-lived script ends before the first later check: its metrics are built now, with the
    // requests it made, so a pushing exporter still sends them.
    if (this.mode === 'pending' && this.metricsPush) this.buildPrivateMetrics();
    await Promise.all([this.privateMetrics?.provider.forceFlush(), this.tracing?.forceFlush()]);
  }
}
