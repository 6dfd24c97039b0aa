import { afterEach, describe, expect, it } from 'vitest';
import { hourNumber } from '../../src/health/hour-of-week.js';
import type { RunningHealthServer } from '../../src/server/index.js';
import { type ErrorBody, fail, makeRegistry, raw, startServer, succeed } from './helpers.js';

let server: RunningHealthServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /health', () => {
  it('is healthy with 200 when every provider is available', async () => {
    const registry = makeRegistry({ providers: { openai: {}, anthropic: {} } });
    server = await startServer(registry);
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toEqual({
      status: 'healthy',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      providers: { anthropic: 'available', openai: 'available' },
      counts: { available: 2, degraded: 0, unavailable: 0 },
    });
  });

  it('is degraded with 200 when some are not, unhealthy with 503 when none is', async () => {
    const registry = makeRegistry({ providers: { openai: {}, anthropic: {} } });
    server = await startServer(registry);
    fail(registry.getOrCreateProvider('openai'), 5);
    let res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'degraded', providers: { openai: 'unavailable' } });
    fail(registry.getOrCreateProvider('anthropic'), 5);
    res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unhealthy' });
  });

  it('uses the configured status codes', async () => {
    const registry = makeRegistry({ providers: { openai: {}, anthropic: {} } });
    server = await startServer(registry, { statusCodes: { degraded: 503, unhealthy: 500 } });
    fail(registry.getOrCreateProvider('openai'), 5);
    expect((await fetch(`${server.url}/health`)).status).toBe(503);
    fail(registry.getOrCreateProvider('anthropic'), 5);
    expect((await fetch(`${server.url}/health`)).status).toBe(500);
  });

  it('rejects a status code that is not one', async () => {
    await expect(startServer(makeRegistry(), { statusCodes: { unhealthy: 99 } })).rejects.toThrow(
      /statusCodes/,
    );
  });
});

describe('GET /health/providers', () => {
  it('lists every active provider with status, circuit state and snake_case metrics', async () => {
    const registry = makeRegistry({ providers: { openai: {} } });
    server = await startServer(registry);
    const openai = registry.getOrCreateProvider('openai');
    succeed(openai, 3, 200);
    fail(openai, 1);
    const body = (await (await fetch(`${server.url}/health/providers`)).json()) as {
      providers: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(body.providers)).toEqual(['openai']);
    expect(body.providers.openai).toMatchObject({
      name: 'openai',
      status: 'available',
      circuit_state: 'closed',
      next_trial_in: null,
      metrics: {
        total_requests: 4,
        failed_requests: 1,
        failure_rate: 0.25,
        average_response_time: expect.any(Number),
        p95_response_time: expect.any(Number),
        last_failure_reason: 'HTTP 500',
      },
    });
  });

  it('shows the baseline beside the current values, and the early warning (null until one is learned)', async () => {
    const registry = makeRegistry({ providers: { openai: {}, anthropic: {} } });
    server = await startServer(registry);
    const openai = registry.getOrCreateProvider('openai');
    openai.early.baseline.restore({
      version: 1,
      provider: 'openai',
      savedAt: '',
      hours: Array.from({ length: 168 }, () => [750, 0.01, 2, hourNumber(Date.now())] as const),
    });
    for (let i = 0; i < 3; i++) openai.record(openai.admit(), 'success', 200, 900, 400);
    const body = (await (await fetch(`${server.url}/health/providers`)).json()) as {
      providers: Record<string, { metrics: Record<string, unknown> }>;
    };
    expect(body.providers.openai?.metrics).toMatchObject({
      p95_time_to_first_byte: expect.closeTo(0.4, 1),
      baseline: { p95_time_to_first_byte: 0.75, failure_rate: 0.01, source: 'hour_of_week' },
      trend: { warning: false, signals: [], failure_level: 0, latency_level: 0 },
    });
    expect(body.providers.anthropic?.metrics).toMatchObject({
      p95_time_to_first_byte: null,
      baseline: null,
      trend: { warning: false, signals: [] },
    });
  });

  it('gives one provider, by name or alias, with next_trial_in while open', async () => {
    const registry = makeRegistry({ recoveryTimeout: '1m', providers: { fal: {} } });
    server = await startServer(registry);
    const beforeOpening = Date.now();
    fail(registry.getOrCreateProvider('fal'), 5);
    const res = await fetch(`${server.url}/health/providers/fal.ai`);
    const waitedSeconds = (Date.now() - beforeOpening) / 1000;
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      name: 'fal',
      status: 'unavailable',
      circuit_state: 'open',
      reasons: ['circuit_open'],
    });
    // The minute, less the time that passed since it opened (measured, not assumed small).
    expect(body.next_trial_in).toBeGreaterThanOrEqual(60 - waitedSeconds);
    expect(body.next_trial_in).toBeLessThanOrEqual(60);
  });

  it('answers an unknown provider with a 404 JSON error and does not create it', async () => {
    const registry = makeRegistry();
    server = await startServer(registry);
    const res = await fetch(`${server.url}/health/providers/no-such-llm`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error.code).toBe('provider_not_found');
    expect(registry.getProvider('no-such-llm')).toBeUndefined();
  });
});

describe('methods and unknown paths', () => {
  it('answers a wrong method with 405 and Allow, OPTIONS with 204 and Allow, HEAD like GET', async () => {
    server = await startServer(makeRegistry());
    const del = await raw(server.url, 'DELETE', '/health');
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect((del.json() as ErrorBody).error.code).toBe('method_not_allowed');
    const get = await raw(server.url, 'GET', '/health/providers/openai/reset');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST, OPTIONS');
    const options = await raw(server.url, 'OPTIONS', '/health/providers');
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe('GET, HEAD, OPTIONS');
    const head = await raw(server.url, 'HEAD', '/health');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('answers unknown paths with 404 not_found and accepts a trailing slash', async () => {
    server = await startServer(makeRegistry());
    const res = await raw(server.url, 'GET', '/healthz');
    expect(res.status).toBe(404);
    expect((res.json() as ErrorBody).error.code).toBe('not_found');
    expect((await raw(server.url, 'GET', '/health/')).status).toBe(200);
  });
});

describe('GET /metrics', () => {
  it('is served by the metrics handler when one is given, else 404', async () => {
    server = await startServer(makeRegistry(), {
      metricsHandler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end('ai_provider_up{gen_ai_provider_name="openai"} 1\n');
      },
    });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('ai_provider_up');
    await server.close();
    server = await startServer(makeRegistry());
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });
});
