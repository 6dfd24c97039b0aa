import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { lazyRequire, requireOptional } from '../common/lazy-require.js';
import { type Env, type OtlpProtocol, otlpProtocol, type Signal } from './otel-env.js';

/**
 * The official OTLP exporter package for each signal and protocol, as the OpenTelemetry SDK picks
 * them. Only the chosen one is loaded. The gRPC exporters are optional peer dependencies: they
 * bring @grpc/grpc-js and protobufjs (about 25 packages) that a service sending OTLP over HTTP
 * should not have to install.
 */
export const OTLP_EXPORTER_PACKAGES: Record<Signal, Record<OtlpProtocol, string>> = {
  metrics: {
    'http/protobuf': '@opentelemetry/exporter-metrics-otlp-proto',
    'http/json': '@opentelemetry/exporter-metrics-otlp-http',
    grpc: '@opentelemetry/exporter-metrics-otlp-grpc',
  },
  traces: {
    'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
    'http/json': '@opentelemetry/exporter-trace-otlp-http',
    grpc: '@opentelemetry/exporter-trace-otlp-grpc',
  },
};

function load<T>(signal: Signal, protocol: OtlpProtocol): T {
  const name = OTLP_EXPORTER_PACKAGES[signal][protocol];
  return protocol === 'grpc'
    ? requireOptional<T>(name, `OTLP ${signal} over gRPC (OTEL_EXPORTER_OTLP_PROTOCOL=grpc)`)
    : lazyRequire<T>(name);
}

/**
 * Constructed without options, like the SDK does: each exporter reads its endpoint, headers,
 * timeout, compression, certificates and (metrics) temporality preference from `OTEL_EXPORTER_OTLP_*`.
 * Throws MissingPackageError when gRPC is chosen and its exporter is not installed.
 */
export function otlpMetricExporter(env: Env): PushMetricExporter {
  const { OTLPMetricExporter } = load<{ OTLPMetricExporter: new () => PushMetricExporter }>(
    'metrics',
    otlpProtocol(env, 'metrics'),
  );
  return new OTLPMetricExporter();
}

export function otlpSpanExporter(env: Env): SpanExporter {
  const { OTLPTraceExporter } = load<{ OTLPTraceExporter: new () => SpanExporter }>(
    'traces',
    otlpProtocol(env, 'traces'),
  );
  return new OTLPTraceExporter();
}
