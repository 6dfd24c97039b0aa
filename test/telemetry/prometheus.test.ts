import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { ATTR, METRICS, prometheusLabel, prometheusName } from '../../src/telemetry/metric-names.js';
import { createProviderInstruments } from '../../src/telemetry/metrics/instruments.js';
import { startTelemetry, type TelemetryHandle } from '../../src/telemetry/otel-setup.js';
import { fetchWhenListening, freePort, makeRegistry } from './support.js';

const PROMTOOL_HINT =
  'promtool is required: as root run `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus && (systemctl stop prometheus prometheus-node-exporter || true)`';

function promtoolCheck(exposition: string): void {
  const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((path) => existsSync(path));
  if (promtool === undefined) throw new Error(PROMTOOL_HINT);
  // Throws with promtool's complaints if the exposition is malformed or breaks naming rules.
  execFileSync(promtool, ['check', 'metrics'], { input: exposition, stdio: ['pipe', 'pipe', 'pipe'] });
}

async function scrape(port: number): Promise<string> {
  const response = await fetchWhenListening(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

function drive(registry: ReturnType<typeof makeRegistry>): void {
  const openai = registry.getOrCreateProvider('openai');
  openai.record(openai.admit(), 'success', 200, 250, 80);
  for (let i = 0; i < 5; i++) openai.record(openai.admit(), 'provider_error', 503, 30, 10);
  openai.record(openai.admit(), 'rejected', 503, -1, -1);
}

function expectContractSeries(text: string): void {
  const provider = prometheusLabel(ATTR.provider);
  expect(text).toMatch(
    new RegExp(
      `^${prometheusName('requests')}\\{[^}]*${provider}="openai"[^}]*ai_provider_outcome="success"[^}]*http_response_status_code="200"`,
      'm',
    ),
  );
  const rejected = text.split('\n').find((line) => line.includes('ai_provider_outcome="rejected"'));
  expect(rejected).toBeDefined();
  expect(rejected).not.toContain('http_response_status_code');
  expect(text).toContain(`${prometheusName('requestDuration')}{`);
  expect(text).toContain('le="327.68"');
  expect(text).toContain(`${prometheusName('timeToFirstByte')}{`);
  expect(text).toMatch(
    new RegExp(`^${prometheusName('circuitState')}\\{[^}]*ai_provider_circuit_state="open"[^}]*\\} 1`, 'm'),
  );
  expect(text).toContain(`${prometheusName('circuitTransitions')}{`);
  expect(text).toMatch(
    new RegExp(`^${prometheusName('health')}\\{[^}]*ai_provider_health_status="unavailable"[^}]*\\} 1`, 'm'),
  );
  expect(text).toMatch(new RegExp(`^${prometheusName('up')}\\{[^}]*\\} 0`, 'm'));
  expect(text).not.toMatch(/^ai_provider_\w*_seconds/m);
}

const cleanups: Array<() => Promise<unknown> | undefined> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('Prometheus exposition', () => {
  it('startTelemetry serves the contract names on a loopback port, and promtool accepts them', async () => {
    const registry = makeRegistry();
    const port = await freePort();
    const handle: TelemetryHandle = startTelemetry(registry, {
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
      OTEL_SERVICE_NAME: 'checkout',
    });
    cleanups.push(() => handle.shutdown(2_000));
    await handle.ready;
    expect(handle.metricsMode).toBe('private');
    drive(registry);
    const text = await scrape(port);
    expectContractSeries(text);
    expect(text).toMatch(/^target_info\{[^}]*service_name="checkout"/m);
    promtoolCheck(text);
  });

  it('builds its pipeline at the first scrape when that comes first, with the requests that finished before in the histograms', async () => {
    const registry = makeRegistry();
    const handle = startTelemetry(registry, {
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: 'off',
    });
    cleanups.push(() => handle.shutdown(2_000));
    const openai = registry.getOrCreateProvider('openai');
    for (let i = 0; i < 3; i++) openai.record(openai.admit(), 'success', 200, 40, 10);
    // The metrics SDK is loaded a second after start; a scrape before that builds it at once.
    await new Promise((resolve) => setImmediate(resolve));
    expect(handle.metricsMode).toBe('pending');
    const handler = handle.prometheusHandler;
    expect(handle.metricsMode).toBe('private');
    expect(handler).toBeDefined();
    const server = createHttpServer((request, response) => handler?.(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const text = await scrape((server.address() as { port: number }).port);
    expect(text).toMatch(
      /^ai_provider_request_duration_count\{[^}]*gen_ai_provider_name="openai"[^}]*\} 3$/m,
    );
    expect(text).toMatch(/^ai_provider_time_to_first_byte_count\{[^}]*\} 3$/m);
  });

  it('keeps going when the Prometheus port is taken, and serves /metrics through the handle', async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const taken = (blocker.address() as { port: number }).port;
    const registry = makeRegistry();
    const handle = startTelemetry(registry, {
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(taken),
    });
    cleanups.push(() => handle.shutdown(2_000));
    await handle.ready;
    drive(registry);
    const handler = handle.prometheusHandler;
    expect(handler).toBeDefined();
    const health: Server = createHttpServer((request, response) => handler?.(request, response));
    await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => health.close(resolve)));
    const text = await scrape((health.address() as { port: number }).port);
    expectContractSeries(text);
    promtoolCheck(text);
  });

  it('stays valid with instrumentation-http recording http.client.request.duration next to ours', async () => {
    const registry = makeRegistry();
    const exporterPort = await freePort();
    const exporter = new PrometheusExporter({ host: '127.0.0.1', port: exporterPort });
    const meterProvider = new MeterProvider({ readers: [exporter] });
    cleanups.push(() => meterProvider.shutdown());
    createProviderInstruments(meterProvider.getMeter('provider-health'), registry);
    const instrumentation = new HttpInstrumentation();
    instrumentation.setMeterProvider(meterProvider);
    cleanups.push(async () => instrumentation.disable());
    // Through require(): instrumentation-http patches the CommonJS module object.
    const http = createRequire(import.meta.url)('node:http') as typeof import('node:http');
    const upstream = http.createServer((_request, response) => response.end('{}'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => upstream.close(resolve)));
    const upstreamPort = (upstream.address() as { port: number }).port;
    registry.addHost('openai', `127.0.0.1:${upstreamPort}`);
    await new Promise<void>((resolve, reject) => {
      http
        .get(`http://127.0.0.1:${upstreamPort}/v1/models`, (response) => {
          response.resume();
          response.on('end', resolve);
        })
        .on('error', reject);
    });
    drive(registry);
    await exporter.startServer();
    const text = await scrape(exporterPort);
    expect(text).toContain('http_client_request_duration');
    expectContractSeries(text);
    expect(text.match(/^# TYPE ai_provider_request_duration /gm)).toHaveLength(1);
    promtoolCheck(text);
    expect(METRICS.requestDuration.otelName).not.toBe('http.client.request.duration');
  });
});
