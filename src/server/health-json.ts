import { healthMetricsToJson, type ProviderHealthSnapshot } from '../health/health-metrics.js';
import type { HealthStatus } from '../health/health-status.js';
import type { Provider } from '../providers/provider.js';
import type { ProviderRegistry } from '../providers/registry.js';

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

/** One provider in the specification's snake_case shape. */
export function providerJson(snapshot: ProviderHealthSnapshot): Record<string, unknown> {
  return {
    name: snapshot.name,
    status: snapshot.status,
    reasons: snapshot.reasons,
    circuit_state: snapshot.circuitState,
    next_trial_in: snapshot.nextTrialIn,
    metrics: healthMetricsToJson(snapshot.metrics),
  };
}

export interface ProvidersView {
  status: OverallStatus;
  timestamp: string;
  providers: Record<string, Record<string, unknown>>;
}

/** `GET /health/providers`, and the snapshot live clients receive. */
export function providersView(registry: ProviderRegistry): ProvidersView {
  const providers: Record<string, Record<string, unknown>> = {};
  const statuses: HealthStatus[] = [];
  for (const provider of sortedProviders(registry)) {
    const snapshot = provider.snapshot();
    statuses.push(snapshot.status);
    providers[provider.name] = providerJson(snapshot);
  }
  return { status: overallStatus(statuses), timestamp: new Date().toISOString(), providers };
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
