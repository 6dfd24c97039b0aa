import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/config/resolve.js';
import { admitRequest } from '../../src/gate/admission-gate.js';
import { RequestObservation } from '../../src/gate/request-observation.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { ManualClock } from '../support/manual-clock.js';

/**
 * When an abort before any response header counts as a timeout (docs/design.md, "Outcomes"):
 * SDKs enforce their own timeouts with the same bare abort a caller's cancel is.
 */
function setup(providerOptions: Record<string, unknown> = {}) {
  const clock = new ManualClock();
  const registry = new ProviderRegistry(
    resolveOptions({ providers: { openai: providerOptions }, server: false }, {}),
    clock,
  );
  const provider = registry.getOrCreateProvider('openai');
  const abortAfter = (ms: number, headers: unknown = {}): void => {
    const observation = admitRequest(
      registry,
      provider,
      'POST',
      'https://api.openai.com',
      '/v1/chat/completions',
    );
    if (!(observation instanceof RequestObservation)) throw new Error('rejected');
    observation.requestHeaders = headers;
    clock.advance(ms);
    const abort = new Error('This operation was aborted');
    abort.name = 'AbortError';
    observation.finish(abort);
  };
  const answerAfter = (ms: number): void => {
    const observation = admitRequest(
      registry,
      provider,
      'POST',
      'https://api.openai.com',
      '/v1/chat/completions',
    );
    if (!(observation instanceof RequestObservation)) throw new Error('rejected');
    clock.advance(ms);
    observation.onResponseStart(200, () => ({ get: () => undefined }));
    observation.finish();
  };
  return { provider, abortAfter, answerAfter, outcomes: () => provider.getHealthMetrics().outcomes };
}

describe('an abort before any response header', () => {
  it('is a timeout after the minimum when the provider has answered nothing lately (a hung provider)', () => {
    const { provider, abortAfter, outcomes } = setup();
    for (let i = 0; i < 5; i++) abortAfter(2_000);
    expect(outcomes().timeout).toBe(5);
    expect(provider.breaker.state).toBe('open');
  });

  it("is the caller's cancel when much quicker than the provider normally answers", () => {
    const { provider, abortAfter, answerAfter, outcomes } = setup();
    for (let i = 0; i < 20; i++) answerAfter(500);
    for (let i = 0; i < 10; i++) abortAfter(50);
    expect(outcomes().canceled).toBe(10);
    expect(outcomes().timeout).toBe(0);
    expect(provider.breaker.state).toBe('closed');
  });

  it('is judged against the recent time to first byte: 4x p95 by default, configurable', () => {
    const { abortAfter, answerAfter, outcomes } = setup();
    for (let i = 0; i < 20; i++) answerAfter(500);
    abortAfter(1_500); // under 4 x 500 ms
    abortAfter(2_500); // over
    expect([outcomes().canceled, outcomes().timeout]).toEqual([1, 1]);
    const strict = setup({ abortTimeout: { factor: 2, min: '100ms' } });
    for (let i = 0; i < 20; i++) strict.answerAfter(500);
    strict.abortAfter(1_500);
    expect(strict.outcomes().timeout).toBe(1);
  });

  it('follows a timeout the request declared in its headers, whatever the recent times', () => {
    const { abortAfter, outcomes } = setup();
    abortAfter(2_010, { 'x-stainless-timeout': '2' }); // its own 2 s timeout fired
    abortAfter(1_200, { 'x-stainless-timeout': '2' }); // the caller let go before it
    abortAfter(2_000, [['grpc-timeout', '1900m']]);
    expect([outcomes().timeout, outcomes().canceled]).toEqual([2, 1]);
  });

  it('with abortTimeout: false counts only after the trial timeout', () => {
    const { abortAfter, outcomes } = setup({ abortTimeout: false });
    abortAfter(5_000);
    abortAfter(30_000);
    expect([outcomes().canceled, outcomes().timeout]).toEqual([1, 1]);
  });
});
