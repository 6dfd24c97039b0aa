import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';
import {
  getCircuitOpenError,
  isBudgetExceededError,
  isCircuitOpenError,
} from '../../src/common/circuit-open-error.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { admitRequest } from '../../src/gate/admission-gate.js';
import { RequestObservation } from '../../src/gate/request-observation.js';
import { pickHealthy } from '../../src/index.js';
import { installInterception, uninstallInterception } from '../../src/intercept/index.js';
import { configureRegistry } from '../../src/providers/global-registry.js';
import type { Provider } from '../../src/providers/provider.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { ManualClock } from '../support/manual-clock.js';
import { EVENTUALLY } from '../support/waits.js';

/**
 * A budget per provider (docs/design.md, "Token usage and cost"): spent, the provider is
 * degraded with reason `budget` and pickHealthy routes elsewhere; with `budgetAction: reject` its
 * requests are answered locally, outcome `budget_exceeded`, until the window frees up.
 */
// The fake provider reports 10 input tokens; at 100000 per million each call costs exactly 1.
const PRICES = { '*': { input: 100_000, output: 0 } };
let fake: FakeProvider;

beforeAll(async () => {
  fake = await startFakeProvider({ flavor: 'openai' });
  installInterception();
});
afterAll(async () => {
  uninstallInterception();
  await fake.close();
});

const ask = (client: OpenAI) =>
  client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });

describe('a budget over real requests', () => {
  it('degrade: spent, the provider is degraded (budget) and pickHealthy prefers another; requests still go', async () => {
    const registry = configureRegistry({
      server: false,
      providers: {
        openai: { hosts: [new URL(fake.url).host], prices: PRICES, budget: { amount: 2, per: '1h' } },
        anthropic: {},
      },
    });
    const openai = registry.getOrCreateProvider('openai');
    const client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'k', maxRetries: 0 });
    await ask(client);
    await vi.waitFor(() => expect(openai.ledger.budget?.spent(openai.clock.now())).toBe(1), EVENTUALLY);
    expect(openai.getHealthReport()).toEqual({ status: 'available', reasons: [] });
    expect(pickHealthy(['openai', 'anthropic'])[0]).toBe('openai');
    await ask(client);
    await vi.waitFor(
      () => expect(openai.getHealthReport()).toEqual({ status: 'degraded', reasons: ['budget'] }),
      EVENTUALLY,
    );
    expect(pickHealthy(['openai', 'anthropic'])).toEqual(['anthropic', 'openai']);
    const before = fake.requestCount;
    await ask(client);
    expect(fake.requestCount).toBe(before + 1);
  });

  it('reject: spent, the SDK gets the local reply (recognised as a budget answer), nothing reaches the provider', async () => {
    const registry = configureRegistry({
      server: false,
      providers: {
        openai: {
          hosts: [new URL(fake.url).host],
          prices: PRICES,
          budget: { amount: 1, per: '1h' },
          budgetAction: 'reject',
        },
      },
    });
    const openai = registry.getOrCreateProvider('openai');
    const client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'k', maxRetries: 2 });
    await ask(client);
    await vi.waitFor(() => expect(openai.getHealthStatus()).toBe('degraded'), EVENTUALLY);
    const before = fake.requestCount;
    const error = await ask(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((error as Error).message)).toContain('budget exhausted for provider openai');
    expect(isCircuitOpenError(error)).toBe(true);
    expect(isBudgetExceededError(error)).toBe(true);
    const answer = getCircuitOpenError(error);
    expect(answer?.code).toBe('ERR_BUDGET_EXCEEDED');
    // The provider-shaped error says so too, for code that branches on its type or code.
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('budget_exceeded');
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).type).toBe('budget_exceeded');
    expect(answer?.retryAfterMs).toBeGreaterThan(0);
    // No retry (maxRetries 2), nothing sent.
    expect(fake.requestCount).toBe(before);
    expect(openai.getHealthMetrics().outcomes.budget_exceeded).toBe(1);
    expect(openai.getHealthMetrics().rejectedRequests).toBe(1);
    expect(openai.breaker.state).toBe('closed');
  });
});

