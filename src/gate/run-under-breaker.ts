import { localAnswerError } from '../common/circuit-open-error.js';
import { executeScope } from '../common/execute-scope.js';
import type { Provider } from '../providers/provider.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { admitRequest } from './admission-gate.js';
import { RequestObservation } from './request-observation.js';

/**
 * Runs `fn` under a provider's breaker through the admission gate, for the explicit APIs
 * (`execute()`, the mollitia module): while the circuit is open it throws CircuitOpenError
 * without calling `fn`; otherwise the outcome is recorded: a resolved value is a success, a fetch
 * Response is classified by its status, a thrown error by its status, headers or code. Requests
 * `fn` makes to that provider are left to this call (execute scope), so they are not admitted
 * or recorded a second time.
 */
export async function runUnderBreaker<T>(
  registry: ProviderRegistry,
  provider: Provider,
  fn: () => Promise<T> | T,
): Promise<T> {
  const observation = admitRequest(registry, provider, undefined, undefined, undefined);
  if (!(observation instanceof RequestObservation)) {
    const error = localAnswerError(observation);
    // On the next turn of the event loop, like every local answer: a caller retrying at once
    // in a loop must not starve timers and sockets (docs/design.md, "Rejecting while open").
    await new Promise<void>((resolve) => setImmediate(resolve));
    throw error;
  }
  let result: T;
  try {
    // Inside the try: a function that throws synchronously is recorded too (and frees its trial slot).
    result = await executeScope().run(provider.name, fn);
  } catch (error) {
    observation.finishWithError(error);
    throw error;
  }
  observation.finishWithValue(result);
  return result;
}
