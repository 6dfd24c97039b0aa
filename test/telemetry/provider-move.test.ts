import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ATTR, METRICS } from '../../src/telemetry/metric-names.js';
import { startTelemetry } from '../../src/telemetry/otel-setup.js';
import { EVENTUALLY } from '../support/waits.js';
import { CollectingReader, freePort, makeRegistry, metricNamed } from './support.js';

afterEach(() => {
  metrics.disable();
});

describe('private MeterProvider until the service registers one', () => {
  it('moves to a global provider registered later and keeps the counts', async () => {
    const registry = makeRegistry();
    const port = await freePort();
    const handle = startTelemetry(registry, {
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
    });
    await handle.ready;
    expect(handle.metricsMode).toBe('private');
    const openai = registry.getOrCreateProvider('openai');
    for (let i = 0; i < 3; i++) openai.record(openai.admit(), 'success', 200, 10, 5);
    for (let i = 0; i < 5; i++) openai.record(openai.admit(), 'timeout', 0, 100, -1);

    // The service's own SDK registers later (e.g. started in its async main()); the plugin's later
    // check (a second after start) moves to it. Waited for, not slept on: a timer can run late.
    const reader = new CollectingReader();
    expect(metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))).toBe(true);
    await vi.waitFor(() => expect(handle.metricsMode).toBe('global'), EVENTUALLY);
    expect(handle.prometheusHandler).toBeUndefined();
    // The private exporter's port is freed (its shutdown runs in the background).
    await vi.waitFor(() => expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow(), EVENTUALLY);

    openai.record(openai.admit(), 'rejected', 0, -1, -1);
    const all = await reader.metrics();
    const requests = metricNamed(all, METRICS.requests.otelName).dataPoints;
    const byOutcome = Object.fromEntries(requests.map((p) => [p.attributes[ATTR.outcome], p.value]));
    expect(byOutcome).toEqual({ success: 3, timeout: 5, rejected: 1 });
    const transitions = metricNamed(all, METRICS.circuitTransitions.otelName).dataPoints;
    // closed>open (failure_threshold) happened once; the other possible transitions are reported at 0.
    expect(transitions.map((p) => p.value)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0]);
    await handle.shutdown(1_000);
  });

  it('uses a global provider registered right after the preload and starts no exporter', async () => {
    const registry = makeRegistry();
    const port = await freePort();
    const handle = startTelemetry(registry, {
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
    });
    // Same tick as the preload, like `--require ./tracing.js` after `--require provider-health/register`.
    const reader = new CollectingReader();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    await handle.ready;
    expect(handle.metricsMode).toBe('global');
    expect(handle.prometheusHandler).toBeUndefined();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
    const anthropic = registry.getOrCreateProvider('anthropic');
    anthropic.record(anthropic.admit(), 'rate_limited', 429, 20, 15);
    const all = await reader.metrics();
    expect(metricNamed(all, METRICS.requests.otelName).dataPoints[0]?.attributes).toEqual({
      [ATTR.provider]: 'anthropic',
      [ATTR.outcome]: 'rate_limited',
      [ATTR.statusCode]: 429,
    });
    expect(metricNamed(all, METRICS.requestDuration.otelName).dataPoints).toHaveLength(1);
    await handle.shutdown(1_000);
  });
});
