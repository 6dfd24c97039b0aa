import { type Circuit, type CircuitFunction, Module } from 'mollitia';
import { classify } from '../outcome/classify.js';
import { getRegistry } from '../providers/global-registry.js';
import type { Provider } from '../providers/provider.js';
import { CircuitOpenError } from './circuit-open-error.js';
import { REJECTED } from './circuit-state.js';
import { executeScope } from './execute-scope.js';

/**
 * A provider's breaker as a mollitia module, so it composes with mollitia's Retry, Timeout and
 * Fallback in an explicit call while sharing its state with the automatic interception:
 *
 *   new Circuit({ func, options: { modules: [new Retry(...), providerBreaker('openai'), new Timeout(...)] } })
 *
 * Each attempt that reaches this module is admitted (CircuitOpenError while open) and its
 * outcome recorded on the provider, exactly like `execute()`.
 */
export class ProviderBreakerModule extends Module {
  readonly provider: Provider;

  constructor(provider: string | Provider) {
    const target = typeof provider === 'string' ? getRegistry().getOrCreateProvider(provider) : provider;
    super({ name: `provider-health:${target.name}` });
    this.provider = target;
  }

  // mollitia's Module signature uses any[] for params; unknown[] is the safe reading of it.
  override async execute<T>(circuit: Circuit, promise: CircuitFunction, ...params: unknown[]): Promise<T> {
    const provider = this.provider;
    const admission = provider.admit();
    if (admission === REJECTED) {
      provider.record(admission, 'rejected');
      throw new CircuitOpenError(provider.name, provider.breaker.retryAfterMs());
    }
    const started = performance.now();
    // async: a function that throws synchronously must still be recorded (and free its trial slot).
    const run = executeScope().run(provider.name, async () => promise(...params) as Promise<T>);
    this.emit('execute', circuit, run, this.getExecParams(circuit, params));
    try {
      const value = await run;
      provider.record(admission, 'success', 0, performance.now() - started);
      return value;
    } catch (error) {
      const { outcome, reason, retryAfterMs } = classify({ error });
      provider.record(admission, outcome, 0, performance.now() - started, -1, reason, retryAfterMs);
      throw error;
    }
  }
}

export function providerBreaker(provider: string | Provider): ProviderBreakerModule {
  return new ProviderBreakerModule(provider);
}
