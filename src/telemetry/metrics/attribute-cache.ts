import type { Attributes } from '@opentelemetry/api';
import type { CircuitState, TransitionReason } from '../../breaker/circuit-state.js';
import type { HealthStatus } from '../../health/health-status.js';
import type { ModelSlot } from '../../health/spend-ledger.js';
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
  /** By model slot: token attributes by operation (input, output), cost attributes by outcome index. */
  private readonly models = new Map<ModelSlot, ModelSets>();

  /**
   * @param base what every set starts with: the provider's name and, for one of its endpoints,
   * `server.address` and `cloud.region` (docs/design.md, "Endpoints")
   */
  constructor(private readonly base: Readonly<Record<string, string>>) {
    this.provider = Object.freeze({ ...base });
    this.byOutcome = OUTCOMES.map((outcome) => Object.freeze({ ...base, [ATTR.outcome]: outcome }));
    this.circuitState = oneHot(base, ATTR.circuitState, CIRCUIT_STATE_VALUES);
    this.health = oneHot(base, ATTR.healthStatus, HEALTH_STATUS_VALUES);
    this.trendSignal = oneHot(base, ATTR.trendSignal, TREND_SIGNAL_VALUES);
  }

  outcome(outcome: Outcome): Attributes {
    return this.byOutcome[OUTCOME_INDEX[outcome]] as Attributes;
  }

  /**
   * Attributes of one `ProviderStats.statusCounts` key (`outcomeIndex * 1000 + status`). Status 0
   * (no response) and every `rejected` key carry no status code: a local reply is ours, not the provider's.
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
        ...this.base,
        [ATTR.circuitFrom]: from,
        [ATTR.circuitTo]: to,
        [ATTR.circuitReason]: reason,
      });
      this.transitions.set(key, attributes);
    }
    return attributes;
  }

  /**
   * `gen_ai.client.token.usage` attributes (OTel GenAI semantic conventions): the provider, the
   * operation, the token type and the model, as the response or the path named it.
   */
  tokens(slot: ModelSlot, operation: string, type: 'input' | 'output'): Attributes {
    const sets = this.modelSets(slot)[type];
    let attributes = sets.get(operation);
    if (attributes === undefined) {
      attributes = Object.freeze({
        ...this.base,
        ...modelAttribute(slot),
        [ATTR.operationName]: operation,
        [ATTR.tokenType]: type,
      });
      sets.set(operation, attributes);
    }
    return attributes;
  }

  /** `ai_provider.cost` attributes: the provider, the model and the request's outcome. */
  cost(slot: ModelSlot, outcomeIndex: number): Attributes {
    const sets = this.modelSets(slot).cost;
    let attributes = sets[outcomeIndex];
    if (attributes === undefined) {
      attributes = Object.freeze({
        ...this.base,
        ...modelAttribute(slot),
        [ATTR.outcome]: OUTCOMES[outcomeIndex] ?? 'success',
      });
      sets[outcomeIndex] = attributes;
    }
    return attributes;
  }

  private modelSets(slot: ModelSlot): ModelSets {
    let sets = this.models.get(slot);
    if (sets === undefined) {
      sets = { input: new Map(), output: new Map(), cost: [] };
      this.models.set(slot, sets);
    }
    return sets;
  }

  ratelimitKind(kind: string): Attributes {
    let attributes = this.ratelimit.get(kind);
    if (attributes === undefined) {
      attributes = Object.freeze({ ...this.base, [ATTR.ratelimitKind]: kind });
      this.ratelimit.set(kind, attributes);
    }
    return attributes;
  }
}

interface ModelSets {
  readonly input: Map<string, Attributes>;
  readonly output: Map<string, Attributes>;
  readonly cost: Attributes[];
}

function modelAttribute(slot: ModelSlot): Record<string, string> {
  if (slot.name === undefined) return {};
  return { [slot.fromResponse ? ATTR.responseModel : ATTR.requestModel]: slot.name };
}

function oneHot<V extends string>(
  base: Readonly<Record<string, string>>,
  key: string,
  values: readonly V[],
): Record<V, Attributes> {
  const result = {} as Record<V, Attributes>;
  for (const value of values) result[value] = Object.freeze({ ...base, [key]: value });
  return Object.freeze(result);
}

// Keyed by the Provider object so a registry replaced by configureRegistry() starts fresh.
const cache = new WeakMap<Provider, ProviderAttributes>();

export function attributesOf(provider: Provider): ProviderAttributes {
  let attributes = cache.get(provider);
  if (attributes === undefined) {
    attributes = new ProviderAttributes(baseAttributes(provider));
    cache.set(provider, attributes);
  }
  return attributes;
}

/** The provider's name, and the endpoint's address and region when it is one of its endpoints. */
function baseAttributes(provider: Provider): Record<string, string> {
  const base: Record<string, string> = { [ATTR.provider]: provider.providerName };
  const endpoint = provider.endpoint;
  if (endpoint === undefined) return base;
  base[ATTR.serverAddress] = endpoint.address ?? endpoint.key;
  if (endpoint.region !== undefined) base[ATTR.cloudRegion] = endpoint.region;
  return base;
}
