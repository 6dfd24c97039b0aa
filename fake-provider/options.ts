import type { BehaviourSpec, Flavor, RecordedRequest } from './types.js';

export interface FakeProviderOptions {
  /** @default 'multi' */
  readonly flavor?: Flavor;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** The HTTP/2 (h2c) and gRPC listener's port; 0 picks a free port. @default 0 */
  readonly h2Port?: number;
  /** Requests kept in `requests`; older ones are dropped. @default 1000 */
  readonly maxLoggedRequests?: number;
  /** fal queue: status polls answered `IN_PROGRESS` before `COMPLETED`. @default 0 */
  readonly falPendingPolls?: number;
}

export interface FakeProvider {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. OpenAI's SDK wants `${url}/v1`. */
  readonly url: string;
  readonly port: number;
  /**
   * The same provider over cleartext HTTP/2 with prior knowledge (h2c), a second listener:
   * the AWS SDK's default handler, gRPC clients. Script, log and count are shared with `url`.
   */
  readonly h2Url: string;
  readonly h2Port: number;
  readonly flavor: Flavor;
  /** The most recent requests, oldest first (capped by `maxLoggedRequests`). A copy. */
  readonly requests: readonly RecordedRequest[];
  /** Requests received since start or the last `reset()`, not capped. */
  readonly requestCount: number;
  /** Appends to the queue of one-shot behaviours; each request takes the next one, then the default. */
  script(behaviours: readonly BehaviourSpec[]): void;
  /** The behaviour of every request once the script is used up. @default { kind: 'ok' } */
  setDefault(behaviour: BehaviourSpec): void;
  /** Clears the script, the log, the count and fal queue state; the default goes back to ok. */
  reset(): void;
  /** Stops listening and destroys every socket, hung ones included; clears all timers. */
  close(): Promise<void>;
}