describe('a budget window, on a manual clock through the gate', () => {
  const spend = (provider: Provider, registry: ProviderRegistry, cost: number) => {
    const admitted = admitRequest(
      registry,
      provider,
      'POST',
      'https://api.openai.com',
      '/v1/chat/completions',
    );
    if (!(admitted instanceof RequestObservation)) throw new Error('answered locally');
    admitted.onResponseStart(200, () => ({ get: () => null }));
    admitted.finish();
    // The usage a response would have reported: 10 tokens cost 1 at these prices.
    provider.recordRequest({
      admission: -1,
      outcome: 'success',
      statusCode: 200,
      durationMs: 1,
      ttfbMs: 1,
      endedAt: provider.clock.now(),
      reason: undefined,
      retryAfterMs: undefined,
      usage: {
        operation: 'chat',
        model: 'm',
        modelFromResponse: true,
        inputTokens: cost * 10,
        outputTokens: 0,
        slot: undefined,
        cost: 0,
      },
    });
  };

  it('answers locally until spend leaves the window, then admits again and the status recovers', () => {
    const clock = new ManualClock();
    const registry = new ProviderRegistry(
      resolveOptions(
        {
          server: false,
          providers: {
            openai: {
              prices: { '*': { input: 100_000, output: 0 } },
              budget: { amount: 5, per: '10m' },
              budgetAction: 'reject',
            },
          },
        },
        {},
      ),
      clock,
    );
    const openai = registry.getOrCreateProvider('openai');
    spend(openai, registry, 5);
    expect(openai.getHealthReport()).toEqual({ status: 'degraded', reasons: ['budget'] });
    const answer = admitRequest(registry, openai, 'POST', 'https://api.openai.com', '/v1/chat/completions');
    expect(answer).toMatchObject({ reason: 'budget_exhausted', provider: 'openai' });
    // Spend leaves the window a slot (a tenth of it) at a time: within the window, not before 9/10 of it.
    const wait = (answer as { retryAfterMs: number }).retryAfterMs;
    expect(wait).toBeGreaterThan(9 * 60_000);
    expect(wait).toBeLessThanOrEqual(10 * 60_000);
    clock.advance(wait - 1);
    expect(admitRequest(registry, openai, 'POST', 'x', '/')).not.toBeInstanceOf(RequestObservation);
    clock.advance(1);
    expect(admitRequest(registry, openai, 'POST', 'x', '/')).toBeInstanceOf(RequestObservation);
    expect(openai.getHealthReport()).toEqual({ status: 'available', reasons: [] });
    expect(openai.getHealthMetrics().outcomes.budget_exceeded).toBe(2);
  });

  it('observe mode never answers locally, even with a spent budget', () => {
    const registry = new ProviderRegistry(
      resolveOptions(
        {
          server: false,
          mode: 'observe',
          providers: {
            openai: {
              prices: { '*': { input: 100_000, output: 0 } },
              budget: { amount: 1, per: '1h' },
              budgetAction: 'reject',
            },
          },
        },
        {},
      ),
      new ManualClock(),
    );
    const openai = registry.getOrCreateProvider('openai');
    spend(openai, registry, 3);
    expect(openai.getHealthStatus()).toBe('degraded');
    expect(admitRequest(registry, openai, 'POST', 'x', '/')).toBeInstanceOf(RequestObservation);
  });
});

describe('a budget and endpoints', () => {
  it('is the provider’s: spend in one region degrades the provider and every region, and rejects in all', () => {
    const registry = new ProviderRegistry(
      resolveOptions(
        {
          server: false,
          providers: {
            bedrock: {
              prices: { '*': { input: 100_000, output: 0 } },
              budget: { amount: 1, per: '1h' },
              budgetAction: 'reject',
            },
          },
        },
        {},
      ),
      new ManualClock(),
    );
    const east = registry.providerForOrigin('https://bedrock-runtime.us-east-1.amazonaws.com') as Provider;
    const west = registry.providerForOrigin('https://bedrock-runtime.eu-west-1.amazonaws.com') as Provider;
    const bedrock = registry.getOrCreateProvider('aws.bedrock');
    expect(admitRequest(registry, west, 'POST', 'x', '/')).toBeInstanceOf(RequestObservation);
    east.recordRequest({
      admission: -1,
      outcome: 'success',
      statusCode: 200,
      durationMs: 1,
      ttfbMs: 1,
      endedAt: east.clock.now(),
      reason: undefined,
      retryAfterMs: undefined,
      usage: {
        operation: 'chat',
        model: 'anthropic.claude-3-haiku',
        modelFromResponse: false,
        inputTokens: 10,
        outputTokens: 0,
        slot: undefined,
        cost: 0,
      },
    });
    expect(bedrock.getHealthReport().reasons).toContain('budget');
    expect(west.getHealthReport()).toEqual({ status: 'degraded', reasons: ['budget'] });
    expect(admitRequest(registry, west, 'POST', 'x', '/')).toEqual(
      expect.objectContaining({ reason: 'budget_exhausted', provider: 'aws.bedrock' }),
    );
    expect(west.getHealthMetrics().outcomes.budget_exceeded).toBe(1);
  });
});
