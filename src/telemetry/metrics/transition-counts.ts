import type { CircuitState, TransitionEvent, TransitionReason } from '../../breaker/circuit-state.js';
import type { ProviderRegistry } from '../../providers/registry.js';

export interface TransitionCount {
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly reason: TransitionReason;
  count: number;
}

/**
 * Lifetime transition counts per provider, kept by the plugin rather than in an SDK Counter so that
 * `ai_provider.circuit.transitions` (an ObservableCounter over these) keeps its totals when the
 * instruments move from the private MeterProvider to one the service registers later.
 */
export class TransitionCounts {
  private readonly byProvider = new Map<string, Map<string, TransitionCount>>();

  record(event: TransitionEvent): void {
    const counts = this.countsOf(event.provider);
    const key = `${event.from}>${event.to}>${event.reason}`;
    const entry = counts.get(key);
    if (entry === undefined)
      counts.set(key, { from: event.from, to: event.to, reason: event.reason, count: 1 });
    else entry.count++;
  }

  forProvider(name: string): Iterable<TransitionCount> {
    return this.countsOf(name).values();
  }

  /**
   * Every transition a breaker can make is reported from the start, at 0: Prometheus'
   * `increase()` cannot count a series' first step if the series first appears at 1, which
   * would hide the first trip of every process from dashboards and the flapping alert.
   */
  private countsOf(provider: string): Map<string, TransitionCount> {
    let counts = this.byProvider.get(provider);
    if (counts === undefined) {
      counts = new Map(
        POSSIBLE_TRANSITIONS.map(([from, to, reason]) => [
          `${from}>${to}>${reason}`,
          { from, to, reason, count: 0 },
        ]),
      );
      this.byProvider.set(provider, counts);
    }
    return counts;
  }
}

/**
 * Trips (by failures or by slow calls), trials, closing, reopening, and an operator's reset of an
 * open circuit, each with the reason it happens for. Operators' force-open and a reset of a
 * half-open circuit appear when they happen.
 */
const POSSIBLE_TRANSITIONS: ReadonlyArray<readonly [CircuitState, CircuitState, TransitionReason]> = [
  ['closed', 'open', 'failure_threshold'],
  ['closed', 'open', 'slow_call_rate'],
  ['open', 'half_open', 'recovery_timeout'],
  ['open', 'half_open', 'health_check'],
  ['half_open', 'closed', 'success_threshold'],
  ['half_open', 'open', 'half_open_failure'],
  ['half_open', 'open', 'half_open_slow_call'],
  ['half_open', 'open', 'trial_timeout'],
  ['open', 'closed', 'manual_reset'],
];

const perRegistry = new WeakMap<ProviderRegistry, TransitionCounts>();

/** The registry's counts, subscribing to its transitions the first time (once per registry). */
export function transitionCountsOf(registry: ProviderRegistry): TransitionCounts {
  let counts = perRegistry.get(registry);
  if (counts === undefined) {
    const created = new TransitionCounts();
    registry.events.on('transition', (event) => created.record(event));
    perRegistry.set(registry, created);
    counts = created;
  }
  return counts;
}
