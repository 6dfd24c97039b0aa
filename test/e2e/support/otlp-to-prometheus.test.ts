import { describe, expect, it } from 'vitest';
import { type ExportMetricsServiceRequest, translate } from './otlp-to-prometheus.js';

const at = '1700000000123456789';
const resource = (attributes: Record<string, string>) => ({
  attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } })),
});

function one(metric: object, attributes: Record<string, string> = { 'service.name': 'checkout' }) {
  const request = {
    resourceMetrics: [
      {
        resource: resource(attributes),
        scopeMetrics: [{ scope: { name: 'lib', version: '' }, metrics: [metric] }],
      },
    ],
  } as ExportMetricsServiceRequest;
  return translate(request);
}

describe('OTLP -> Prometheus series (the compatibility rules in test/e2e/README.md)', () => {
  it('job is service.namespace/service.name, instance service.instance.id; other resource attributes go to target_info', () => {
    const series = one(
      { name: 'up', unit: '1', gauge: { dataPoints: [{ timeUnixNano: at, asDouble: 1, attributes: [] }] } },
      {
        'service.name': 'checkout',
        'service.namespace': 'shop',
        'service.instance.id': 'r-1',
        'host.name': 'h',
      },
    );
    expect(series).toEqual([
      {
        labels: { otel_scope_name: 'lib', job: 'shop/checkout', instance: 'r-1', __name__: 'up_ratio' },
        samples: [{ value: 1, timestampMs: 1700000000123 }],
      },
      {
        labels: { host_name: 'h', job: 'shop/checkout', instance: 'r-1', __name__: 'target_info' },
        samples: [{ value: 1, timestampMs: 1700000000123 }],
      },
    ]);
    // No namespace: job is the name alone; no instance id: instance is empty; no other attribute: no target_info.
    expect(
      one({ name: 'g', gauge: { dataPoints: [{ timeUnixNano: at, asInt: '3' }] } }).map((s) => [
        s.labels,
        s.samples[0]?.value,
      ]),
    ).toEqual([[{ otel_scope_name: 'lib', job: 'checkout', instance: '', __name__: 'g' }, 3]]);
  });

  it('names: invalid characters to _, units as words with annotations dropped, _total on monotonic sums', () => {
    const name = (metric: object) => one(metric)[0]?.labels.__name__;
    const points = { dataPoints: [{ timeUnixNano: at, asDouble: 1 }] };
    expect(
      name({
        name: 'ai.provider..requests',
        unit: '{request}',
        sum: { ...points, aggregationTemporality: 2, isMonotonic: true },
      }),
    ).toBe('ai_provider_requests_total');
    expect(
      name({
        name: 'queue.depth',
        unit: '{item}',
        sum: { ...points, aggregationTemporality: 2, isMonotonic: false },
      }),
    ).toBe('queue_depth');
    expect(name({ name: 'latency', unit: 'ms', gauge: points })).toBe('latency_milliseconds');
    expect(name({ name: 'throughput', unit: 'By/s', gauge: points })).toBe('throughput_bytes_per_second');
    expect(name({ name: 'wait_seconds', unit: 's', gauge: points })).toBe('wait_seconds');
    expect(one({ name: 'delta', sum: { ...points, aggregationTemporality: 1, isMonotonic: true } })).toEqual(
      [],
    );
  });

  it('histograms: cumulative _bucket with le (+Inf = count), _sum, _count; attributes as labels, colliding keys joined', () => {
    const series = one({
      name: 'ttfb',
      unit: 's',
      histogram: {
        aggregationTemporality: 2,
        dataPoints: [
          {
            timeUnixNano: at,
            attributes: [
              { key: 'a.b', value: { stringValue: 'x' } },
              { key: 'a_b', value: { intValue: '7' } },
            ],
            count: '5',
            sum: 2.5,
            bucketCounts: ['1', '3', '1'],
            explicitBounds: [0.01, 0.02],
          },
        ],
      },
    });
    expect(series.map((s) => [s.labels.__name__, s.labels.le, s.samples[0]?.value])).toEqual([
      ['ttfb_seconds_count', undefined, 5],
      ['ttfb_seconds_sum', undefined, 2.5],
      ['ttfb_seconds_bucket', '0.01', 1],
      ['ttfb_seconds_bucket', '0.02', 4],
      ['ttfb_seconds_bucket', '+Inf', 5],
    ]);
    expect(series[0]?.labels.a_b).toBe('x;7');
  });
});
