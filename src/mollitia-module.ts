import { requireOptional } from './common/lazy-require.js';
// The package's main entry, not a copy of it: the build resolves this to `provider-health`.
import { execute, getRegistry } from './index.js';
import type { Provider } from './providers/provider.js';

// mollitia's types are ES module types: CommonJS users read them through `resolution-mode`.
type Mollitia = typeof import('mollitia', { with: { 'resolution-mode': 'import' }});
type Module = import('mollitia', { with: { 'resolution-mode': 'import' }}).Module;
type Circuit = import('mollitia', { with: { 'resolution-mode': 'import' }}).Circuit;
type CircuitFunction = import('mollitia', { with: { 'resolution-mode': 'import' }}).CircuitFunction;

/**
 * A provider's breaker as a mollitia module, so it composes with mollitia's Retry, Timeout and
 * Fallback in an explicit call while sharing its state with the automatic interception:
 *
 *   import { providerBreaker } from 'provider-health/mollitia';
 *   new Circuit({ func, options: { modules: [new Retry(...), providerBreaker('openai'), new Timeout(...)] } })
 *
 * Each attempt that reaches this module is admitted (CircuitOpenError while open) and its
 * outcome recorded on the provider, exactly like `execute()`.
 */
export interface ProviderBreakerModule extends Module {
  readonly provider: Provider;
}

type ProviderBreakerClass = new (provider: Provider) => ProviderBreakerModule;
let moduleClass: ProviderBreakerClass | undefined;

/**
 * mollitia is an optional peer dependency: it is loaded at the first `providerBreaker()` call, so
 * importing this entry costs nothing without it, and a missing install is one clear error.
 */
function providerBreakerClass(): ProviderBreakerClass {
  if (moduleClass !== undefined) return moduleClass;
  const { Module: Base } = requireOptional<Mollitia>('mollitia', 'providerBreaker()');
  class ProviderBreaker extends Base implements ProviderBreakerModule {
    constructor(readonly provider: Provider) {
      super({ name: `provider-health:${provider.name}` });
    }

    // mollitia's Module signature uses any[] for params; unknown[] is the safe reading of it.
    override execute<T>(circuit: Circuit, promise: CircuitFunction, ...params: unknown[]): Promise<T> {
      const run = execute(this.provider, () => promise(...params) as Promise<T>);
      this.emit('execute', circuit, run, this.getExecParams(circuit, params));
      return run;
    }
  }
  moduleClass = ProviderBreaker;
  return moduleClass;
}

/** The breaker of `provider` (a name or alias, or a Provider) as a mollitia module. */
export function providerBreaker(provider: string | Provider): ProviderBreakerModule {
  const target = typeof provider === 'string' ? getRegistry().getOrCreateProvider(provider) : provider;
  return new (providerBreakerClass())(target);
}
