import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';
import { ATTR, METRICS, type MetricDefinition } from '../../src/telemetry/metric-names.js';
import { assertBuilt } from '../intercept/support/child-session.js';
import { childOutput, isListening } from '../support/child-output.js';
import { attr, OtlpReceiver, type Protocol } from '../support/otlp-receiver.js';
import { freePort } from './support.js';

/**
 * The standard OTEL_* variables, end to end: a service started with `--require
 * provider-health/register` and no OpenTelemetry setup of its own exports to a real receiver on
 * loopback over each OTLP protocol, chosen as the OpenTelemetry SDK chooses it.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const APP = fileURLToPath(new URL('./fixtures/otlp-app.cjs', import.meta.url));
const VERSION = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version;
const UNDICI_SCOPE = '@opentelemetry/instrumentation-undici';
const HTTP_SCOPE = '@opentelemetry/instrumentation-http';

let fake: FakeProvider;
let receiver: OtlpReceiver;

interface AppReport {
  state: string;
  rejectedStatus: number;
  rejectedBy: string | null;
  loaded: string[];
}
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  report: AppReport;
  prometheusPort: number;
}

beforeAll(async () => {
  assertBuilt();
  fake = await startFakeProvider({ flavor: 'openai' });
  receiver = await OtlpReceiver.start();
});
afterAll(async () => {
  await fake?.close();
  await receiver?.close();
});
beforeEach(() => {
  receiver.clear();
  fake.reset();
  // The two first-line requests succeed; every later one fails until the circuit opens.
  fake.script([{ kind: 'ok' }, { kind: 'ok' }]);
  fake.setDefault({ status: 500 });
});

async function runApp(env: Record<string, string>): Promise<Run> {
  const prometheusPort = await freePort();
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(PROVIDER_HEALTH_|OTEL_)/.test(key) && key !== 'NODE_OPTIONS') base[key] = value;
  const child = spawn(process.execPath, ['--require', 'provider-health/register', APP], {
    cwd: ROOT,
    env: {
      ...base,
      FAKE_URL: fake.url,
      PROVIDER_HEALTH_PROVIDERS: `openai=${new URL(fake.url).host}`,
      PROVIDER_HEALTH_SERVER: 'off',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(prometheusPort),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { code, stdout, stderr } = await childOutput(child);
  const line = /^\{"state".*$/m.exec(stdout)?.[0];
  if (line === undefined) throw new Error(`the app printed no report (exit ${code}): ${stderr}`);
  return { code, stdout, stderr, report: JSON.parse(line) as AppReport, prometheusPort };
}

/** What every run must show: the breaker did its work, whatever the telemetry settings. */
function expectBreakerWorked(run: Run): void {
  expect(run.code, run.stderr).toBe(0);
  expect(run.report.state).toBe('open');
  expect(run.report.rejectedStatus).toBe(400); // the local reply (docs/design.md, "Rejecting while open")
  expect(run.report.rejectedBy).toBe('circuit-open');
}

/** Everything the contract promises arrived, over `protocol` only. */
async function expectFullExport(protocol: Protocol): Promise<void> {
  await receiver.until(
    () => receiver.metricNames().has(METRICS.circuitTransitions.otelName) && receiver.spans().length > 0,
    'metrics and spans',
  );
  expect(new Set(receiver.exports.map((e) => e.protocol))).toEqual(new Set([protocol]));
  // Rate limits, usage, prices, budgets and a fleet: the app sends no such headers or configuration here.
  for (const def of Object.values(METRICS) as MetricDefinition[])
    if (!def.otelName.startsWith('ai_provider.ratelimit') && def.needs === undefined)
      expect(receiver.metricNames()).toContain(def.otelName);
  // The requests of the app's first line, before the event loop turned once, have their spans.
  const firstFetch = receiver
    .spans(UNDICI_SCOPE)
    .filter((s) => attr(s.attributes, ATTR.outcome) === 'success');
  const firstHttp = receiver.spans(HTTP_SCOPE).filter((s) => attr(s.attributes, ATTR.outcome) === 'success');
  expect(firstFetch).toHaveLength(1);
  expect(firstHttp).toHaveLength(1);
  expect(attr(firstFetch[0]?.attributes, ATTR.provider)).toBe('openai');
  const failed = receiver
    .spans(UNDICI_SCOPE)
    .filter((s) => attr(s.attributes, ATTR.outcome) === 'provider_error');
  expect(failed).toHaveLength(5);
  const rejected = receiver
    .spans('provider-health')
    .filter((s) => attr(s.attributes, ATTR.outcome) === 'rejected');
  expect(rejected).toHaveLength(1);
  expect(rejected[0]?.status?.code).toBe(2);
}

