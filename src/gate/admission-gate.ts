import { ADMITTED, REJECTED } from '../breaker/circuit-state.js';
import type { LocalAnswer } from '../common/circuit-open-error.js';
import { executeScope } from '../common/execute-scope.js';
import type { Provider } from '../providers/provider.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { usageRouteOf } from '../usage/usage-route.js';
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
 * Admits one request: an observation to feed and finish, or a local answer when the mode enforces
 * and either the provider's budget is spent with `budgetAction: reject` (outcome
 * `budget_exceeded`; docs/design.md, "Token usage and cost") or its circuit is open (outcome
 * `rejected`). Either way the answer is already recorded and announced on the event surface;
 * answer it locally. Observe mode never rejects; it still runs the breaker, so its state and
 * metrics show what enforcing would do. `origin` and `path` are joined only for a rejection's
 * span; an explicit call passes none. `path` also decides whether the response's body is read
 * for token usage (only for a provider and path with a usage rule).
 */
export function admitRequest(
  registry: ProviderRegistry,
  provider: Provider,
  method: string | undefined,
  origin: string | undefined,
  path: string | undefined,
  signal?: AbortSignal | null,
): RequestObservation | LocalAnswer {
  const enforce = registry.mode === 'enforce';
  if (enforce && provider.config.budgetAction === 'reject' && provider.budgetSpent()) {
    provider.active = true;
    provider.record(REJECTED, 'budget_exceeded', 0, -1, -1, 'answered locally: budget exhausted');
    announceReject(registry, provider, method, origin, path, true);
    return {
      reason: 'budget_exhausted',
      provider: provider.providerName,
      retryAfterMs: provider.budgetFreesInMs(),
    };
  }
  let admission = provider.admit();
  if (admission === REJECTED) {
    if (enforce) {
      provider.record(REJECTED, 'rejected');
      announceReject(registry, provider, method, origin, path, false);
      return {
        reason: 'circuit_open',
        provider: provider.name,
        retryAfterMs: provider.breaker.retryAfterMs(),
      };
    }
    admission = ADMITTED;
  }
  const route = usageRouteOf(provider.config.usage, method, path);
  return new RequestObservation(provider, admission, signal, route, route === undefined ? undefined : path);
}

function announceReject(
  registry: ProviderRegistry,
  provider: Provider,
  method: string | undefined,
  origin: string | undefined,
  path: string | undefined,
  budget: boolean,
): void {
  registry.events.emit(
    'reject',
    provider,
    method === undefined ? undefined : { method, url: `${origin ?? ''}${path ?? ''}`, budget },
  );
}
