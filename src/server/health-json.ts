import type { CircuitState } from '../breaker/circuit-state.js';
import { fleetOf, type RegistryFleet } from '../fleet/index.js';
import {
  type HealthMetricsJson,
  healthMetricsToJson,
  type ProviderHealthSnapshot,
} from '../health/health-metrics.js';
import type { HealthReason, HealthStatus } from '../health/health-status.js';
import type { Provider } from '../providers/provider.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { type FleetJson, fleetJson, type ProviderFleetJson, providerFleetJson } from './fleet-json.js';

export type OverallStatus = 'healthy' | 'degraded' | 'unhealthy';

/**
 * `healthy` when every provider is available (or none is in use yet); `unhealthy` when none of
 * them can take traffic (all circuits open); `degraded` in between. A degraded provider still
 * serves requests, so it does not count towards `unhealthy`.
 */
export function overallStatus(statuses: readonly HealthStatus[]): OverallStatus {
  if (statuses.every((status) => status === 'available')) return 'healthy';
  if (statuses.every((status) => status === 'unavailable')) return 'unhealthy';
  return 'degraded';
}

/** One provider in the snake_case shape of docs/design.md "Health endpoints". */
export interface ProviderJson {
  name: string;
  status: HealthStatus;
  reasons: readonly HealthReason[];
  circuit_state: CircuitState;
  next_trial_in: number | null;
  metrics: HealthMetricsJson;
  /** By endpoint key (`us-east-1`): each region or deployment with its own circuit. Empty for most providers. */
  endpoints: Record<string, EndpointJson>;
  /** The fleet-wide circuit, with a fleet (docs/design.md, "Fleet"); each endpoint has its own. */
  fleet?: ProviderFleetJson;
}

export interface EndpointJson extends Omit<ProviderJson, 'endpoints'> {
  region: string | null;
  address: string | null;
}

export function providerJson(snapshot: ProviderHealthSnapshot, fleet?: RegistryFleet): ProviderJson {
  const endpoints: Record<string, EndpointJson> = {};
  for (const endpoint of snapshot.endpoints) {
    endpoints[endpoint.key] = {
      ...unitJson(endpoint, fleet),
      region: endpoint.region,
      address: endpoint.address,
    };
  }
  return { ...unitJson(snapshot, fleet), endpoints };
}

function unitJson(
  snapshot: Omit<ProviderHealthSnapshot, 'endpoints'>,
  fleet: RegistryFleet | undefined,
): Omit<ProviderJson, 'endpoints'> {
  const json: Omit<ProviderJson, 'endpoints'> = {
    name: snapshot.name,
    status: snapshot.status,
    reasons: snapshot.reasons,
    circuit_state: snapshot.circuitState,
    next_trial_in: snapshot.nextTrialIn,
    metrics: healthMetricsToJson(snapshot.metrics),
  };
  if (fleet !== undefined)
    json.fleet = providerFleetJson(fleet.state(snapshot.name), fleet.registry.clock.now());
  return json;
}

export interface ProvidersView {
  status: OverallStatus;
  timestamp: string;
  providers: Record<string, ProviderJson>;
  /** With a fleet: its name, this replica, whether Redis is reachable, the replicas seen. */
  fleet?: FleetJson;
}

/** `GET /health/providers`, and the snapshot live clients receive. */
export function providersView(registry: ProviderRegistry): ProvidersView {
  const providers: Record<string, ProviderJson> = {};
  const statuses: HealthStatus[] = [];
  const fleet = fleetOf(registry);
  for (const provider of sortedProviders(registry)) {
    const snapshot = provider.snapshot();
    statuses.push(snapshot.status);
    providers[provider.name] = providerJson(snapshot, fleet);
  }
  const view: ProvidersView = {
    status: overallStatus(statuses),
    timestamp: new Date().toISOString(),
    providers,
  };
  if (fleet !== undefined) view.fleet = fleetJson(fleet);
  return view;
}

export interface HealthView {
  status: OverallStatus;
  timestamp: string;
  providers: Record<string, HealthStatus>;
  counts: Record<HealthStatus, number>;
}

/** `GET /health`: the status string per provider. */
export function healthView(registry: ProviderRegistry): HealthView {
  const providers: Record<string, HealthStatus> = {};
  const counts: Record<HealthStatus, number> = { available: 0, degraded: 0, unavailable: 0 };
  for (const provider of sortedProviders(registry)) {
    const status = provider.getHealthStatus();
    providers[provider.name] = status;
    counts[status]++;
  }
  return {
    status: overallStatus(Object.values(providers)),
    timestamp: new Date().toISOString(),
    providers,
    counts,
  };
}

// Stable order: the status page and diffs of JSON output do not reshuffle as traffic arrives.
function sortedProviders(registry: ProviderRegistry): Provider[] {
  return registry.activeProviders().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
