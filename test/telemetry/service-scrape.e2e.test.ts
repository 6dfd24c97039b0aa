import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';
import { prometheusName } from '../../src/telemetry/metric-names.js';
import { fetchWhenListening, freePort } from './support.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

function promtoolCheckMetrics(exposition: string): void {
  const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((path) => existsSync(path));
  if (promtool === undefined) {
    throw new Error(
      'promtool is required: as root run `apt-get install -y prometheus` (Debian), or `bash .ci/run`',
    );
  }
  // Throws with promtool's complaints on a malformed exposition, a name collision or a naming-rule break.
  execFileSync(promtool, ['check', 'metrics'], { input: exposition, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Starts the service, waits for its "ready" line, and returns a stop function. */
async function startService(preloads: string[], env: Record<string, string>): Promise<() => void> {
  const child = spawn(process.execPath, [...preloads, `${FIXTURES}scrape-app.mjs`], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service not ready in 60 s:\n${stderr}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`service exited ${String(code)}:\n${stderr}`)));
  });
  return () => child.kill('SIGKILL');
}

async function scrape(url: string): Promise<string> {
  const response = await fetchWhenListening(url);
  expect(response.status).toBe(200);
  return response.text();
}

let fake: FakeProvider;
const stops: Array<() => void> = [];

beforeAll(async () => {
  fake = await startFakeProvider({ flavor: 'openai' });
});
afterAll(async () => {
  for (const stop of stops) stop();
  await fake.close();
});

describe('a real scrape of a service using the plugin', () => {
  const expectProviderSeries = (text: string): void => {
    expect(text).toMatch(
      new RegExp(`^${prometheusName('requests')}\\{[^}]*ai_provider_outcome="rejected"`, 'm'),
    );
    expect(text).toMatch(
      new RegExp(`^${prometheusName('circuitState')}\\{[^}]*ai_provider_circuit_state="open"[^}]*\\} 1`, 'm'),
    );
    expect(text).toContain(`${prometheusName('requestDuration')}{`);
  };

  it('passes promtool check metrics, on the exporter port and on the health server /metrics', async () => {
    fake.reset();
    fake.script(Array.from({ length: 6 }, () => ({ kind: 'ok' as const })));
    fake.setDefault({ status: 500 });
    const [metricsPort, healthPort] = [await freePort(), await freePort()];
    stops.push(
      await startService(['--require', 'provider-health/register'], {
        FAKE_URL: fake.url,
        PROVIDER_HEALTH_PROVIDERS: `openai=${new URL(fake.url).host}`,
        PROVIDER_HEALTH_SERVER: `127.0.0.1:${healthPort}`,
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      }),
    );
    const exporter = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    expectProviderSeries(exporter);
    promtoolCheckMetrics(exporter);
    const viaHealthServer = await scrape(`http://127.0.0.1:${healthPort}/metrics`);
    expectProviderSeries(viaHealthServer);
    promtoolCheckMetrics(viaHealthServer);
  }, 60_000);

  it('passes with the service own sdk-node, Prometheus exporter and instrumentation-http in one exposition', async () => {
    fake.reset();
    fake.script(Array.from({ length: 6 }, () => ({ kind: 'ok' as const })));
    fake.setDefault({ status: 500 });
    const servicePort = await freePort();
    stops.push(
      await startService(
        ['--require', 'provider-health/register', '--require', `${FIXTURES}service-prometheus.cjs`],
        {
          FAKE_URL: fake.url,
          PROVIDER_HEALTH_PROVIDERS: `openai=${new URL(fake.url).host}`,
          PROVIDER_HEALTH_SERVER: 'off',
          SERVICE_PROMETHEUS_PORT: String(servicePort),
        },
      ),
    );
    const text = await scrape(`http://127.0.0.1:${servicePort}/metrics`);
    expectProviderSeries(text);
    // instrumentation-http's own client metric shares the exposition without a collision.
    expect(text).toMatch(
      /^http_client_request_duration_count\{[^}]*otel_scope_name="@opentelemetry\/instrumentation-http"/m,
    );
    promtoolCheckMetrics(text);
  }, 60_000);
});
