import type { Attributes } from '@opentelemetry/api';
import type { CircuitState, TransitionReason } from '../../breaker/circuit-state.js';
import type { HealthStatus } from '../../health/health-status.js';
import type { TrendSignal } from '../../health/trend-detector.js';
import { OUTCOME_INDEX, OUTCOMES, type Outcome } from '../../outcome/outcome.js';
import type { Provider } from '../../providers/provider.js';
import { ATTR, CIRCUIT_STATE_VALUES, HEALTH_STATUS_VALUES, TREND_SIGNAL_VALUES } from '../metric-names.js';

const REJECTED_INDEX = OUTCOME_INDEX.rejected;

/**
 * Frozen attribute objects per provider, built once: the record path looks one up by index instead
 * of allocating `{ provider, outcome }` for every request, and the collection callbacks reuse them.
 */
export class ProviderAttributes {
  readonly provider: Attributes;
  /** By outcome index: `{ provider, outcome }`. */
  readonly byOutcome: readonly Attributes[];
  readonly circuitState: Readonly<Record<CircuitState, Attributes>>;
  readonly health: Readonly<Record<HealthStatus, Attributes>>;
  readonly trendSignal: Readonly<Record<TrendSignal, Attributes>>;
  private readonly byStatusKey = new Map<number, Attributes>();
  private readonly transitions = new Map<string, Attributes>();
  private readonly ratelimit = new Map<string, Attributes>();

  constructor(readonly name: string) {
    this.provider = Object.freeze({ [ATTR.provider]: name });
    this.byOutcome = OUTCOMES.map((outcome) =>
      Object.freeze({ [ATTR.provider]: name, [ATTR.outcome]: outcome }),
    );
    this.circuitState = oneHot(name, ATTR.circuitState, CIRCUIT_STATE_VALUES);
    this.health = oneHot(name, ATTR.healthStatus, HEALTH_STATUS_VALUES);
    this.trendSignal = oneHot(name, ATTR.trendSignal, TREND_SIGNAL_VALUES);
  }

  outcome(outcome: Outcome): Attributes {
    return this.byOutcome[OUTCOME_INDEX[outcome]] as Attributes;
  }

  /**
   * Attributes of one `ProviderStats.statusCounts` key (`outcomeIndex * 1000 + status`). Status 0
   * (no response) and every `rejected` key carry no status code: a local 503 is ours, not the provider's.
   */
  forStatusKey(key: number): Attributes {
    let attributes = this.byStatusKey.get(key);
    if (attributes !== undefined) return attributes;
    const index = Math.floor(key / 1000);
    const status = key % 1000;
    const base = this.byOutcome[index] ?? this.byOutcome[REJECTED_INDEX];
    attributes =
      status === 0 || index === REJECTED_INDEX
        ? (base as Attributes)
        : Object.freeze({ ...base, [ATTR.statusCode]: status });
    this.byStatusKey.set(key, attributes);
    return attributes;
  }

  transition(from: CircuitState, to: CircuitState, reason: TransitionReason): Attributes {
    const key = `${from}>${to}>${reason}`;
    let attributes = this.transitions.get(key);
    if (attributes === undefined) {
      attributes = Object.freeze({
        [ATTR.provider]: this.name,
        [ATTR.circuitFrom]: from,
        [ATTR.circuitTo]: to,
        [ATTR.circuitReason]: reason,
      });
      this.transitions.set(key, attributes);
    }
    return attributes;
  }

  ratelimitKind(kind: string): Attributes {
    let attributes = this.ratelimit.get(kind);
    if (attributes === undefined) {
      attributes = Object.freeze({ [ATTR.provider]: this.name, [ATTR.ratelimitKind]: kind });
      this.ratelimit.set(kind, attributes);
    }
    return attributes;
  }
}

function oneHot<V extends string>(name: string, key: string, values: readonly V[]): Record<V, Attributes> {
  const result = {} as Record<V, Attributes>;
  for (const value of values) result[value] = Object.freeze({ [ATTR.provider]: name, [key]: value });
  return Object.freeze(result);
}

// Keyed by the Provider object so a registry replaced by configureRegistry() starts fresh.
const cache = new WeakMap<Provider, ProviderAttributes>();

export function attributesOf(provider: Provider): ProviderAttributes {
  let attributes = cache.get(provider);
  if (attributes === undefined) {
    attributes = new ProviderAttributes(provider.name);
    cache.set(provider, attributes);
  }
  return attributes;
}
