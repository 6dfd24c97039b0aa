import { createRequire } from 'node:module';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';
import { installInterception, uninstallInterception } from '../../src/intercept/index.js';
import { configureRegistry } from '../../src/providers/global-registry.js';
import type { ProviderRegistry } from '../../src/providers/registry.js';
import { ATTR } from '../../src/telemetry/metric-names.js';
import { httpInstrumentationConfig } from '../../src/telemetry/tracing/http-hooks.js';
import { ProviderSpanProcessor } from '../../src/telemetry/tracing/provider-span-processor.js';
import { addSpanProcessor } from '../../src/telemetry/tracing/tracer-provider-processors.js';
import { undiciInstrumentationConfig } from '../../src/telemetry/tracing/undici-hooks.js';

/**
 * A span's `ai_provider.outcome` is the request's one classification, the same the metric and
 * the breaker got: with a provider's status rule and with a body only the classifier reads
 * (a 429 whose body says insufficient_quota), on fetch and on node:http alike.
 */
let fake: FakeProvider;
let registry: ProviderRegistry;
const exporter = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let instrumentations: Array<UndiciInstrumentation | HttpInstrumentation> = [];
let http: typeof import('node:http');

beforeAll(async () => {
  fake = await startFakeProvider({ flavor: 'openai' });
  registry = configureRegistry({
    providers: {
      openai: { hosts: [new URL(fake.url).host], outcomes: { status: { '418': 'provider_error' } } },
    },
    failureThreshold: 1000,
    server: false,
  });
  installInterception();
  // As the plugin does with a service's TracerProvider built elsewhere (an SDK 2.x one here).
  expect(addSpanProcessor(tracerProvider, new ProviderSpanProcessor(registry))).toBe(true);
  instrumentations = [
    new UndiciInstrumentation(undiciInstrumentationConfig(registry, { providersOnly: true })),
    new HttpInstrumentation(httpInstrumentationConfig(registry, { providersOnly: true })),
  ];
  for (const instrumentation of instrumentations) instrumentation.setTracerProvider(tracerProvider);
  // instrumentation-http patches node:http when it is required after the instrumentation exists.
  http = createRequire(import.meta.url)('node:http');
});

afterAll(async () => {
  for (const instrumentation of instrumentations) instrumentation.disable();
  uninstallInterception();
  await tracerProvider.shutdown();
  await fake.close();
});

/** Outcomes the metric counted (the provider's own record events), in order. */
function recordedOutcomes(run: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const off = registry.events.on('record', (_provider, request) => {
    seen.push(request.outcome);
  });
  return run().then(
    () => {
      off();
      return seen;
    },
    (error: unknown) => {
      off();
      throw error;
    },
  );
}

function viaFetch(): Promise<void> {
  return fetch(`${fake.url}/v1/chat/completions`, { method: 'POST', body: '{}' }).then((response) =>
    response.text().then(() => undefined),
  );
}

function viaHttp(): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${fake.url}/v1/chat/completions`, { method: 'POST' }, (response) => {
      response.resume();
      response.on('end', () => resolve());
    });
    request.on('error', reject);
    request.end('{}');
  });
}

function lastSpanOutcome(): unknown {
  const spans = exporter.getFinishedSpans();
  return spans.at(-1)?.attributes[ATTR.outcome];
}

describe('a span carries the outcome the metric counted', () => {
  it.each([
    ['fetch', viaFetch],
    ['node:http', viaHttp],
  ])('%s: a status rule (418 is a provider_error for this provider)', async (_client, call) => {
    exporter.reset();
    fake.script([{ status: 418, message: 'I am a teapot' }]);
    const outcomes = await recordedOutcomes(call);
    await tracerProvider.forceFlush();
    expect(outcomes).toEqual(['provider_error']);
    expect(lastSpanOutcome()).toBe('provider_error');
    expect(exporter.getFinishedSpans().at(-1)?.attributes[ATTR.provider]).toBe('openai');
  });

  it.each([
    ['fetch', viaFetch],
    ['node:http', viaHttp],
  ])('%s: a 429 whose body says insufficient_quota', async (_client, call) => {
    exporter.reset();
    fake.script([{ status: 429, type: 'insufficient_quota', message: 'You exceeded your current quota' }]);
    const outcomes = await recordedOutcomes(call);
    await tracerProvider.forceFlush();
    expect(outcomes).toEqual(['quota_exhausted']);
    expect(lastSpanOutcome()).toBe('quota_exhausted');
  });

  it('a plain success', async () => {
    exporter.reset();
    const outcomes = await recordedOutcomes(viaFetch);
    await tracerProvider.forceFlush();
    expect(outcomes).toEqual(['success']);
    expect(lastSpanOutcome()).toBe('success');
  });
});
