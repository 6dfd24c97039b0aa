/**
 * Starts the whole end-to-end stack on loopback, every port free and chosen at run time:
 * three fake providers, two instances of the service (the plugin preloaded), Alertmanager,
 * Prometheus, and the webhook receiver. Everything started is registered for `close()` at once,
 * so a failure half-way still tears down what exists.
 *
 * Two ways for the plugin's metrics to reach Prometheus, as users run it:
 * - `scrape`: its Prometheus exporter, scraped (the builtin names);
 * - `otlp`: its OTLP exporter, pushing to a loopback receiver whose exports are translated by the
 *   OTel -> Prometheus rules and remote-written to Prometheus (the otlp names; see README.md).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeProvider, startFakeProvider } from '../../../fake-provider/index.js';
import type { PrometheusNaming } from '../../../src/telemetry/metric-names.js';
import { ROOT } from '../../mixin/dashboards/load.js';
import { type OtlpReceiver, startOtlpReceiver } from '../../support/otlp-receiver.js';
import { requireBinary } from './binaries.js';
import { alertmanagerConfig, JOB, prometheusConfig, testRules } from './configs.js';
import { OtlpForwarder } from './otlp-forwarder.js';
import type { ExportMetricsServiceRequest } from './otlp-to-prometheus.js';
import { ManagedProcess } from './process.js';
import { type PrometheusApi, prometheusApi } from './prometheus-api.js';
import { freePort, waitFor } from './wait.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook.js';

export const RECOVERY_TIMEOUT = '2s';
export const SERVICE_NAME = 'e2e-chat';
/** service.namespace of the OTLP run: its job is `shop/e2e-chat`. */
export const SERVICE_NAMESPACE = 'shop';
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

export type Transport = 'scrape' | 'otlp';

export interface Service {
  /** Prometheus' `instance` label: the exporter's host:port, or the OTLP service.instance.id. */
  readonly instance: string;
  /** The fake this instance calls as `openai`; each instance has its own. */
  readonly openai: FakeProvider;
  readonly process: ManagedProcess;
}

export class Stack {
  /** The metric names each transport produces in Prometheus. */
  readonly naming: PrometheusNaming;
  /** The `job` label of the services' series. */
  readonly job: string;
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  private otlp: { receiver: OtlpReceiver; forwarder: OtlpForwarder } | undefined;

