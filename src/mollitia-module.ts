import { type Circuit, type CircuitFunction, Module } from 'mollitia';
import { runUnderBreaker } from './gate/run-under-breaker.js';
import { getRegistry } from './providers/global-registry.js';
import type { Provider } from './providers/provider.js';

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
  override execute<T>(circuit: Circuit, promise: CircuitFunction, ...params: unknown[]): Promise<T> {
    const run = runUnderBreaker(getRegistry(), this.provider, () => promise(...params) as Promise<T>);
    this.emit('execute', circuit, run, this.getExecParams(circuit, params));
    return run;
  }
}

export function providerBreaker(provider: string | Provider): ProviderBreakerModule {
  return new ProviderBreakerModule(provider);
}
