import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { Resource } from '@opentelemetry/resources';
import { type IMetricReader, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { describeError, log } from '../../common/log.js';
import {
  checkOtlpProtocol,
  type Env,
  exporterList,
  otlpUrl,
  positiveNumber,
  warnUnsupportedExporter,
} from '../otel-env.js';

/** A MeterProvider of our own, never registered globally, with the exporters the environment asks for. */
export interface PrivateMeterProvider {
  readonly provider: MeterProvider;
  readonly prometheus: PrometheusExporter | undefined;
  /** True when an exporter pushes (OTLP): the only case where a flush at exit sends anything. */
  readonly pushes: boolean;
}

/** @default 9464, the OTel Prometheus exporter's own port */
export const DEFAULT_PROMETHEUS_PORT = 9464;

export function createPrivateMeterProvider(env: Env, resource: Resource): PrivateMeterProvider {
  const readers: IMetricReader[] = [];
  let prometheus: PrometheusExporter | undefined;
  let pushes = false;
  for (const name of exporterList(env, 'OTEL_METRICS_EXPORTER', ['prometheus'])) {
    if (name === 'prometheus' && prometheus === undefined) {
      prometheus = startPrometheus(env);
      readers.push(prometheus);
    } else if (name === 'otlp') {
      checkOtlpProtocol(env, 'metrics');
      const exporter = new OTLPMetricExporter({
        url: otlpUrl(env, 'metrics'),
        timeoutMillis: positiveNumber(env.OTEL_EXPORTER_OTLP_METRICS_TIMEOUT, 10_000),
      });
      const interval = positiveNumber(env.OTEL_METRIC_EXPORT_INTERVAL, 60_000);
      // The reader's interval timer is unref'd by sdk-metrics: it never keeps the process alive.
      readers.push(
        new PeriodicExportingMetricReader({
          exporter,
          exportIntervalMillis: interval,
          // sdk-metrics refuses a timeout longer than the interval; clamp rather than fail.
          exportTimeoutMillis: Math.min(positiveNumber(env.OTEL_METRIC_EXPORT_TIMEOUT, 30_000), interval),
        }),
      );
      pushes = true;
    } else if (name !== 'prometheus') {
      warnUnsupportedExporter('OTEL_METRICS_EXPORTER', name);
    }
  }
  return { provider: new MeterProvider({ resource, readers }), prometheus, pushes };
}

/**
 * The exporter's own server on `OTEL_EXPORTER_PROMETHEUS_HOST` (unset: all interfaces, the
 * exporter's default, so a Prometheus in another container can scrape it) and
 * `OTEL_EXPORTER_PROMETHEUS_PORT` (9464). Started by us rather than by its constructor so a
 * busy port is one log line from us and not an unhandled diag error; /metrics stays available
 * through the handle's request handler (the health server) either way.
 */
function startPrometheus(env: Env): PrometheusExporter {
  const host = env.OTEL_EXPORTER_PROMETHEUS_HOST?.trim() || undefined;
  const port = Math.trunc(positiveNumber(env.OTEL_EXPORTER_PROMETHEUS_PORT, DEFAULT_PROMETHEUS_PORT));
  const exporter = new PrometheusExporter({ host, port, preventServerStart: true });
  if (env.OTEL_EXPORTER_PROMETHEUS_PORT?.trim().toLowerCase() === 'off') return exporter;
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