  constructor(readonly transport: Transport = 'scrape') {
    this.naming = transport === 'scrape' ? 'builtin' : 'otlp';
    this.job = transport === 'scrape' ? JOB : `${SERVICE_NAMESPACE}/${SERVICE_NAME}`;
  }
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
    if (this.transport === 'otlp') {
      const receiver = await startOtlpReceiver();
      this.cleanups.push(() => receiver.close());
      this.otlp = { receiver, forwarder: new OtlpForwarder(receiver) };
    }

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
      rulesPath: this.write('provider-health.rules.yaml', testRules(this.naming)),
      alertmanager: `127.0.0.1:${amPort}`,
      targets: this.otlp ? [] : [failing.instance, healthy.instance],
    });
    const prom = this.spawn('prometheus', prometheusBin, [
      `--config.file=${this.write('prometheus.yaml', prometheusYaml)}`,
      `--storage.tsdb.path=${this.subdir('prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      ...(this.otlp ? ['--web.enable-remote-write-receiver'] : []),
    ]);
    await this.ready(prom, `http://127.0.0.1:${promPort}/-/ready`);
    const api = prometheusApi(`http://127.0.0.1:${promPort}`);
    this.prometheus = api;
    const otlp = this.otlp;
    if (otlp) otlp.forwarder.start(`${api.url}/api/v1/write`);
    // Scraped: Prometheus' own `up`. Pushed: no `up` exists; the plugin's series for both replicas.
    // An alert that fires before the notifier has discovered Alertmanager (its discovery runs a
    // few seconds after start) is dropped and sent again only after the 1m resend delay: the
    // remote-written stack is fast enough to trip that, so nothing starts before it is known.
    await waitFor(
      'Prometheus to know Alertmanager',
      async () => {
        prom.assertRunning();
        return (await api.alertmanagers()).length > 0 ? true : undefined;
      },
      START_TIMEOUT_MS,
    );
    const arrived = otlp ? 'ai_provider_up_ratio' : 'up == 1';
    const expected = otlp ? 4 : 2;
    await waitFor(
      `both services' series in Prometheus (${arrived})`,
      async () => {
        prom.assertRunning();
        otlp?.forwarder.assertHealthy();
        const series = await api.query(arrived);
        return series.length === expected ? series : undefined;
      },
      START_TIMEOUT_MS,
    );
  }

  /** Throws if the OTLP path failed; a check for wait loops. */
  assertHealthy(): void {
    for (const p of this.processes) p.assertRunning();
    this.otlp?.forwarder.assertHealthy();
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
    const instance = this.otlp ? `replica-${id}` : `127.0.0.1:${port}`;
    const host = (fake: FakeProvider): string => new URL(fake.url).host;
    // Prices and a budget nobody reaches, so the cost panels and the budget alert's series have data.
    const costs = this.write(
      `costs-${id}.yaml`,
      [
        'providers:',
        ...['openai', 'anthropic'].flatMap((name) => [
          `  ${name}:`,
          `    prices: { "*": { input: 1000, output: 2000 } }`,
          '    budget: { amount: 1000000, per: 1h }',
        ]),
      ].join('\n'),
    );
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
      PROVIDER_HEALTH_CONFIG: costs,
      OTEL_SERVICE_NAME: SERVICE_NAME,
      OTEL_TRACES_EXPORTER: 'none',
      ...(this.otlp ? this.otlpEnv(this.otlp.receiver, instance) : this.scrapeEnv(port)),
      E2E_OPENAI_URL: openai.url,
      E2E_ANTHROPIC_URL: anthropic.url,
      E2E_INTERVAL_MS: String(REQUEST_INTERVAL_MS),
    });
    // Plain JavaScript, no loader: under Node 20 an `--import` that registers module hooks (tsx)
    // runs the `--require` preload a second time in the hooks thread, and that idle copy of the
    // plugin pushes its own zeros over OTLP under the same resource (README.md, "Findings").
    const child = this.spawn(
      `service-${id}`,
      process.execPath,
      ['--require', 'provider-health/register', join(ROOT, 'test/e2e/service.mjs')],
      { cwd: ROOT, env },
    );
    const otlp = this.otlp;
    await waitFor(
      `service ${id} exporting ai_provider_up for both providers`,
      async () => {
        child.assertRunning();
        if (otlp) return upPointsFrom(otlp.receiver, instance) >= 2 ? true : undefined;
        const text = await (await fetch(`http://${instance}/metrics`)).text();
        const up = text.split('\n').filter((line) => line.startsWith('ai_provider_up{'));
        return up.length === 2 ? true : undefined;
      },
      START_TIMEOUT_MS,
    );
    return { instance, openai, process: child };
  }

  private scrapeEnv(port: number): NodeJS.ProcessEnv {
    return {
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
    };
  }

  private otlpEnv(receiver: OtlpReceiver, instance: string): NodeJS.ProcessEnv {
    return {
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // As often as the scrape run's scrapes: windows of seconds hold several samples.
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
      // The plugin does not set service.instance.id itself yet: without it, replicas would share
      // one `instance` ("") and their series would collide.
      OTEL_RESOURCE_ATTRIBUTES: `service.namespace=${SERVICE_NAMESPACE},service.instance.id=${instance}`,
    };
  }

  /** Every OTLP metrics export received so far (otlp transport). */
  otlpExports(): readonly unknown[] {
    return (this.otlp?.receiver.exports ?? []).filter((e) => e.path === '/v1/metrics').map((e) => e.body);
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

/** Data points of ai_provider.up in the exports from one service.instance.id. */
function upPointsFrom(receiver: OtlpReceiver, instance: string): number {
  const latest = new Map<string, number>();
  for (const { path, body } of receiver.exports) {
    if (path !== '/v1/metrics') continue;
    for (const rm of (body as ExportMetricsServiceRequest).resourceMetrics) {
      const id = rm.resource?.attributes?.find((a) => a.key === 'service.instance.id')?.value.stringValue;
      if (id !== instance) continue;
      for (const sm of rm.scopeMetrics)
        for (const metric of sm.metrics)
          if (metric.name === 'ai_provider.up') latest.set(instance, metric.gauge?.dataPoints.length ?? 0);
    }
  }
  return latest.get(instance) ?? 0;
}
