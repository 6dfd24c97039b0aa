import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { Resource } from '@opentelemetry/resources';
import type { IMetricReader, MeterProvider, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { describeError, log } from '../../common/log.js';
import { type Env, type MetricsExporterName, metricsExporters, positiveNumber } from '../otel-env.js';
import { otelPrometheus, otelSdkMetrics } from '../otel-packages.js';
import { otlpMetricExporter } from '../otlp-exporters.js';

/** A MeterProvider of our own, never registered globally, with the exporters the environment asks for. */
export interface PrivateMeterProvider {
  readonly provider: MeterProvider;
  readonly prometheus: PrometheusExporter | undefined;
  /** True when an exporter pushes (OTLP, console): the only case where a flush at exit sends anything. */
  readonly pushes: boolean;
}

/** @default 9464, the OTel Prometheus exporter's own port */
export const DEFAULT_PROMETHEUS_PORT = 9464;

/**
 * The readers `OTEL_METRICS_EXPORTER` asks for (src/telemetry/otel-env.ts): Prometheus, OTLP over
 * the chosen protocol, console. An exporter that cannot be built (the gRPC exporter not installed)
 * is one error naming what to install; the others still run. Undefined when none is asked for:
 * then no MeterProvider is built at all.
 */
export function createPrivateMeterProvider(
  env: Env,
  resource: () => Resource,
  names: readonly MetricsExporterName[] = metricsExporters(env),
): PrivateMeterProvider | undefined {
  if (names.length === 0) return undefined;
  const readers: IMetricReader[] = [];
  let prometheus: PrometheusExporter | undefined;
  let pushes = false;
  for (const name of names) {
    try {
      if (name === 'prometheus') {
        prometheus = startPrometheus(env);
        readers.push(prometheus);
      } else {
        const sdk = otelSdkMetrics();
        readers.push(
          periodicReader(env, name === 'otlp' ? otlpMetricExporter(env) : new sdk.ConsoleMetricExporter()),
        );
        pushes = true;
      }
    } catch (error) {
      log(
        'error',
        `the ${name} metrics exporter could not be started; provider-health metrics are not sent there`,
        {
          error: describeError(error),
        },
      );
    }
  }
  if (readers.length === 0) return undefined;
  const { MeterProvider } = otelSdkMetrics();
  return { provider: new MeterProvider({ resource: resource(), readers }), prometheus, pushes };
}

/**
 * `OTEL_METRIC_EXPORT_INTERVAL` (60 s) and `OTEL_METRIC_EXPORT_TIMEOUT` (30 s), the timeout clamped
 * to the interval as the SDK does. The reader's timer is unref'd by sdk-metrics: it never keeps
 * the process alive.
 */
function periodicReader(env: Env, exporter: PushMetricExporter): IMetricReader {
  const interval = positiveNumber(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000);
  const timeout = positiveNumber(env, 'OTEL_METRIC_EXPORT_TIMEOUT', 30_000);
  const { PeriodicExportingMetricReader } = otelSdkMetrics();
  return new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: interval,
    exportTimeoutMillis: Math.min(timeout, interval),
  });
}

/**
 * The exporter's own server on `OTEL_EXPORTER_PROMETHEUS_HOST` (unset: all interfaces, the
 * exporter's default, so a Prometheus in another container can scrape it) and
 * `OTEL_EXPORTER_PROMETHEUS_PORT` (9464, or `off`: served on the health server's /metrics only).
 * Started by us rather than by its constructor so a busy port is one log line from us and not an
 * unhandled diag error; /metrics stays available through the handle's request handler either way.
 */
function startPrometheus(env: Env): PrometheusExporter {
  const host = env.OTEL_EXPORTER_PROMETHEUS_HOST?.trim() || undefined;
  const off = env.OTEL_EXPORTER_PROMETHEUS_PORT?.trim().toLowerCase() === 'off';
  const port = off
    ? DEFAULT_PROMETHEUS_PORT
    : Math.trunc(positiveNumber(env, 'OTEL_EXPORTER_PROMETHEUS_PORT', DEFAULT_PROMETHEUS_PORT));
  const { PrometheusExporter } = otelPrometheus();
  const exporter = new PrometheusExporter({ host, port, preventServerStart: true });
  if (off) return exporter;
  exporter.startServer().then(
    () => log('info', 'Prometheus metrics exporter listening', { host: host ?? '0.0.0.0', port }),
    (error: unknown) => {
      const code = (error as { code?: unknown }).code;
      log(
        'warn',
        code === 'EADDRINUSE'
          ? `Prometheus exporter port ${port} is in use; metrics stay available on the health server's /metrics`
          : 'Prometheus exporter could not listen; metrics stay available on the health server',
        { host: host ?? '0.0.0.0', port, error: describeError(error) },
      );
    },
  );
  return exporter;
}
