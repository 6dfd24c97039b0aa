import { afterEach, describe, expect, it } from 'vitest';
import { useScenario } from './support/scenario.js';
import { mentionsOpenCircuit } from './support/types.js';

describe('while open (enforce, synthetic reply)', () => {
  const s = useScenario({ preload: 'require' });

  it.each([
    ['openai', { error: { type: 'circuit_breaker_open', code: 'circuit_breaker_open', param: null } }],
    ['anthropic', { type: 'error', error: { type: 'circuit_breaker_open' } }],
    ['fal', {}],
  ] as const)(
    'answers %s with a 400 in its own error shape, x-should-retry: false, markers and no retry-after',
    async (target, shape) => {
      await s.trip(target);
      const before = s.fakes[target].requestCount;
      const reply = await s.call('fetch', target);
      expect(s.fakes[target].requestCount).toBe(before);
      expect(reply.status).toBe(400);
      expect(reply.headers).toMatchObject({
        'x-should-retry': 'false',
        'content-type': 'application/json',
        'x-provider-health': 'circuit-open',
        'x-provider-health-provider': target,
      });
      // A retry-after (or retry-after-ms) would make several clients sleep until the next trial.
      expect(reply.headers?.['retry-after']).toBeUndefined();
      expect(reply.headers?.['retry-after-ms']).toBeUndefined();
      expect(Number(reply.headers?.['x-provider-health-retry-after-ms'])).toBeGreaterThanOrEqual(1000);
      expect(reply.body).toMatchObject(shape);
      expect(reply.body).toMatchObject({ provider_health: { circuit: 'open', provider: target } });
      const message = (reply.body as { message: unknown }).message;
      expect(message).toContain(`circuit breaker open for provider ${target}`);
      expect(mentionsOpenCircuit(reply, target)).toBe(true);
    },
  );

  it('leaves a host that is no provider untouched while a provider is open', async () => {
    expect((await s.view('openai')).state).toBe('open');
    for (const client of ['fetch', 'axios', 'undici-request', 'undici-fetch']) {
      const before = s.fakes.other.requestCount;
      const reply = await s.call(client, 'other');
      expect(reply.status).toBe(200);
      expect(s.fakes.other.requestCount).toBe(before + 1);
    }
    expect((await s.view('openai')).state).toBe('open');
  });
});

describe('measuring (enforce, closed)', () => {
  const s = useScenario({ preload: 'import' });
  afterEach(() => s.fakes.openai.reset());

  it('measures a streamed completion to the end of the stream', async () => {
    const words = 'one two three four five six';
    s.fakes.openai.script([{ kind: 'slow-stream', chunkDelayMs: 40, text: words }]);
    const before = await s.view('openai');
    const reply = await s.call('openai-sdk', 'openai', { stream: true });
    expect(reply.error).toBeUndefined();
    expect(String(reply.body).trim()).toBe(words);
    const after = await s.view('openai');
    expect(after.durationCount - before.durationCount).toBe(1);
    // Six word chunks 40 ms apart: the stream lasts at least 5 × 40 ms after its headers.
    expect(after.durationSumMs - before.durationSumMs).toBeGreaterThanOrEqual(200);
    expect(after.metrics.outcomes.success - before.metrics.outcomes.success).toBe(1);
  });

  it.each(['fetch', 'openai-sdk'])(
    'records a stream that breaks midway as a failure (%s)',
    async (client) => {
      s.fakes.openai.script([{ kind: 'reset-mid-body', afterChunks: 2 }]);
      const before = await s.view('openai');
      const reply = await s.call(client, 'openai', { stream: true });
      expect(reply.error).toBeDefined();
      const after = await s.view('openai');
      expect(after.metrics.outcomes.success).toBe(before.metrics.outcomes.success);
      expect(after.metrics.failedRequests - before.metrics.failedRequests).toBe(1);
      expect(after.metrics.consecutiveFailures).toBe(before.metrics.consecutiveFailures + 1);
    },
  );

  it.each(['fetch', 'axios', 'undici-request'])(
    'records a caller abort as canceled, not as a failure (%s)',
    async (client) => {
      // The default, not a scripted one-off: a request aborted before the fake read it would leave
      // a scripted hang behind for the next test's request (it did on a busy machine).
      s.fakes.openai.setDefault({ kind: 'hang' });
      const before = await s.view('openai');
      const reply = await s.call(client, 'openai', { abortAfterMs: 50 });
      expect(reply.error).toBeDefined();
      const after = await s.view('openai');
      expect(after.metrics.outcomes.canceled - before.metrics.outcomes.canceled).toBe(1);
      expect(after.metrics.failedRequests).toBe(before.metrics.failedRequests);
      expect(after.metrics.consecutiveFailures).toBe(before.metrics.consecutiveFailures);
      expect(after.state).toBe(before.state);
    },
  );

  it.each(['fetch', 'axios', 'undici-request'])(
    'reads the 429 body: insufficient_quota is quota_exhausted (%s)',
    async (client) => {
      s.fakes.openai.script([{ status: 429, type: 'insufficient_quota' }, { status: 429 }]);
      const before = await s.view('openai');
      expect((await s.call(client, 'openai')).status).toBe(429);
      expect((await s.call(client, 'openai')).status).toBe(429);
      const after = await s.view('openai');
      expect(after.metrics.outcomes.quota_exhausted - before.metrics.outcomes.quota_exhausted).toBe(1);
      expect(after.metrics.outcomes.rate_limited - before.metrics.outcomes.rate_limited).toBe(1);
    },
  );
});
