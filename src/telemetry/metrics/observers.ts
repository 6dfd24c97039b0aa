import type { Attributes, ObservableResult } from '@opentelemetry/api';
import { logOnce } from '../../common/log.js';
import { fleetOf } from '../../fleet/registry-fleet.js';
import type { Provider } from '../../providers/provider.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import {
  CIRCUIT_STATE_VALUES,
  HEALTH_STATUS_VALUES,
  RATELIMIT_KIND_VALUES,
  TREND_SIGNAL_VALUES,
} from '../metric-names.js';
import { attributesOf } from './attribute-cache.js';
import type { TransitionCounts } from './transition-counts.js';

/**
 * Collection-time readers for the observable instruments. Each reads the registry's own state,
 * which is why counts survive a move to another MeterProvider. Only `active` providers are
 * reported: the catalog's ~20 built-ins would otherwise each add a row of zeros.
 */
export type Observer = (result: ObservableResult) => void;

/** Wraps a callback so a fault is logged once and the collection goes on without it. */
export function guarded(name: string, observe: Observer): Observer {
  return (result) => {
    try {
      observe(result);
    } catch (error) {
      logOnce(`metrics:${name}`, `collecting ${name} failed; its series are skipped`, error);
    }
  };
}

/**
 * What takes requests: each active provider, or each of its endpoints (with their own breakers and
 * stats), and the provider itself too when requests also went to it directly.
 */
function eachActive(registry: ProviderRegistry, visit: (provider: Provider) => void): void {
  for (const provider of registry.listProviders()) {
    if (!provider.active) continue;
    const endpoints = provider.endpoints;
    if (endpoints.length === 0 || provider.takesRequestsItself) visit(provider);
    for (const endpoint of endpoints) if (endpoint.active) visit(endpoint);
  }
}

/** Each active provider as a whole: health and up are the provider's, aggregated over its endpoints. */
function eachProvider(registry: ProviderRegistry, visit: (provider: Provider) => void): void {
  for (const provider of registry.listProviders()) if (provider.active) visit(provider);
}

export function observeRequests(registry: ProviderRegistry): Observer {
  // Reused between collections: several statusCounts keys can map to one attribute set (every
  // `rejected` key does), and an observable result keeps only the last value per set.
  const sums = new Map<Attributes, number>();
  return (result) => {
    eachActive(registry, (provider) => {
      const attributes = attributesOf(provider);
      sums.clear();
      provider.stats.forEachStatusCount((key, count) => {
        const set = attributes.forStatusKey(key);
        sums.set(set, (sums.get(set) ?? 0) + count);
      });
      for (const [set, count] of sums) result.observe(count, set);
    });
    sums.clear();
  };
}

export function observeCircuitState(registry: ProviderRegistry): Observer {
  return (result) => {
    eachActive(registry, (provider) => {
      const state = provider.breaker.state;
      const sets = attributesOf(provider).circuitState;
      for (const value of CIRCUIT_STATE_VALUES) result.observe(value === state ? 1 : 0, sets[value]);
    });
  };
}

export function observeHealth(registry: ProviderRegistry): Observer {
  return (result) => {
    eachProvider(registry, (provider) => {
      const status = provider.getHealthStatus();
      const sets = attributesOf(provider).health;
      for (const value of HEALTH_STATUS_VALUES) result.observe(value === status ? 1 : 0, sets[value]);
    });
  };
}

export function observeUp(registry: ProviderRegistry): Observer {
  return (result) => {
    eachProvider(registry, (provider) => {
      result.observe(provider.getHealthStatus() === 'available' ? 1 : 0, attributesOf(provider).provider);
    });
  };
}

/** The early warning, per signal: read after a health refresh, which samples the stats if due. */
export function observeDegrading(registry: ProviderRegistry): Observer {
  return (result) => {
    eachActive(registry, (provider) => {
      provider.getHealthReport();
      const signals = provider.early.trend.signals();
      const sets = attributesOf(provider).trendSignal;
      for (const value of TREND_SIGNAL_VALUES) result.observe(signals.includes(value) ? 1 : 0, sets[value]);
    });
  };
}

export function observeTransitions(registry: ProviderRegistry, counts: TransitionCounts): Observer {
  return (result) => {
    eachActive(registry, (provider) => {
      const attributes = attributesOf(provider);
      for (const entry of counts.forProvider(provider.name))
        result.observe(entry.count, attributes.transition(entry.from, entry.to, entry.reason));
    });
  };
}

export function observeRatelimit(registry: ProviderRegistry, which: 'remaining' | 'limit'): Observer {
  return (result) => {
    eachActive(registry, (provider) => {
      for (const kind of RATELIMIT_KIND_VALUES) {
        const value = provider.stats.ratelimits.value(kind, which);
        if (value !== undefined) result.observe(value, attributesOf(provider).ratelimitKind(kind));
      }
    });
  };
}

/**
 * `ai_provider.cost`: lifetime spend per provider, model and outcome, from the provider's ledger
 * (shared with its endpoints, so read once per provider). Failed calls carry their own outcome.
 */
export function observeCost(registry: ProviderRegistry): Observer {
  return (result) => {
    eachProvider(registry, (provider) => {
      const attributes = attributesOf(provider);
      provider.ledger.forEachCost((slot, outcomeIndex, cost) => {
        result.observe(cost, attributes.cost(slot, outcomeIndex));
      });
    });
  };
}

/** `ai_provider.budget.spent` / `.limit`: only providers with a budget. */
export function observeBudget(registry: ProviderRegistry, which: 'spent' | 'limit'): Observer {
  return (result) => {
    eachProvider(registry, (provider) => {
      const budget = provider.ledger.budget;
      if (budget === undefined) return;
      const value = which === 'spent' ? budget.spent(provider.clock.now()) : budget.amount;
      result.observe(value, attributesOf(provider).provider);
    });
  };
}

/** Only a registry with a fleet has the series: without one there is nothing to be connected to. */
export function observeFleetConnected(registry: ProviderRegistry): Observer {
  return (result) => {
    const fleet = fleetOf(registry);
    if (fleet !== undefined) result.observe(fleet.connected ? 1 : 0);
  };
}
