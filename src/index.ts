/**
 * provider-health: circuit breakers, OpenTelemetry metrics and health endpoints for every
 * outgoing call to an AI provider. Most services only load `provider-health/register`; this
 * is the API for the ones that want to look inside or call through a breaker explicitly.
 */

import type { CircuitBreaker } from './breaker/circuit-breaker.js';
import { wrapDispatcher as wrapAnyDispatcher } from './intercept/index.js';
import { getRegistry } from './providers/global-registry.js';
import type { Provider } from './providers/provider.js';
import type { StatusCallback } from './providers/registry.js';

export type { BreakerOptions } from './breaker/breaker-options.js';
export { CircuitBreaker } from './breaker/circuit-breaker.js';
export type { Admission, CircuitState, TransitionEvent, TransitionReason } from './breaker/circuit-state.js';
export { ADMITTED, REJECTED } from './breaker/circuit-state.js';
export type { HealthCheckResult, HealthProbe } from './checks/health-check.js';
export {
  CircuitOpenError,
  getCircuitOpenError,
  isBudgetExceededError,
  isCircuitOpenError,
} from './common/circuit-open-error.js';
export { ConfigError, isConfigError } from './config/config-error.js';
export type { Mode, ProviderHealthOptions, ProviderOptions, RejectWith } from './config/options.js';
export { execute } from './execute.js';
export type { BaselineData, BaselineStore } from './health/baseline-data.js';
export {
  type HealthMetrics,
  healthMetricsToJson,
  type ProviderHealthSnapshot,
} from './health/health-metrics.js';
export type { HealthReason, HealthReport, HealthStatus } from './health/health-status.js';
export type { TrendSignal } from './health/trend-detector.js';
export { type ClassifyInput, classify } from './outcome/classify.js';
export { type Classification, OUTCOMES, type Outcome } from './outcome/outcome.js';
export { pickHealthy } from './pick-healthy.js';
export { CATALOG, type CatalogEntry } from './providers/catalog.js';
export { configureRegistry, getRegistry } from './providers/global-registry.js';
export { Provider, type ProviderConfig } from './providers/provider.js';
export type {
  ProviderEventMap,
  ProviderEventName,
  RecordedRequest,
  RejectedRequest,
  StatusEvent,
  TrendEvent,
} from './providers/provider-events.js';
export { type HealthMonitor, ProviderRegistry, type StatusCallback } from './providers/registry.js';
export { ATTR, METRICS, prometheusName } from './telemetry/metric-names.js';

/** A provider by name or alias (`openai`, `anthropic`, `fal.ai`, …); undefined if unknown. */
export function getProvider(name: string): Provider | undefined {
  return getRegistry().getProvider(name);
}

/**
 * `healthMonitor` (docs/design.md, "Public API"), bound to the process-wide registry:
 * `healthMonitor.getOrCreateBreaker('openai').failureThreshold = 3`.
 */
export const healthMonitor = {
  getOrCreateBreaker(name: string): CircuitBreaker {
    return getRegistry().healthMonitor.getOrCreateBreaker(name);
  },
  addStatusCallback(callback: StatusCallback): () => void {
    return getRegistry().healthMonitor.addStatusCallback(callback);
  },
  removeStatusCallback(callback: StatusCallback): void {
    getRegistry().healthMonitor.removeStatusCallback(callback);
  },
};

/**
 * Anything with undici's `dispatch`: Node's bundled Agent, undici 7's Agent, a ProxyAgent, a
 * dispatcher of your own. Declared by its shape so these types need no `undici` installed.
 */
export interface UndiciDispatcher {
  dispatch(...args: never[]): unknown;
}

/** Wraps a dispatcher so requests through it to providers are admitted and observed (idempotent). */
export const wrapDispatcher: <T extends UndiciDispatcher>(dispatcher: T) => T = wrapAnyDispatcher as <
  T extends UndiciDispatcher,
>(
  dispatcher: T,
) => T;

export type { HealthHandlerOptions, HealthServerOptions } from './server/index.js';
export { createHealthHandler, startHealthServer } from './server/index.js';
export { start } from './start.js';
export { httpInstrumentationConfig, undiciInstrumentationConfig } from './telemetry/index.js';
