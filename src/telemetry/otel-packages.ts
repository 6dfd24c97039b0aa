import { lazyRequire } from '../common/lazy-require.js';

/**
 * Every OpenTelemetry package the plugin runs, loaded at first use (src/common/lazy-require.ts):
 * a service that never exports spans never loads the trace SDK, one that sends OTLP over
 * http/protobuf never loads the JSON or gRPC exporters, and the preload itself loads none of them
 * unless spans must be recorded from the first request on.
 */
export const otelApi = (): typeof import('@opentelemetry/api') =>
  lazyRequire<typeof import('@opentelemetry/api')>('@opentelemetry/api');

export const otelResources = (): typeof import('@opentelemetry/resources') =>
  lazyRequire<typeof import('@opentelemetry/resources')>('@opentelemetry/resources');

export const otelSdkMetrics = (): typeof import('@opentelemetry/sdk-metrics') =>
  lazyRequire<typeof import('@opentelemetry/sdk-metrics')>('@opentelemetry/sdk-metrics');

export const otelSdkTrace = (): typeof import('@opentelemetry/sdk-trace') =>
  lazyRequire<typeof import('@opentelemetry/sdk-trace')>('@opentelemetry/sdk-trace');

export const otelPrometheus = (): typeof import('@opentelemetry/exporter-prometheus') =>
  lazyRequire<typeof import('@opentelemetry/exporter-prometheus')>('@opentelemetry/exporter-prometheus');

export const otelInstrumentation = (): typeof import('@opentelemetry/instrumentation') =>
  lazyRequire<typeof import('@opentelemetry/instrumentation')>('@opentelemetry/instrumentation');

export const otelInstrumentationHttp = (): typeof import('@opentelemetry/instrumentation-http') =>
  lazyRequire<typeof import('@opentelemetry/instrumentation-http')>('@opentelemetry/instrumentation-http');

export const otelInstrumentationUndici = (): typeof import('@opentelemetry/instrumentation-undici') =>
  lazyRequire<typeof import('@opentelemetry/instrumentation-undici')>(
    '@opentelemetry/instrumentation-undici',
  );
