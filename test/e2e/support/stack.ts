/**
 * Starts the whole end-to-end stack on loopback, every port free and chosen at run time:
 * three fake providers, two instances of the service (the plugin preloaded, its Prometheus
 * exporter on), Alertmanager, Prometheus, and the webhook receiver. Everything started is
 * registered for `close()` at once, so a failure half-way still tears down what exists.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeProvider, startFakeProvider } from '../../../fake-provider/index.js';
import { ROOT } from '../../mixin/dashboards/load.js';
import { requireBinary } from './binaries.js';
import { alertmanagerConfig, prometheusConfig, testRules } from './configs.js';
import { ManagedProcess } from './process.js';
import { type PrometheusApi, prometheusApi } from './prometheus-api.js';
import { freePort, waitFor } from './wait.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook.js';

export const RECOVERY_TIMEOUT = '2s';
export const SERVICE_NAME = 'e2e-chat';
const REQUEST_INTERVAL_MS = 100;
const START_TIMEOUT_MS = 30_000;

/** OpenAI-style headroom headers on every healthy answer, so the rate-limit panels have data. */
export const OPENAI_OK = {
  kind: 'ok',
  headers: {
    'x-ratelimit-limit-requests': '500',
    'x-ratelimit-remaining-requests': '420',
    'x-ratelimit-limit-tokens': '30000',
    'x-ratelimit-remaining-tokens': '21000',
  },
} as const;

const ANTHROPIC_OK = {
  kind: 'ok',
  headers: {
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '45',
    'anthropic-ratelimit-tokens-limit': '40000',
    'anthropic-ratelimit-tokens-remaining': '39000',
  },
} as const;

export interface Service {
  /** Prometheus' `instance` label of this service: its exporter's host:port. */
  readonly instance: string;
  /** The fake this instance calls as `openai`; each instance has its own. */
  readonly openai: FakeProvider;
  readonly process: ManagedProcess;
}

export class Stack {
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  readonly processes: ManagedProcess[] = [];
  dir = '';
  /** `failing` is the instance whose OpenAI goes down; `healthy` keeps its circuit closed. */
  services: { failing?: Service; healthy?: Service } = {};
  anthropic: FakeProvider | undefined;
  webhook: WebhookReceiver | undefined;
  prometheus: PrometheusApi | undefined;

