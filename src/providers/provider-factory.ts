import {
  DEFAULT_SLOW_CALL_MIN_CALLS,
  DEFAULT_SLOW_CALL_RATE,
  type ResolvedOptions,
} from '../config/options.js';
import { resolveProviderOptions } from '../config/resolve.js';
import { MIN_REQUESTS_FOR_RATE } from '../health/health-status.js';
import type { CatalogEntry } from './catalog.js';
import type { ProviderConfig } from './provider.js';

/**
 * A provider's full configuration: its catalog entry (if built in), then the user's settings
 * for it, then the global defaults.
 */
export function buildProviderConfig(
  name: string,
  entry: CatalogEntry | undefined,
  options: ResolvedOptions,
): ProviderConfig {
  const own = resolveProviderOptions(options, name);
  return {
    name,
    hosts: [...new Set([...(entry?.hosts ?? []), ...own.hosts])],
    errorShape: entry?.errorShape ?? 'generic',
    probePath: entry?.probePath,
    apiKeyEnv: entry?.apiKeyEnv,
    healthCheckUrl: own.healthCheckUrl,
    abortTimeout: own.abortTimeout,
    endpointKind: entry?.endpoints,
    endpoints: own.endpoints,
    rules: own.rules,
    usage: own.usage === undefined ? entry?.usage : own.usage === false ? undefined : own.usage,
    prices: own.prices,
    budget: own.budget,
    budgetAction: own.budgetAction,
    breaker: {
      failureThreshold: own.failureThreshold,
      recoveryTimeoutMs: own.recoveryTimeoutMs,
      successThreshold: own.successThreshold,
      trialTimeoutMs: own.trialTimeoutMs,
      // A relative duration is set from the baseline once one is known (Provider).
      slowCallDurationMs:
        own.slowCall !== false && typeof own.slowCall.duration === 'number'
          ? own.slowCall.duration
          : Number.POSITIVE_INFINITY,
      slowCallRate: own.slowCall === false ? DEFAULT_SLOW_CALL_RATE : own.slowCall.rate,
      slowCallMinCalls: own.slowCall === false ? DEFAULT_SLOW_CALL_MIN_CALLS : own.slowCall.minCalls,
    },
    slowCall: own.slowCall,
    tripOn: own.tripOn,
    thresholds: {
      degradedFailureRate: options.degradedFailureRate,
      degradedLatencyMs: options.degradedLatencyMs,
      minRequests: MIN_REQUESTS_FOR_RATE,
    },
    statsWindowMs: options.statsWindowMs,
    earlyWarning: {
      trend: options.trendDetection,
      latencyBaseline: options.degradedLatencyBaseline,
    },
  };
}
