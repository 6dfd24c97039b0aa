import type { CircuitBreaker } from '../breaker/circuit-breaker.js';
import type { Admission } from '../breaker/circuit-state.js';
import type { Outcome } from '../outcome/outcome.js';

/**
 * What an active check needs of a provider. A Provider (src/providers) is one; the checks sit
 * below providers so the registry can own the scheduler, and see only this.
 */
export interface CheckTarget {
  readonly name: string;
  readonly breaker: CircuitBreaker;
  readonly config: {
    readonly hosts: readonly string[];
    readonly healthCheckUrl: string | false;
    readonly probePath: string | undefined;
    readonly apiKeyEnv: string | undefined;
  };
  record(
    admission: Admission,
    outcome: Outcome,
    statusCode: number,
    durationMs: number,
    ttfbMs: number,
    reason?: string,
  ): void;
}
