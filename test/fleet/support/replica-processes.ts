/**
 * Replicas of a service as separate processes, each with the built plugin preloaded by
 * `--require` (test/intercept/children/app.ts through ChildSession), sharing a fleet on a real
 * Redis, calling the fake provider, each with its health server on a free loopback port: the test
 * reads and operates them through their real endpoints.
 */
import { randomBytes } from 'node:crypto';
import { freePort } from '../../../fake-provider/free-port.js';
import type { FakeProvider } from '../../../fake-provider/index.js';
import type { ProvidersView } from '../../../src/server/health-json.js';
import type { CallResult } from '../../intercept/children/calls.js';
import type { Observations } from '../../intercept/children/fleet.js';
import { assertBuilt, ChildSession } from '../../intercept/support/child-session.js';
import { WAIT_MS } from './stores.js';

export const ADMIN_TOKEN = 'fleet-test-admin-token-0123456789abcdef';

export interface ProcessFleetOptions {
  /** One URL for all, or one per replica (a proxy's, for the one to cut off). */
  redis: string | readonly string[];
  count: number;
  openai: FakeProvider;
  anthropic?: FakeProvider;
  env?: Record<string, string>;
}

export interface ReplicaProcessHandle {
  readonly index: number;
  readonly session: ChildSession;
  readonly health: string;
  readonly metrics: string;
}

export class ProcessFleet {
  readonly name = `p-${randomBytes(4).toString('hex')}`;
  readonly replicas: ReplicaProcessHandle[] = [];

  static async start(options: ProcessFleetOptions): Promise<ProcessFleet> {
    assertBuilt();
    const fleet = new ProcessFleet();
    try {
      await Promise.all(Array.from({ length: options.count }, (_, i) => fleet.startOne(options, i)));
      fleet.replicas.sort((a, b) => a.index - b.index);
      await Promise.all(
        fleet.replicas.map((r) => fleet.until(r, (v) => v.fleet?.connected === true, 'connected')),
      );
    } catch (error) {
      await fleet.close();
      throw error;
    }
    return fleet;
  }

  replica(index: number): ReplicaProcessHandle {
    const replica = this.replicas[index];
    if (replica === undefined) throw new Error(`no replica ${index}`);
    return replica;
  }

  /** `GET /health/providers` of one replica. */
  async view(index: number): Promise<ProvidersView> {
    const response = await fetch(`${this.replica(index).health}/health/providers`);
    return (await response.json()) as ProvidersView;
  }

  /** Polls one replica's `/health/providers` until `check` holds (a generous bound, for a busy machine). */
  async until(
    replica: ReplicaProcessHandle,
    check: (view: ProvidersView) => boolean,
    what: string,
  ): Promise<ProvidersView> {
    const deadline = Date.now() + WAIT_MS;
    let last: ProvidersView | undefined;
    for (;;) {
      try {
        last = await this.view(replica.index);
        if (check(last)) return last;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `replica ${replica.index}: never ${what}; last view ${JSON.stringify(last)}\n${replica.session.stderr}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Every replica (or those given) until `check` holds for each; a failure shows every replica's log. */
  async all(
    check: (view: ProvidersView) => boolean,
    what: string,
    which = this.replicas,
  ): Promise<ProvidersView[]> {
    try {
      return await Promise.all(which.map((r) => this.until(r, check, what)));
    } catch (error) {
      const first = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      const logs = this.replicas.map((r) => `--- replica ${r.index} ---\n${r.session.stderr}`);
      throw new Error([first, ...logs].join('\n'));
    }
  }

  /** `n` requests through fetch, one after another, on one replica. */
  call(index: number, n = 1, target: 'openai' | 'anthropic' = 'openai'): Promise<CallResult[]> {
    return this.replica(index).session.call<CallResult[]>('call', { client: 'fetch', target, n });
  }

  observations(index: number): Promise<Observations> {
    return this.replica(index).session.call<Observations>('observations');
  }

  /** An operator's POST to a replica's admin endpoint. */
  async admin(
    index: number,
    action: 'reset' | 'open',
    provider = 'openai',
    body: unknown = {},
  ): Promise<Response> {
    return fetch(`${this.replica(index).health}/health/providers/${provider}/${action}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** The replica's own Prometheus exposition. */
  async metrics(index: number): Promise<string> {
    return (await fetch(this.replica(index).metrics)).text();
  }

  /** Log lines the replica wrote at `level` that contain `text`. */
  logLines(index: number, level: string, text: string): string[] {
    return this.replica(index)
      .session.stderr.split('\n')
      .filter((line) => line.includes(`"level":"${level}"`) && line.includes(text));
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.session.close()));
  }

  private async startOne(options: ProcessFleetOptions, index: number): Promise<void> {
    const [healthPort, metricsPort] = [await freePort(), await freePort()];
    const redis = typeof options.redis === 'string' ? options.redis : (options.redis[index] ?? '');
    const host = (fake: FakeProvider) => new URL(fake.url).host;
    const providers = [`openai=${host(options.openai)}`];
    if (options.anthropic !== undefined) providers.push(`anthropic=${host(options.anthropic)}`);
    const session = await ChildSession.start({
      preload: 'require',
      env: {
        PROVIDER_HEALTH_PROVIDERS: providers.join(','),
        FAKE_OPENAI_URL: options.openai.url,
        ...(options.anthropic === undefined ? {} : { FAKE_ANTHROPIC_URL: options.anthropic.url }),
        PROVIDER_HEALTH_REDIS_URL: redis,
        PROVIDER_HEALTH_FLEET: this.name,
        PROVIDER_HEALTH_SERVER: `127.0.0.1:${healthPort}`,
        PROVIDER_HEALTH_ADMIN_TOKEN: ADMIN_TOKEN,
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        ...options.env,
      },
    });
    await session.call('observe');
    this.replicas.push({
      index,
      session,
      health: `http://127.0.0.1:${healthPort}`,
      metrics: `http://127.0.0.1:${metricsPort}/metrics`,
    });
  }
}

/** A replica's openai circuit as its health endpoint shows it. */
export const circuitOf = (view: ProvidersView, provider = 'openai'): string | undefined =>
  view.providers[provider]?.circuit_state;

/** A call the plugin answered itself (the circuit is open): never reached the provider. */
export const rejected = (result: CallResult): boolean =>
  result.headers?.['x-provider-health'] === 'circuit-open';
