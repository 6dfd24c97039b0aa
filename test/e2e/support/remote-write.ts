/**
 * Prometheus remote write (protocol 1.0): a snappy-compressed protobuf WriteRequest POSTed to
 * Prometheus' receiver (`--web.enable-remote-write-receiver`, /api/v1/write).
 */
import protobuf from 'protobufjs';
import { compress } from 'snappyjs';
import type { PromSeries } from './otlp-to-prometheus.js';

/** prometheus/prompb's WriteRequest, as far as a sample-only writer needs it. */
const WriteRequest = protobuf.Root.fromJSON({
  nested: {
    WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
    TimeSeries: {
      fields: {
        labels: { rule: 'repeated', type: 'Label', id: 1 },
        samples: { rule: 'repeated', type: 'Sample', id: 2 },
      },
    },
    Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
  },
}).lookupType('WriteRequest');

export function encodeWriteRequest(series: readonly PromSeries[]): Uint8Array {
  const message = WriteRequest.create({
    timeseries: series.map(({ labels, samples }) => ({
      // The protocol wants labels sorted by name.
      labels: Object.entries(labels)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => ({ name, value })),
      samples: samples.map(({ value, timestampMs }) => ({ value, timestamp: timestampMs })),
    })),
  });
  return compress(WriteRequest.encode(message).finish());
}

export async function remoteWrite(url: string, series: readonly PromSeries[]): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body: new Uint8Array(encodeWriteRequest(series)),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok)
    throw new Error(`remote write to ${url}: HTTP ${response.status} ${await response.text()}`);
}
