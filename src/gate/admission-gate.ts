import { ADMITTED, REJECTED } from '../breaker/circuit-state.js';
import { executeScope } from '../common/execute-scope.js';
import type { Provider } from '../providers/provider.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { RequestObservation } from './request-observation.js';

/**
 * The one admission gate (docs/design.md, "Data flow"), used by every path that reaches a
 * provider: fetch/undici, node:http and explicit calls (`execute()`, the mollitia module).
 *
 *   lookup -> admit (the mode applied here) -> observe -> classify once -> record
 *
 * Lookup is one Map hit; a request that is not to a provider, or that an explicit call for
 * that provider already admitted (execute scope), is left alone.
 */
export function providerForOrigin(registry: ProviderRegistry, origin: string): Provider | undefined {
  const provider = registry.providerForOrigin(origin);
  return provider === undefined || inExecuteScope(provider) ? undefined : provider;
}

export function providerForHost(
  registry: ProviderRegistry,
  host: string,
  port: number,
): Provider | undefined {
  const provider = registry.providerForHost(host, port);
  return provider === undefined || inExecuteScope(provider) ? undefined : provider;
}

// Inside execute() for this provider, execute() admits and records: a second admission would
// spend a second half-open trial.
function inExecuteScope(provider: Provider): boolean {
  return executeScope().getStore() === provider.name;
}

/**
 * Admits one request: an observation to feed and finish, or undefined when the circuit is open
 * and the mode enforces (then the rejection is already recorded and announced on the event
 * surface; answer it locally). Observe mode never rejects; it still runs the breaker, so its
 * state and metrics show what enforcing would do. `origin` and `path` are joined only for a
 * rejection's span; an explicit call passes none.
 */
export function admitRequest(
  registry: ProviderRegistry,
  provider: Provider,
  method: string | undefined,
  origin: string | undefined,
  path: string | undefined,
  signal?: AbortSignal | null,
): RequestObservation | undefined {
  let admission = provider.admit();
  if (admission === REJECTED) {
    if (registry.mode === 'enforce') {
      provider.record(REJECTED, 'rejected');
      registry.events.emit(
        'reject',
        provider,
        method === undefined ? undefined : { method, url: `${origin ?? ''}${path ?? ''}` },
      );
      return undefined;
    }
    admission = ADMITTED;
  }
  return new RequestObservation(provider, admission, signal);
}
