import type { Attributes, Histogram, Meter } from '@opentelemetry/api';
import { DataPointType, type HistogramMetricData, MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { REJECTED } from '../../src/breaker/circuit-state.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { headersFromRecord } from '../../src/outcome/headers.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { ATTR, DURATION_BUCKETS_SECONDS, METRICS } from '../../src/telemetry/metric-names.js';
import { createProviderInstruments } from '../../src/telemetry/metrics/instruments.js';
import { steady } from '../health/traffic.js';
import { ManualClock } from '../support/manual-clock.js';
import { CollectingReader, makeRegistry, metricNamed } from './support.js';

function setup(priced = false) {
  // Prices and a budget, so the cost and budget instruments have series too.
  const registry = !priced
    ? makeRegistry()
    : new ProviderRegistry(
        resolveOptions(
          {
            server: false,
            providers: {
              openai: { prices: { '*': { input: 1, output: 2 } }, budget: { amount: 50, per: '1h' } },
            },
          },
          {},
        ),
      );
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instruments = createProviderInstruments(meterProvider.getMeter('provider-health'), registry);
  return { registry, reader, instruments };
}

function points(all: Awaited<ReturnType<CollectingReader['metrics']>>, name: string) {
  return metricNamed(all, name).dataPoints.map((point) => ({
    attributes: point.attributes,
    value: point.value,
  }));
}

describe('provider instruments', () => {
  it('emit every METRICS name, kind, unit and attribute set from real admit()/record() calls', async () => {
    const { registry, reader } = setup(true);
    const openai = registry.getOrCreateProvider('openai');
    openai.record(openai.admit(), 'success', 200, 120, 30);
    openai.recordRequest({
      admission: openai.admit(),
      // Spend on a failed call is counted under its outcome.
      outcome: 'client_error',
      statusCode: 400,
      durationMs: -1,
      ttfbMs: -1,
      endedAt: openai.clock.now(),
      reason: undefined,
      retryAfterMs: undefined,
      usage: {
        operation: 'chat',
        model: 'gpt-4o-mini',
        modelFromResponse: true,
        inputTokens: 1_000_000,
        outputTokens: 500_000,
        slot: undefined,
        cost: 0,
      },
    });
    for (let i = 0; i < 5; i++) openai.record(openai.admit(), 'provider_error', 500, 40, 10);
    const admission = openai.admit();
    expect(admission).toBe(REJECTED);
    openai.record(admission, 'rejected', 503, 0, -1);
    openai.record(REJECTED, 'rejected', 0, -1, -1);
    openai.stats.ratelimits.sample(
      0,
      headersFromRecord({ 'x-ratelimit-remaining-requests': '42', 'x-ratelimit-limit-requests': '60' }),
    );
    const all = await reader.metrics();

    const requests = metricNamed(all, METRICS.requests.otelName);
    expect(requests).toMatchObject({ dataPointType: DataPointType.SUM, isMonotonic: true });
    expect(requests.descriptor.unit).toBe('{request}');
    expect(requests.dataPointType).toBe(DataPointType.SUM);
    expect(points(all, METRICS.requests.otelName)).toEqual(
      expect.arrayContaining([
        {
          attributes: { [ATTR.provider]: 'openai', [ATTR.outcome]: 'success', [ATTR.statusCode]: 200 },
          value: 1,
        },
        {
          attributes: { [ATTR.provider]: 'openai', [ATTR.outcome]: 'provider_error', [ATTR.statusCode]: 500 },
          value: 5,
        },
        {
          attributes: { [ATTR.provider]: 'openai', [ATTR.outcome]: 'client_error', [ATTR.statusCode]: 400 },
          value: 1,
        },
        // Both rejections in one series with no status code: the 503 is ours, not the provider's.
        { attributes: { [ATTR.provider]: 'openai', [ATTR.outcome]: 'rejected' }, value: 2 },
      ]),
    );
    expect(requests.dataPoints).toHaveLength(4);

    const duration = metricNamed(all, METRICS.requestDuration.otelName) as HistogramMetricData;
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    const outcomes = duration.dataPoints.map((point) => point.attributes[ATTR.outcome]).sort();
    expect(outcomes).toEqual(['provider_error', 'success']);
    for (const point of duration.dataPoints) {
      expect(point.value.buckets.boundaries).toEqual(DURATION_BUCKETS_SECONDS);
      expect(Object.keys(point.attributes).sort()).toEqual([ATTR.outcome, ATTR.provider].sort());
    }
    const success = duration.dataPoints.find((p) => p.attributes[ATTR.outcome] === 'success');
    expect(success?.value.sum).toBeCloseTo(0.12);

    const ttfb = metricNamed(all, METRICS.timeToFirstByte.otelName) as HistogramMetricData;
    expect(ttfb.descriptor.unit).toBe('s');
    expect(ttfb.dataPoints).toHaveLength(1);
    expect(ttfb.dataPoints[0]?.attributes).toEqual({ [ATTR.provider]: 'openai' });
    expect(ttfb.dataPoints[0]?.value.count).toBe(6);
    expect(ttfb.dataPoints[0]?.value.buckets.boundaries).toEqual(DURATION_BUCKETS_SECONDS);

    const state = metricNamed(all, METRICS.circuitState.otelName);
    expect(state.dataPointType).toBe(DataPointType.GAUGE);
    expect(points(all, METRICS.circuitState.otelName)).toEqual([
      { attributes: { [ATTR.provider]: 'openai', [ATTR.circuitState]: 'closed' }, value: 0 },
      { attributes: { [ATTR.provider]: 'openai', [ATTR.circuitState]: 'open' }, value: 1 },
      { attributes: { [ATTR.provider]: 'openai', [ATTR.circuitState]: 'half_open' }, value: 0 },
    ]);
    expect(metricNamed(all, METRICS.circuitTransitions.otelName)).toMatchObject({
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
    });
    // Every possible transition is reported from the start, at 0, so increase() sees the first trip.
    const transition = (from: string, to: string, reason: string, value: number) => ({
      attributes: {
        [ATTR.provider]: 'openai',
        [ATTR.circuitFrom]: from,
        [ATTR.circuitTo]: to,
        [ATTR.circuitReason]: reason,
      },
      value,
    });
    expect(points(all, METRICS.circuitTransitions.otelName)).toEqual([
      transition('closed', 'open', 'failure_threshold', 1),
      transition('closed', 'open', 'slow_call_rate', 0),
      transition('open', 'half_open', 'recovery_timeout', 0),
      transition('open', 'half_open', 'health_check', 0),
      transition('half_open', 'closed', 'success_threshold', 0),
      transition('half_open', 'open', 'half_open_failure', 0),
      transition('half_open', 'open', 'half_open_slow_call', 0),
      transition('half_open', 'open', 'trial_timeout', 0),
      transition('open', 'closed', 'manual_reset', 0),
    ]);
    expect(points(all, METRICS.health.otelName)).toEqual([
      { attributes: { [ATTR.provider]: 'openai', [ATTR.healthStatus]: 'available' }, value: 0 },
      { attributes: { [ATTR.provider]: 'openai', [ATTR.healthStatus]: 'degraded' }, value: 0 },
      { attributes: { [ATTR.provider]: 'openai', [ATTR.healthStatus]: 'unavailable' }, value: 1 },
    ]);
    expect(points(all, METRICS.up.otelName)).toEqual([
      { attributes: { [ATTR.provider]: 'openai' }, value: 0 },
    ]);
    expect(points(all, METRICS.ratelimitRemaining.otelName)).toEqual([
      { attributes: { [ATTR.provider]: 'openai', [ATTR.ratelimitKind]: 'requests' }, value: 42 },
    ]);
    expect(points(all, METRICS.ratelimitLimit.otelName)).toEqual([
      { attributes: { [ATTR.provider]: 'openai', [ATTR.ratelimitKind]: 'requests' }, value: 60 },
    ]);

    const model = { [ATTR.provider]: 'openai', [ATTR.responseModel]: 'gpt-4o-mini' };
    expect(points(all, METRICS.cost.otelName)).toEqual([
      { attributes: { ...model, [ATTR.outcome]: 'client_error' }, value: 2 },
    ]);
    expect(points(all, METRICS.budgetSpent.otelName)).toEqual([
      { attributes: { [ATTR.provider]: 'openai' }, value: 2 },
    ]);
    expect(points(all, METRICS.budgetLimit.otelName)).toEqual([
      { attributes: { [ATTR.provider]: 'openai' }, value: 50 },
    ]);
    const tokens = metricNamed(all, METRICS.tokenUsage.otelName) as HistogramMetricData;
    expect(tokens.dataPoints.map((point) => [point.attributes[ATTR.tokenType], point.value.sum])).toEqual([
      ['input', 1_000_000],
      ['output', 500_000],
    ]);

    // Every instrument in the map is emitted, with exactly the map's unit and attribute keys; the
    // fleet's only with a fleet (test/fleet/replica-processes.test.ts scrapes it).
    for (const def of Object.values(METRICS)) {
      if (def === METRICS.fleetConnected) continue;
      const metric = metricNamed(all, def.otelName);
      expect(metric.descriptor.unit, def.otelName).toBe(def.unit);
      for (const point of metric.dataPoints)
        for (const key of Object.keys(point.attributes)) expect(def.attributes, def.otelName).toContain(key);
    }
  });

  it('records only input tokens for embeddings, which have no output', async () => {
    const { registry, reader } = setup(true);
    const openai = registry.getOrCreateProvider('openai');
    const usage = (operation: 'embeddings' | 'chat') => ({
      operation,
      model: 'text-embedding-3-small',
      modelFromResponse: true,
      inputTokens: 8,
      outputTokens: 0,
      slot: undefined,
      cost: 0,
    });
    for (const operation of ['embeddings', 'chat'] as const)
      openai.recordRequest({
        admission: openai.admit(),
        outcome: 'success',
        statusCode: 200,
        durationMs: 5,
        ttfbMs: 5,
        endedAt: openai.clock.now(),
        reason: undefined,
        retryAfterMs: undefined,
        usage: usage(operation),
      });
    const tokens = metricNamed(await reader.metrics(), METRICS.tokenUsage.otelName) as HistogramMetricData;
    expect(
      tokens.dataPoints
        .map((point) => `${point.attributes[ATTR.operationName]} ${point.attributes[ATTR.tokenType]}`)
        .sort(),
    ).toEqual(['chat input', 'chat output', 'embeddings input']);
  });

  it('reports the early warning per signal: 1 on the signal trending up, 0 on the other', async () => {
    const clock = new ManualClock();
    const registry = new ProviderRegistry(resolveOptions({}, {}), clock);
    const reader = new CollectingReader();
    createProviderInstruments(new MeterProvider({ readers: [reader] }).getMeter('provider-health'), registry);
    const openai = registry.getOrCreateProvider('openai');
    steady(openai, clock, { seconds: 3_600 });
    const warning = (signal: string, value: number) => ({
      attributes: { [ATTR.provider]: 'openai', [ATTR.trendSignal]: signal },
      value,
    });
    expect(points(await reader.metrics(), METRICS.degrading.otelName)).toEqual([
      warning('failure_rate', 0),
      warning('latency', 0),
    ]);
    steady(openai, clock, { seconds: 3 * 60, ttfbMs: 1_000 });
    expect(points(await reader.metrics(), METRICS.degrading.otelName)).toEqual([
      warning('failure_rate', 0),
      warning('latency', 1),
    ]);
  });

  it('reports only active providers, and a closed healthy one as up', async () => {
    const { registry, reader } = setup();
    const anthropic = registry.getOrCreateProvider('anthropic');
    anthropic.record(anthropic.admit(), 'success', 200, 5, 2);
    const all = await reader.metrics();
    const providers = new Set(
      all.flatMap((metric) => metric.dataPoints.map((point) => point.attributes[ATTR.provider])),
    );
    expect([...providers]).toEqual(['anthropic']);
    expect(points(all, METRICS.up.otelName)).toEqual([
      { attributes: { [ATTR.provider]: 'anthropic' }, value: 1 },
    ]);
  });

  it('never throws into the caller when a reader or a histogram fails', async () => {
    const registry = makeRegistry();
    const reader = new CollectingReader();
    const real = new MeterProvider({ readers: [reader] }).getMeter('t');
    const throwing: Histogram<Attributes> = {
      record: () => {
        throw new Error('histogram down');
      },
    };
    const meter: Meter = new Proxy(real, {
      get: (target, key) => (key === 'createHistogram' ? () => throwing : Reflect.get(target, key, target)),
    });
    createProviderInstruments(meter, registry);
    const openai = registry.getOrCreateProvider('openai');
    expect(() => openai.record(openai.admit(), 'success', 200, 10, 5)).not.toThrow();
    openai.getHealthStatus = () => {
      throw new Error('health down');
    };
    const all = await reader.metrics();
    // The failing readers are skipped; the others still report.
    expect(metricNamed(all, METRICS.requests.otelName).dataPoints).toHaveLength(1);
    expect(all.some((metric) => metric.descriptor.name === METRICS.up.otelName)).toBe(false);
  });

  it('dispose() detaches the histograms and the observable callbacks', async () => {
    const { registry, reader, instruments } = setup();
    const openai = registry.getOrCreateProvider('openai');
    instruments.dispose();
    expect(registry.events.has('record')).toBe(false);
    openai.record(openai.admit(), 'success', 200, 10, 5);
    const all = await reader.metrics();
    expect(all.every((metric) => metric.dataPoints.length === 0)).toBe(true);
  });
});
