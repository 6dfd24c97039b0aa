import { Circuit, Fallback, Retry, Timeout } from 'mollitia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { execute, getProvider, isCircuitOpenError } from '../../src/index.js';
import { providerBreaker } from '../../src/mollitia-module.js';
import { configureRegistry } from '../../src/providers/global-registry.js';

const FALLBACK = 'cached answer';

beforeEach(() => {
  configureRegistry({});
});
afterEach(() => {
  vi.useRealTimers();
});

const upstreamError = () => Object.assign(new Error('upstream 503'), { status: 503 });

/** Fallback outermost, then Retry (not retrying a rejection by our breaker), the breaker, a Timeout. */
function resilientCircuit(func: () => Promise<string>, attempts = 2): Circuit {
  return new Circuit({
    func,
    options: {
      modules: [
        new Fallback({ callback: () => FALLBACK }),
        new Retry({ attempts, interval: 0, onRejection: (error: unknown) => !isCircuitOpenError(error) }),
        providerBreaker('openai'),
        new Timeout({ delay: 5_000 }),
      ],
    },
  });
}

describe("providerBreaker('openai') as a mollitia module", () => {
  it('uses the provider breaker of the process-wide registry', () => {
    expect(providerBreaker('openai').provider).toBe(getProvider('openai'));
    expect(providerBreaker('fal.ai').provider).toBe(getProvider('fal'));
  });

  it('records every attempt mollitia makes; a success through the circuit counts once', async () => {
    const func = vi.fn(async () => 'fresh');
    await expect(resilientCircuit(func).execute()).resolves.toBe('fresh');
    expect(getProvider('openai')?.getHealthMetrics().outcomes.success).toBe(1);
  });

  it('shares state with the provider: failures through the circuit open its breaker, then Fallback answers', async () => {
    const func = vi.fn(async (): Promise<string> => {
      throw upstreamError();
    });
    const circuit = resilientCircuit(func);
    // Retry makes 3 attempts a call: 2 calls are 6 failures, the 5th opens the circuit.
    await expect(circuit.execute()).rejects.toBe(FALLBACK);
    expect(func).toHaveBeenCalledTimes(3);
    await expect(circuit.execute()).rejects.toBe(FALLBACK);
    expect(func).toHaveBeenCalledTimes(5);
    const openai = getProvider('openai');
    expect(openai?.breaker.state).toBe('open');
    expect(openai?.getHealthMetrics()).toMatchObject({ failedRequests: 5, rejectedRequests: 1 });

    // While open: the fallback answers and func is not called, through the circuit or execute().
    await expect(circuit.execute()).rejects.toBe(FALLBACK);
    expect(func).toHaveBeenCalledTimes(5);
    await expect(execute('openai', func)).rejects.toSatisfy(isCircuitOpenError);
    expect(func).toHaveBeenCalledTimes(5);
  });

  it('rejects with CircuitOpenError when the provider was opened elsewhere', async () => {
    getProvider('openai')?.breaker.forceOpen();
    const func = vi.fn(async () => 'fresh');
    const bare = new Circuit({ func, options: { modules: [providerBreaker('openai')] } });
    const error = await bare.execute().catch((e: unknown) => e);
    expect(isCircuitOpenError(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'openai', code: 'ERR_CIRCUIT_OPEN' });
    expect(func).not.toHaveBeenCalled();
  });

  it('records a function that throws synchronously as a failure', async () => {
    const func = vi.fn((): Promise<string> => {
      throw upstreamError();
    });
    const bare = new Circuit({ func, options: { modules: [providerBreaker('openai')] } });
    for (let i = 0; i < 5; i++) await expect(bare.execute()).rejects.toThrow('upstream 503');
    expect(getProvider('openai')?.getHealthMetrics().failedRequests).toBe(5);
    expect(getProvider('openai')?.breaker.state).toBe('open');
  });

  it("counts mollitia's Timeout as a failure of the attempt it cut short", async () => {
    vi.useFakeTimers();
    const func = vi.fn(() => new Promise<string>(() => undefined));
    const circuit = new Circuit({
      func,
      options: { modules: [providerBreaker('openai'), new Timeout({ delay: 1_000 })] },
    });
    const result = circuit.execute().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await result).toMatchObject({ message: 'Timed out' });
    expect(getProvider('openai')?.getHealthMetrics().failedRequests).toBe(1);
  });
});