  async start(): Promise<void> {
    const prometheusBin = requireBinary('prometheus');
    const alertmanagerBin = requireBinary('alertmanager');
    this.dir = mkdtempSync(join(tmpdir(), 'provider-health-e2e-'));
    this.cleanups.push(() => rmSync(this.dir, { recursive: true, force: true }));

    const anthropic = await this.fake('anthropic');
    anthropic.setDefault(ANTHROPIC_OK);
    this.anthropic = anthropic;
    const webhook = await startWebhookReceiver();
    this.cleanups.push(() => webhook.close());
    this.webhook = webhook;

    const [failing, healthy] = await Promise.all([
      this.service('a', anthropic),
      this.service('b', anthropic),
    ]);
    this.services = { failing, healthy };

    const amPort = await freePort();
    const am = this.spawn('alertmanager', alertmanagerBin, [
      `--config.file=${this.write('alertmanager.yaml', alertmanagerConfig(webhook.url))}`,
      `--storage.path=${this.subdir('alertmanager-data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      // Empty disables clustering; otherwise Alertmanager binds 0.0.0.0:9094.
      '--cluster.listen-address=',
    ]);
    await this.ready(am, `http://127.0.0.1:${amPort}/-/ready`);

    const promPort = await freePort();
    const prometheusYaml = prometheusConfig({
      rulesPath: this.write('provider-health.rules.yaml', testRules()),
      alertmanager: `127.0.0.1:${amPort}`,
      targets: [failing.instance, healthy.instance],
    });
    const prom = this.spawn('prometheus', prometheusBin, [
      `--config.file=${this.write('prometheus.yaml', prometheusYaml)}`,
      `--storage.tsdb.path=${this.subdir('prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    await this.ready(prom, `http://127.0.0.1:${promPort}/-/ready`);
    const api = prometheusApi(`http://127.0.0.1:${promPort}`);
    this.prometheus = api;
    await waitFor(
      'both services scraped (up == 1)',
      async () => {
        prom.assertRunning();
        const up = await api.query('up == 1');
        return up.length === 2 ? up : undefined;
      },
      START_TIMEOUT_MS,
    );
  }

  /** Stops everything in reverse order of start; never throws, so every step runs. */
  async close(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('e2e teardown step failed', error);
      }
    }
  }

  /** Output of every process, for failure messages. */
  logs(): string {
    return this.processes.map((p) => `--- ${p.name}\n${p.log().slice(-4_000)}`).join('\n');
  }

  private async fake(flavor: 'openai' | 'anthropic'): Promise<FakeProvider> {
    const fake = await startFakeProvider({ flavor });
    this.cleanups.push(() => fake.close());
    return fake;
  }

  private async service(id: string, anthropic: FakeProvider): Promise<Service> {
    const openai = await this.fake('openai');
    openai.setDefault(OPENAI_OK);
    const port = await freePort();
    const instance = `127.0.0.1:${port}`;
    const host = (fake: FakeProvider): string => new URL(fake.url).host;
    const env: NodeJS.ProcessEnv = {};
    // Nothing from the runner's environment may configure the plugin or OpenTelemetry here.
    for (const [key, value] of Object.entries(process.env))
      if (!/^(PROVIDER_HEALTH_|OTEL_)/.test(key) && key !== 'NODE_OPTIONS') env[key] = value;
    Object.assign(env, {
      PROVIDER_HEALTH_PROVIDERS: `openai=${host(openai)},anthropic=${host(anthropic)}`,
      PROVIDER_HEALTH_FAILURE_THRESHOLD: '5',
      PROVIDER_HEALTH_SUCCESS_THRESHOLD: '3',
      PROVIDER_HEALTH_RECOVERY_TIMEOUT: RECOVERY_TIMEOUT,
      PROVIDER_HEALTH_SERVER: 'off',
      // Active checks would add requests the scenario does not script.
      PROVIDER_HEALTH_CHECK_INTERVAL: 'off',
      OTEL_SERVICE_NAME: SERVICE_NAME,
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
      E2E_OPENAI_URL: openai.url,
      E2E_ANTHROPIC_URL: anthropic.url,
      E2E_INTERVAL_MS: String(REQUEST_INTERVAL_MS),
    });
    // The plugin first, then tsx for the TypeScript service: the order a real service would use.
    const child = this.spawn(
      `service-${id}`,
      process.execPath,
      ['--require', 'provider-health/register', '--import', 'tsx', join(ROOT, 'test/e2e/service.ts')],
      { cwd: ROOT, env },
    );
    await waitFor(
      `service ${id} exporting ai_provider_up for both providers`,
      async () => {
        child.assertRunning();
        const text = await (await fetch(`http://${instance}/metrics`)).text();
        const up = text.split('\n').filter((line) => line.startsWith('ai_provider_up{'));
        return up.length === 2 ? true : undefined;
      },
      START_TIMEOUT_MS,
    );
    return { instance, openai, process: child };
  }

  private spawn(
    name: string,
    command: string,
    args: readonly string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
  ): ManagedProcess {
    const child = new ManagedProcess(name, command, args, { cwd: options.cwd ?? this.dir, ...options });
    this.processes.push(child);
    this.cleanups.push(() => child.stop());
    return child;
  }

  private async ready(child: ManagedProcess, url: string): Promise<void> {
    await waitFor(
      `${child.name} ready at ${url}`,
      async () => {
        child.assertRunning();
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        return response.ok ? true : undefined;
      },
      START_TIMEOUT_MS,
    );
  }

  private write(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  private subdir(name: string): string {
    const path = join(this.dir, name);
    mkdirSync(path);
    return path;
  }
}
