import type { TransitionEvent } from '../breaker/circuit-state.js';
import { callSafely } from '../common/callbacks.js';
import type { Provider, ProviderEventSink } from './provider.js';
import type { RecordedRequest, RejectedRequest, StatusEvent, TrendEvent } from './provider-records.js';

export type { RecordedRequest, RejectedRequest, StatusEvent, TrendEvent } from './provider-records.js';

/**
 * The plugin's one event surface (docs/design.md, "Events"): telemetry, the health server, the
 * fleet and users' status callbacks all subscribe here, the same way.
 */
export interface ProviderEventMap {
  /** Every finished request (hot path: listeners must be cheap and must not keep `request`). */
  record: (provider: Provider, request: RecordedRequest) => void;
  /** A request answered locally because the circuit is open; `request` is absent for explicit calls. */
  reject: (provider: Provider, request: RejectedRequest | undefined) => void;
  transition: (event: TransitionEvent) => void;
  status: (event: StatusEvent) => void;
  /** The early warning raised or cleared; never a rejection by itself. */
  trend: (event: TrendEvent) => void;
}
export type ProviderEventName = keyof ProviderEventMap;

type Listener = (first: unknown, second: unknown) => unknown;
type Lists = { [K in ProviderEventName]: readonly ProviderEventMap[K][] };

/**
 * Listener lists per event. Adding or removing replaces a list (copy on write), so emitting
 * iterates without copying and allocates nothing. Every listener is called through the same
 * guard: a throw of any value, or a rejected promise from an async listener, is logged once and
 * never reaches the request, the breaker or the other listeners.
 */
export class ProviderEvents implements ProviderEventSink {
  private lists: Lists = { record: [], reject: [], transition: [], status: [], trend: [] };

  on<K extends ProviderEventName>(name: K, listener: ProviderEventMap[K]): () => void {
    this.lists = { ...this.lists, [name]: [...this.lists[name], listener] };
    return () => this.off(name, listener);
  }

  off<K extends ProviderEventName>(name: K, listener: ProviderEventMap[K]): void {
    const list = this.lists[name] as readonly ProviderEventMap[K][];
    const index = list.indexOf(listener);
    if (index < 0) return;
    this.lists = { ...this.lists, [name]: [...list.slice(0, index), ...list.slice(index + 1)] };
  }

  has(name: ProviderEventName): boolean {
    return this.lists[name].length > 0;
  }

  emit<K extends ProviderEventName>(
    name: K,
    first: Parameters<ProviderEventMap[K]>[0],
    second?: Parameters<ProviderEventMap[K]>[1],
  ): void {
    const list = this.lists[name] as unknown as readonly Listener[];
    for (let i = 0; i < list.length; i++) callSafely(name, list[i] as Listener, first, second);
  }

  /** Subscribes everything subscribed to `other` here too (a registry replaced by one with new options). */
  adoptFrom(other: ProviderEvents, names: readonly ProviderEventName[]): void {
    for (const name of names) {
      for (const listener of other.lists[name]) this.on(name, listener as never);
    }
  }
}
