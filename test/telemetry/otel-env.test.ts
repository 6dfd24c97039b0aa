import { describe, expect, it } from 'vitest';
import {
  metricsExporters,
  otlpProtocol,
  resourceAttributesFromEnv,
  resourceDetectors,
  sdkDisabled,
  tracesExporters,
} from '../../src/telemetry/otel-env.js';

// The choices sdk-node 0.223 makes from the same variables (its getMetricReadersFromEnv,
// getSpanProcessorsFromEnv, getOtlpProtocolFromEnv), except where docs/design.md says otherwise:
// unset exporters follow intent (an OTLP endpoint means OTLP; else Prometheus for metrics, no spans).
describe('OTEL_* as the OpenTelemetry SDK reads them', () => {
  it('OTEL_SDK_DISABLED: true in any case, anything else is false', () => {
    expect(sdkDisabled({ OTEL_SDK_DISABLED: 'true' })).toBe(true);
    expect(sdkDisabled({ OTEL_SDK_DISABLED: ' TRUE ' })).toBe(true);
    expect(sdkDisabled({ OTEL_SDK_DISABLED: 'false' })).toBe(false);
    expect(sdkDisabled({ OTEL_SDK_DISABLED: '1' })).toBe(false);
    expect(sdkDisabled({})).toBe(false);
  });

  it('metrics exporters: a list, deduplicated; none anywhere means none; unset follows intent', () => {
    expect(metricsExporters({})).toEqual(['prometheus']);
    expect(metricsExporters({ OTEL_METRICS_EXPORTER: ' ' })).toEqual(['prometheus']);
    expect(metricsExporters({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toEqual(['otlp']);
    expect(metricsExporters({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4318/v1/metrics' })).toEqual([
      'otlp',
    ]);
    // A traces endpoint says nothing about metrics.
    expect(metricsExporters({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })).toEqual([
      'prometheus',
    ]);
    expect(metricsExporters({ OTEL_METRICS_EXPORTER: 'otlp, console,otlp,,prometheus' })).toEqual([
      'otlp',
      'console',
      'prometheus',
    ]);
    expect(metricsExporters({ OTEL_METRICS_EXPORTER: 'otlp,none' })).toEqual([]);
    expect(metricsExporters({ OTEL_METRICS_EXPORTER: 'zipkin,otlp' })).toEqual(['otlp']);
  });

  it('traces exporters: none first means none, none among others means otlp; unset follows intent', () => {
    expect(tracesExporters({})).toEqual([]);
    expect(tracesExporters({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toEqual(['otlp']);
    expect(tracesExporters({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4317' })).toEqual(['otlp']);
    expect(tracesExporters({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4318/v1/metrics' })).toEqual([]);
    expect(tracesExporters({ OTEL_TRACES_EXPORTER: 'console,otlp' })).toEqual(['console', 'otlp']);
    expect(
      tracesExporters({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' }),
    ).toEqual([]);
    expect(tracesExporters({ OTEL_TRACES_EXPORTER: 'console,none' })).toEqual(['otlp']);
    expect(tracesExporters({ OTEL_TRACES_EXPORTER: 'null' })).toEqual([]);
  });

  it('OTLP protocol: the signal’s own variable, else the shared one, else http/protobuf', () => {
    expect(otlpProtocol({}, 'metrics')).toBe('http/protobuf');
    expect(otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'traces')).toBe('grpc');
    const env = { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json' };
    expect(otlpProtocol(env, 'metrics')).toBe('http/json');
    expect(otlpProtocol(env, 'traces')).toBe('grpc');
    expect(otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/thrift' }, 'traces')).toBe('http/protobuf');
  });

  it('resource: OTEL_RESOURCE_ATTRIBUTES percent-decoded, OTEL_SERVICE_NAME wins; detectors by OTEL_NODE_RESOURCE_DETECTORS', () => {
    expect(
      resourceAttributesFromEnv({
        OTEL_RESOURCE_ATTRIBUTES: 'service.name=a,deployment.environment.name=prod%20eu,bad=%E0%A4%A,=x',
        OTEL_SERVICE_NAME: 'checkout',
      }),
    ).toEqual({ 'service.name': 'checkout', 'deployment.environment.name': 'prod eu' });
    expect(resourceDetectors({})).toEqual(['env', 'process', 'host', 'serviceinstance']);
    expect(resourceDetectors({ OTEL_NODE_RESOURCE_DETECTORS: 'all' })).toHaveLength(5);
    expect(resourceDetectors({ OTEL_NODE_RESOURCE_DETECTORS: 'none' })).toEqual([]);
    expect(resourceDetectors({ OTEL_NODE_RESOURCE_DETECTORS: 'env,host,gcp' })).toEqual(['env', 'host']);
  });
});
