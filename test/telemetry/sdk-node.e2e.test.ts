import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';
import { ATTR, METRICS, type MetricDefinition } from '../../src/telemetry/metric-names.js';
import { type ChildOutput, childOutput, isListening } from '../support/child-output.js';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.js';
import { freePort } from './support.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number };
}
interface OtlpSpan {
  name: string;
  attributes: OtlpAttribute[];
  status?: { code?: number };
}

let fake: FakeProvider;
let receiver: OtlpReceiver;
let endpoint = '';
const exported = () => receiver.exports as readonly { path: string; body: Record<string, unknown> }[];

beforeAll(async () => {
  fake = await startFakeProvider({ flavor: 'openai' });
  receiver = await startOtlpReceiver();
  endpoint = receiver.url;
});

afterAll(async () => {
  await fake.close();
  await receiver.close();
});

function runService(
  env: Record<string, string>,
  ownSdk: boolean | 'auto-instrumentations' = true,
): Promise<ChildOutput> {
  const sdk =
    ownSdk === 'auto-instrumentations'
      ? ['--require', '@opentelemetry/auto-instrumentations-node/register']
      : ownSdk
        ? ['--require', `${FIXTURES}service-tracing.cjs`]
        : [];
  const child = spawn(
    process.execPath,
    ['--require', 'provider-health/register', ...sdk, `${FIXTURES}service-app.mjs`],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return childOutput(child);
}

function metricNamesPerExport(): string[][] {
  return exported()
    .filter((e) => e.path === '/v1/metrics')
    .map((e) =>
      (e.body.resourceMetrics as { scopeMetrics: { metrics: { name: string }[] }[] }[]).flatMap((rm) =>
        rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.name)),
      ),
    );
}

function spans(): OtlpSpan[] {
  return exported()
    .filter((e) => e.path === '/v1/traces')
    .flatMap((e) =>
      (e.body.resourceSpans as { scopeSpans: { spans: OtlpSpan[] }[] }[]).flatMap((rs) =>
        rs.scopeSpans.flatMap((ss) => ss.spans),
      ),
    );
}

const attr = (span: OtlpSpan, key: string): string | number | undefined => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

describe('a service with its own @opentelemetry/sdk-node', () => {
  it('beside auto-instrumentations-node, with no code change, its provider client spans carry provider, circuit and outcome', async () => {
    receiver.clear();
    fake.reset();
    fake.script([{ kind: 'ok' }, { kind: 'ok' }, { kind: 'ok' }]);
    fake.setDefault({ status: 500 });
    const run = await runService(
      {
        FAKE_URL: fake.url,
        PROVIDER_HEALTH_PROVIDERS: `openai=${new URL(fake.url).host}`,
        PROVIDER_HEALTH_SERVER: 'off',
        OTEL_SERVICE_NAME: 'service-with-auto-instrumentations',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        // Loopback only: no cloud metadata lookups.
        OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,undici',
      },
      'auto-instrumentations',
    );
    expect(run.code, run.stderr).toBe(0);
    const client = spans().filter(
      (s) => attr(s, 'http.request.method') === 'POST' && attr(s, 'server.port') !== undefined,
    );
    expect(client.length).toBeGreaterThanOrEqual(8);
    expect(client.every((s) => attr(s, ATTR.provider) === 'openai')).toBe(true);
    expect(client.every((s) => attr(s, ATTR.circuitState) !== undefined)).toBe(true);
    const outcomes = client.map((s) => attr(s, ATTR.outcome));
    expect(outcomes.filter((o) => o === 'success')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'provider_error')).toHaveLength(5);
  }, 60_000);

  it('gets one set of provider metrics in its own MeterProvider, no second registration, and enriched spans', async () => {
    receiver.clear();
    fake.reset();
    fake.script([{ kind: 'ok' }, { kind: 'ok' }, { kind: 'ok' }]);
    fake.setDefault({ status: 500 });
    const pluginPrometheusPort = await freePort();
    const run = await runService({
      FAKE_URL: fake.url,
      SERVICE_OTLP_ENDPOINT: endpoint,
      PROVIDER_HEALTH_PROVIDERS: `openai=${new URL(fake.url).host}`,
      PROVIDER_HEALTH_SERVER: 'off',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(pluginPrometheusPort),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({ state: 'open' });
    expect(run.stderr).not.toMatch(/duplicate registration/i);
    // The plugin used the service's provider, so it never opened its own Prometheus port.
    expect(await isListening(pluginPrometheusPort)).toBe(false);

    const exports = metricNamesPerExport();
    expect(exports.length).toBeGreaterThan(0);
    const last = exports.at(-1) ?? [];
    for (const def of Object.values(METRICS) as MetricDefinition[]) {
      // The fake sends no rate-limit headers here, and the service configures no prices or budget.
      if (def.otelName.startsWith('ai_provider.ratelimit') || def.needs !== undefined) continue;
      // Exactly once per export: one set of metrics, not one per MeterProvider.
      expect(
        last.filter((name) => name === def.otelName),
        def.otelName,
      ).toHaveLength(1);
    }

    const all = spans();
    const client = all.filter(
      (s) => attr(s, ATTR.provider) === 'openai' && attr(s, 'http.request.method') === 'POST',
    );
    const outcomes = client.map((s) => attr(s, ATTR.outcome));
    expect(outcomes).toContain('success');
    expect(outcomes).toContain('provider_error');
    expect(client.every((s) => attr(s, ATTR.circuitState) !== undefined)).toBe(true);
    const rejected = all.filter((s) => attr(s, ATTR.outcome) === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.status?.code).toBe(2); // ERROR
    expect(attr(rejected[0] as OtlpSpan, ATTR.statusCode)).toBeUndefined();
  }, 60_000);

  it('without one, exports through its own OTLP exporters from the standard OTEL_* variables', async () => {
    receiver.clear();
    fake.reset();
    fake.script([{ kind: 'ok' }, { kind: 'ok' }, { kind: 'ok' }]);
    fake.setDefault({ status: 500 });
    const run = await runService(
      {
        FAKE_URL: fake.url,
        PROVIDER_HEALTH_PROVIDERS: `openai=${new URL(fake.url).host}`,
        PROVIDER_HEALTH_SERVER: 'off',
        OTEL_SERVICE_NAME: 'service-without-sdk',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        // This receiver reads JSON; the default, http/protobuf, is covered in otlp-protocols.test.ts.
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_METRIC_EXPORT_INTERVAL: '300',
      },
      false,
    );
    expect(run.code, run.stderr).toBe(0);
    const names = new Set(metricNamesPerExport().flat());
    for (const def of Object.values(METRICS) as MetricDefinition[]) {
      if (!def.otelName.startsWith('ai_provider.ratelimit') && def.needs === undefined)
        expect(names, def.otelName).toContain(def.otelName);
    }
    const resources = exported().flatMap((e) =>
      (
        (e.body.resourceMetrics ?? e.body.resourceSpans) as { resource: { attributes: OtlpAttribute[] } }[]
      ).map((r) => r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue),
    );
    expect(new Set(resources)).toEqual(new Set(['service-without-sdk']));
    const outcomes = spans()
      .filter((s) => attr(s, ATTR.provider) === 'openai')
      .map((s) => attr(s, ATTR.outcome));
    expect(outcomes).toEqual(expect.arrayContaining(['success', 'provider_error', 'rejected']));
  }, 60_000);
});