describe('OTLP export chosen by the standard variables', () => {
  it('an OTLP endpoint and nothing else: metrics and spans over http/protobuf, detected resource, versioned scope, no Prometheus port', async () => {
    const run = await runApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      OTEL_SERVICE_NAME: 'otlp-app',
    });
    expectBreakerWorked(run);
    await expectFullExport('http/protobuf');
    expect(new Set(receiver.exports.map((e) => e.path))).toEqual(new Set(['/v1/metrics', '/v1/traces']));
    expect(await isListening(run.prometheusPort)).toBe(false);
    for (const signal of ['metrics', 'traces'] as const) {
      for (const resource of receiver.resources(signal)) {
        expect(attr(resource, 'service.name')).toBe('otlp-app');
        expect(attr(resource, 'service.instance.id')).toMatch(/^[0-9a-f-]{36}$/);
        expect(attr(resource, 'host.name')).toEqual(expect.any(String));
        expect(attr(resource, 'process.pid')).toEqual(expect.any(Number));
      }
    }
    expect(receiver.scopes('metrics')).toContainEqual({ name: 'provider-health', version: VERSION });
    expect(receiver.scopes('traces')).toContainEqual({ name: 'provider-health', version: VERSION });
    // Only the chosen exporter was loaded (the spans' at start-up; the metrics' later, at exit here).
    expect(run.report.loaded).toContain('@opentelemetry/exporter-trace-otlp-proto');
    expect(run.report.loaded).not.toContain('@opentelemetry/exporter-trace-otlp-http');
    expect(run.report.loaded).not.toContain('@opentelemetry/exporter-prometheus');
    expect(run.report.loaded).not.toContain('@grpc/grpc-js');
    expect(run.report.loaded).not.toContain('yaml');
    expect(run.report.loaded).not.toContain('ws');
  }, 60_000);

  it('http/json, with the shared headers and the traces’ own', async () => {
    const run = await runApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-team=ai%20platform,authorization=Bearer%20t0k3n',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=tracing',
    });
    expectBreakerWorked(run);
    await expectFullExport('http/json');
    for (const entry of receiver.of('metrics')) {
      expect(entry.headers['x-team']).toBe('ai platform');
      expect(entry.headers.authorization).toBe('Bearer t0k3n');
    }
    for (const entry of receiver.of('traces')) {
      expect(entry.headers['x-team']).toBe('tracing');
      expect(entry.headers.authorization).toBe('Bearer t0k3n');
    }
    expect(run.report.loaded).toContain('@opentelemetry/exporter-trace-otlp-http');
    expect(run.report.loaded).not.toContain('@opentelemetry/exporter-trace-otlp-proto');
  }, 60_000);

  it('grpc, with headers as metadata', async () => {
    const run = await runApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-team=grpc',
    });
    expectBreakerWorked(run);
    await expectFullExport('grpc');
    expect(new Set(receiver.exports.map((e) => e.path))).toEqual(
      new Set([
        '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
        '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      ]),
    );
    for (const entry of receiver.exports) expect(entry.headers['x-team']).toBe('grpc');
    expect(run.report.loaded).toContain('@grpc/grpc-js');
  }, 60_000);

  it('per signal: metrics as http/json to their own URL, traces over grpc', async () => {
    const run = await runApp({
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.httpUrl}/collector/metrics`,
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.grpcUrl,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
    });
    expectBreakerWorked(run);
    await receiver.until(
      () => receiver.of('metrics').length > 0 && receiver.spans().length > 0,
      'both signals',
    );
    expect(new Set(receiver.of('metrics').map((e) => `${e.protocol} ${e.path}`))).toEqual(
      new Set(['http/json /collector/metrics']),
    );
    expect(new Set(receiver.of('traces').map((e) => e.protocol))).toEqual(new Set(['grpc']));
  }, 60_000);
});

describe('when telemetry is not wanted, or wanted elsewhere', () => {
  it('OTEL_SDK_DISABLED=true: nothing exported, no port, no OpenTelemetry package loaded; the breaker still works', async () => {
    const run = await runApp({
      OTEL_SDK_DISABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      OTEL_METRICS_EXPORTER: 'otlp,prometheus',
      OTEL_TRACES_EXPORTER: 'otlp',
    });
    expectBreakerWorked(run);
    // The process has exited (and would have flushed at exit): nothing can still arrive.
    expect(receiver.exports).toEqual([]);
    expect(await isListening(run.prometheusPort)).toBe(false);
    expect(run.report.loaded).toEqual([]);
    expect(run.stderr).toContain('circuit closed -> open for provider openai');
  }, 60_000);

  it('console exporters print the metrics and the provider spans on stdout', async () => {
    const run = await runApp({ OTEL_METRICS_EXPORTER: 'console', OTEL_TRACES_EXPORTER: 'console' });
    expectBreakerWorked(run);
    expect(run.stdout).toContain(METRICS.requests.otelName);
    expect(run.stdout).toContain(METRICS.circuitState.otelName);
    expect(run.stdout).toMatch(/'gen_ai\.provider\.name': 'openai'/);
    expect(run.stdout).toMatch(/'ai_provider\.outcome': 'rejected'/);
    expect(await isListening(run.prometheusPort)).toBe(false);
    expect(receiver.exports).toEqual([]);
  }, 60_000);

  it('no OTEL_* at all: Prometheus only; no trace SDK, instrumentation or OTLP exporter is loaded', async () => {
    const run = await runApp({});
    expectBreakerWorked(run);
    for (const name of run.report.loaded) expect(name).not.toMatch(/sdk-trace|instrumentation|otlp|grpc/);
    expect(receiver.exports).toEqual([]);
  }, 60_000);
});
