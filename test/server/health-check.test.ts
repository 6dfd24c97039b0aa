import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';
import { runHealthCheck, urlProbe } from '../../src/checks/health-check.js';
import type { ProviderRegistry } from '../../src/providers/registry.js';
import type { RunningHealthServer } from '../../src/server/index.js';
import { fail, makeRegistry, raw, startServer } from './helpers.js';
import { waitFor } from './live-client.js';

let fake: FakeProvider;
let server: RunningHealthServer | undefined;
let registry: ProviderRegistry;

beforeEach(async () => {
  fake = await startFakeProvider({ flavor: 'openai' });
  registry = makeRegistry({
    recoveryTimeout: '1m',
    providers: { openai: { hosts: [new URL(fake.url).host], healthCheckUrl: `${fake.url}/v1/models` } },
  });
  server = await startServer(registry);
});
afterEach(async () => {
  await server?.close();
  await fake.close();
});

interface CheckBody {
  provider: string;
  outcome: string;
  reason: string;
  circuit_state: string;
  cached: boolean;
  status: string;
}

const check = async (name = 'openai'): Promise<CheckBody> => {
  const res = await raw(server?.url ?? '', 'POST', `/health/providers/${name}/check`);
  expect(res.status).toBe(200);
  return res.json() as CheckBody;
};

describe('POST /health/providers/{name}/check', () => {
  it('lists models on the provider and counts the answer like a request', async () => {
    const body = await check();
    expect(body).toMatchObject({
      provider: 'openai',
      outcome: 'success',
      circuit_state: 'closed',
      cached: false,
    });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
    expect(registry.getProvider('openai')?.stats.total).toBe(1);
  });

  it('feeds failures to the breaker: five failed probes open a closed circuit', async () => {
    fake.setDefault({ status: 500 });
    const openai = registry.getOrCreateProvider('openai');
    fail(openai, 4);
    const body = await check();
    expect(body).toMatchObject({ outcome: 'provider_error', circuit_state: 'open', status: 'unavailable' });
  });

  it('moves an open circuit to half-open on success, never straight to closed', async () => {
    const openai = registry.getOrCreateProvider('openai');
    fail(openai, 5);
    expect(openai.breaker.state).toBe('open');
    const body = await check();
    expect(body).toMatchObject({ outcome: 'success', circuit_state: 'half_open' });
  });

  it('rate-caps: a second check moments later returns the first result without a request', async () => {
    const [a, b] = await Promise.all([check(), check()]);
    const c = await check();
    expect(a.cached).toBe(false);
    expect(b.cached).toBe(false); // joined the one in flight
    expect(c.cached).toBe(true);
    expect(fake.requestCount).toBe(1);
  });

  it('says so when a provider has no key and no probe, instead of failing', async () => {
    registry.getOrCreateProvider('mistral_ai').active = true;
    const body = await check('mistral');
    expect(body.outcome).toBe('skipped');
    expect(body.reason).toContain('MISTRAL_API_KEY');
    expect(body.circuit_state).toBe('closed');
  });
});

describe('runHealthCheck', () => {
  it('times out a probe that ignores its signal, freeing the slot', async () => {
    const openai = registry.getOrCreateProvider('openai');
    const result = await runHealthCheck(openai, () => new Promise(() => {}), { timeoutMs: 50 });
    expect(result.outcome).toBe('timeout');
  });

  it('times out a hung provider through the probe signal', async () => {
    fake.setDefault({ kind: 'hang' });
    const openai = registry.getOrCreateProvider('openai');
    const result = await runHealthCheck(openai, urlProbe(`${fake.url}/v1/models`), { timeoutMs: 100 });
    expect(result.outcome).toBe('timeout');
  });

  it('leaves the breaker alone when feedBreaker is false', async () => {
    const openai = registry.getOrCreateProvider('openai');
    fail(openai, 5);
    const probe = async () => ({ outcome: 'success' as const, reason: 'HTTP 200' });
    await runHealthCheck(openai, probe, { timeoutMs: 1000, feedBreaker: false });
    expect(openai.breaker.state).toBe('open');
    await runHealthCheck(openai, probe, { timeoutMs: 1000 });
    expect(openai.breaker.state).toBe('half_open');
  });
});

describe('startHealthMonitoring', () => {
  it('probes every active provider with a probe, on its own, with jitter', async () => {
    registry.startHealthMonitoring(100);
    try {
      await waitFor(() => fake.requestCount >= 2);
      expect(fake.requests.every((r) => r.path === '/v1/models')).toBe(true);
    } finally {
      registry.stopHealthMonitoring();
    }
  });
});
