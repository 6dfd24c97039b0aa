import type { CallResult } from '../children/calls.js';
import type { ProviderView } from '../children/provider-view.js';

export type { CallResult, ProviderView };

/** The message the synthetic reply and CircuitOpenError carry, found wherever the client put it. */
export function mentionsOpenCircuit(result: CallResult, provider: string): boolean {
  const text = JSON.stringify([result.error, result.body]);
  return text.includes(`circuit breaker open for provider ${provider}`);
}
