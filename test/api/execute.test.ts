import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';
import {
  CircuitOpenError,
  execute,
  getCircuitOpenError,
  getProvider,
  isCircuitOpenError,
} from '../../src/index.js';
import { configureRegistry } from '../../src/providers/global-registry.js';

let server: Server;
let serverUrl: string;
let fake: FakeProvider;
let client: OpenAI;

beforeAll(async () => {
  // Answers `/<status>` with that status, and a retry-after when asked.
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const status = Number(url.pathname.slice(1)) || 200;
    const retryAfter = url.searchParams.get('retry-after');
    res.writeHead(status, retryAfter === null ? {} : { 'retry-after': retryAfter });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake = await startFakeProvider({ flavor: 'openai' });
  client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'test', maxRetries: 0 });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await fake.close();
});
beforeEach(() => {
  configureRegistry({});
});
afterEach(() => fake.reset());

const chat = () =>
  client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
const metrics = (name = 'openai') => getProvider(name)?.getHealthMetrics();

describe('execute(provider, fn)', () => {
  it('returns what fn returns and records a success with its duration', async () => {
    const completion = await execute('openai', chat);
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake provider.');
    expect(metrics()).toMatchObject({ totalRequests: 1, failedRequests: 0, outcomes: { success: 1 } });
    expect(metrics()?.averageResponseTime).toBeGreaterThan(0);
  });

  it('classifies a fetch Response by status: a real 500 from a loopback server is a provider error', async () => {
    const response = await execute('openai', () => fetch(`${serverUrl}/500`));
    expect(response.status).toBe(500); // handed back, not thrown
    await response.arrayBuffer();
    expect(metrics()).toMatchObject({
      failedRequests: 1,
      consecutiveFailures: 1,
      outcomes: { provider_error: 1 },
    });
    expect(getProvider('openai')?.breaker.consecutiveFailures).toBe(1);
  });

  it('classifies a 429 Response with retry-after as rate limited, and honours the wait in health', async () => {
    const response = await execute('openai', () => fetch(`${serverUrl}/429?retry-after=30`));
    await response.arrayBuffer();
    expect(metrics()?.outcomes.rate_limited).toBe(1);
    expect(getProvider('openai')?.getHealthReport()).toEqual({
      status: 'degraded',
      reasons: ['rate_limited'],
    });
    expect(getProvider('openai')?.circuitState).toBe('closed');
  });

  it('classifies errors thrown by the official OpenAI SDK against the fake provider', async () => {
    fake.script([
      { status: 500 },
      { status: 401 },
      { status: 429, headers: { 'retry-after': '2' } },
      { kind: 'reset' },
    ]);
    for (let i = 0; i < 4; i++) await expect(execute('openai', chat)).rejects.toBeInstanceOf(Error);
    expect(metrics()?.outcomes).toMatchObject({
      provider_error: 1,
      auth_error: 1,
      rate_limited: 1,
      connection_error: 1,
    });
    expect(metrics()?.failedRequests).toBe(2); // auth and rate limits do not trip by default
  });

  it('records a refused connection as a connection error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(execute('openai', () => fetch(`http://127.0.0.1:${port}/`))).rejects.toThrow('fetch failed');
    expect(metrics()?.outcomes.connection_error).toBe(1);
  });

  it('opens after 5 failures, then throws CircuitOpenError without calling fn', async () => {
    fake.setDefault({ status: 503 });
    const beforeOpening = Date.now();
    for (let i = 0; i < 5; i++) await execute('openai', chat).catch(() => undefined);
    expect(getProvider('openai')?.circuitState).toBe('open');
    const requestsBefore = fake.requestCount;

    const fn = vi.fn(chat);
    const error = await execute('openai', fn).catch((e: unknown) => e);
    expect(fn).not.toHaveBeenCalled();
    expect(fake.requestCount).toBe(requestsBefore);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toMatchObject({ code: 'ERR_CIRCUIT_OPEN', provider: 'openai', name: 'CircuitOpenError' });
    expect((error as Error).message).toContain('circuit breaker open for provider openai');
    // The default recovery timeout (60 s) less the time measured since it opened, not assumed small.
    const retryAfterMs = (error as CircuitOpenError).retryAfterMs;
    expect(retryAfterMs).toBeGreaterThanOrEqual(60_000 - (Date.now() - beforeOpening));
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(metrics()?.rejectedRequests).toBe(1);
  });

  it('uses the canonical provider for an alias, and creates a provider for a new name', async () => {
    await execute('fal.ai', () => 'ok');
    expect(metrics('fal')?.totalRequests).toBe(1);
    await execute('in-house', () => 'ok');
    expect(metrics('in-house')?.totalRequests).toBe(1);
  });

  it('never rejects in observe mode, but still counts', async () => {
    configureRegistry({ mode: 'observe' });
    getProvider('openai')?.breaker.forceOpen();
    await expect(execute('openai', () => 'answered')).resolves.toBe('answered');
    expect(metrics()?.outcomes.success).toBe(1);
  });

  it('a trial that fn fails sends a half-open circuit back to open', async () => {
    const breaker = getProvider('openai')?.breaker;
    if (breaker === undefined) throw new Error('no openai breaker');
    breaker.recoveryTimeout = 0; // trials at once, no waiting
    breaker.forceOpen(0);
    expect(breaker.state).toBe('half_open');
    breaker.recoveryTimeout = 60_000; // the next opening lasts
    fake.script([{ status: 500 }]);
    await expect(execute('openai', chat)).rejects.toMatchObject({ status: 500 });
    expect(breaker.state).toBe('open');
  });
});

describe('isCircuitOpenError', () => {
  it('recognises the error, and the error as a cause (fetch wraps it in TypeError)', () => {
    const error = new CircuitOpenError('openai', 1_000);
    expect(isCircuitOpenError(error)).toBe(true);
    const wrapped = new TypeError('fetch failed', { cause: error });
    expect(isCircuitOpenError(wrapped)).toBe(true);
    expect(getCircuitOpenError(wrapped)).toBe(error);
    expect(isCircuitOpenError(new Error('outer', { cause: wrapped }))).toBe(true);
  });

  it('goes by the brand, not by the class or the code', () => {
    expect(isCircuitOpenError(new Error('circuit breaker open for provider openai'))).toBe(false);
    expect(isCircuitOpenError({ code: 'ERR_CIRCUIT_OPEN' })).toBe(false);
    expect(isCircuitOpenError(undefined)).toBe(false);
    expect(isCircuitOpenError('ERR_CIRCUIT_OPEN')).toBe(false);
    // Another copy of the package (CommonJS next to ESM) brands with the same registered symbol.
    const foreign = Object.assign(new Error('x'), { [Symbol.for('provider-health.CircuitOpenError')]: true });
    expect(isCircuitOpenError(foreign)).toBe(true);
  });

  it('says when the breaker is held open by an operator', () => {
    const error = new CircuitOpenError('openai', Number.POSITIVE_INFINITY);
    expect(error.message).toMatch(/circuit breaker open for provider openai.*operator/);
  });
});
