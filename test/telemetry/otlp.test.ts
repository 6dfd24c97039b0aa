import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { installInterception, uninstallInterception } from '../../src/intercept/index.js';
import { configureRegistry } from '../../src/providers/global-registry.js';
import { ATTR, METRICS } from '../../src/telemetry/metric-names.js';
import { startTelemetry, type TelemetryHandle } from '../../src/telemetry/otel-setup.js';
import { recordRejectedSpan } from '../../src/telemetry/tracing/rejected-span.js';
import { TRANSITION_EVENT_NAME } from '../../src/telemetry/tracing/transition-events.js';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.js';
import { freePort } from './support.js';

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
}
interface OtlpSpan {
  name: string;
  attributes: { key: string; value: OtlpValue }[];
  status?: { code?: number };
  events?: { name: string }[];
}

let receiver: OtlpReceiver;
const received = () => receiver.exports;

function spans(): OtlpSpan[] {
  return received()
    .filter((r) => r.path === '/v1/traces')
    .flatMap((r) =>
      (r.body as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans.flatMap((rs) =>
        rs.scopeSpans.flatMap((ss) => ss.spans),
      ),
    );
}
function metricNames(): Set<string> {
  const names = received()
    .filter((r) => r.path === '/v1/metrics')
    .flatMap((r) =>
      (
        r.body as { resourceMetrics: { scopeMetrics: { metrics: { name: string }[] }[] }[] }
      ).resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.name))),
    );
  return new Set(names);
}
function attr(span: OtlpSpan, key: string): string | number | undefined {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
}
/** Waits for exports (every 300 ms here); `ms` only ends the wait, so it is generous. */
async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for OTLP exports');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let handle: TelemetryHandle;
// The process-wide registry, with interception: span outcomes are the gate's classifications.
const registry = configureRegistry({ server: false });

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  installInterception();
  // The OTLP exporters read their endpoint from the process environment, as under the SDK; the
  // protocol is the default, http/protobuf, decoded by the receiver.
  vi.stubEnv('OTEL_METRICS_EXPORTER', 'otlp');
  vi.stubEnv('OTEL_TRACES_EXPORTER', 'otlp');
  vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.url);
  vi.stubEnv('OTEL_METRIC_EXPORT_INTERVAL', '300');
  vi.stubEnv('OTEL_SERVICE_NAME', 'otlp-test');
  handle = startTelemetry(registry, process.env);
  await handle.ready;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  uninstallInterception();
  await handle.shutdown(2_000);
  await receiver.close();
});

describe('OTLP export (http/protobuf, the default) from the private pipeline', () => {
  it('exports every contract metric name', async () => {
    expect(handle.metricsMode).toBe('private');
    expect(handle.prometheusHandler).toBeUndefined();
    const openai = registry.getOrCreateProvider('openai');
    openai.record(openai.admit(), 'success', 200, 10, 5);
    for (let i = 0; i < 5; i++) openai.record(openai.admit(), 'provider_error', 500, 10, 5);
    await until(() => metricNames().has(METRICS.circuitTransitions.otelName));
    for (const key of [
      'requests',
      'requestDuration',
      'timeToFirstByte',
      'circuitState',
      'health',
      'up',
    ] as const)
      expect(metricNames()).toContain(METRICS[key].otelName);
  });

  it('exports provider-enriched http and fetch spans, the rejected span and a transition span', async () => {
    expect(handle.tracesMode).toBe('private');
    const upstream = createServer((request, response) => {
      response.statusCode = request.url === '/overloaded' ? 529 : 200;
      response.end('{}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as { port: number }).port;
    registry.addHost('anthropic', `127.0.0.1:${port}`);
    const http = createRequire(import.meta.url)('node:http') as typeof import('node:http');
    await new Promise<void>((resolve, reject) =>
      http
        .get(`http://127.0.0.1:${port}/overloaded`, (response) => {
          response.resume();
          response.on('end', resolve);
        })
        .on('error', reject),
    );
    await (await fetch(`http://127.0.0.1:${port}/v1/messages`)).text();
    const closed = await freePort();
    registry.addHost('mistral_ai', `127.0.0.1:${closed}`);
    await expect(fetch(`http://127.0.0.1:${closed}/v1/chat`)).rejects.toThrow();
    const openai = registry.getOrCreateProvider('openai');
    recordRejectedSpan(openai, 'POST', 'https://api.openai.com/v1/chat/completions?key=secret');
    await new Promise((resolve) => upstream.close(resolve));

    await handle.shutdown(3_000); // flushes the batch processor
    const all = spans();
    const httpSpan = all.find((s) => attr(s, 'http.response.status_code') === 529);
    expect(httpSpan).toBeDefined();
    expect(attr(httpSpan as OtlpSpan, ATTR.provider)).toBe('anthropic');
    expect(attr(httpSpan as OtlpSpan, ATTR.outcome)).toBe('provider_error');
    expect(attr(httpSpan as OtlpSpan, ATTR.circuitState)).toBe('closed');
    const fetchSpan = all.find(
      (s) =>
        attr(s, 'url.path') === '/v1/messages' || attr(s, 'url.full')?.toString().endsWith('/v1/messages'),
    );
    expect(fetchSpan).toBeDefined();
    expect(attr(fetchSpan as OtlpSpan, ATTR.outcome)).toBe('success');
    const failed = all.find((s) => attr(s, ATTR.provider) === 'mistral_ai');
    expect(failed).toBeDefined();
    expect(attr(failed as OtlpSpan, ATTR.outcome)).toBe('connection_error');
    const rejected = all.find((s) => attr(s, ATTR.outcome) === 'rejected');
    expect(rejected?.status?.code).toBe(2);
    expect(attr(rejected as OtlpSpan, 'url.full')).toBe('https://api.openai.com/v1/chat/completions');
    expect(attr(rejected as OtlpSpan, 'http.response.status_code')).toBeUndefined();
    expect(attr(rejected as OtlpSpan, ATTR.circuitState)).toBe('open');
    const transition = all.find((s) => s.name === TRANSITION_EVENT_NAME);
    expect(transition?.events?.[0]?.name).toBe(TRANSITION_EVENT_NAME);
    expect(attr(transition as OtlpSpan, ATTR.circuitTo)).toBe('open');
    // Requests that are not to a provider (the OTLP exports themselves) are never traced.
    expect(all.every((s) => attr(s, 'server.port') !== receiver.port)).toBe(true);
  });
});
