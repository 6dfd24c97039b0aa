import type { Histogram, Meter, ObservableCounter, ObservableGauge } from '@opentelemetry/api';
import type { Outcome } from '../../outcome/outcome.js';
import type { Provider } from '../../providers/provider.js';
import type { RequestUsage } from '../../providers/provider-records.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import { DURATION_BUCKETS_SECONDS, METRICS, type MetricKey, TOKEN_BUCKETS } from '../metric-names.js';
import { SCOPE_NAME } from '../scope.js';
import { attributesOf } from './attribute-cache.js';
import {
  guarded,
  type Observer,
  observeBudget,
  observeCircuitState,
  observeCost,
  observeDegrading,
  observeFleetConnected,
  observeHealth,
  observeRatelimit,
  observeRequests,
  observeTransitions,
  observeUp,
} from './observers.js';
import { transitionCountsOf } from './transition-counts.js';

type HistogramKey = 'requestDuration' | 'timeToFirstByte' | 'tokenUsage';
type ObservableKey = Exclude<MetricKey, HistogramKey>;

/** The plugin's instruments on one Meter; `dispose()` detaches them before a move to another provider. */
export interface ProviderInstruments {
  readonly meter: Meter;
  dispose(): void;
}

/** Instrument scope: shows up as `otel_scope_name` on every Prometheus series. */
export const METER_NAME = SCOPE_NAME;

/**
 * Creates every instrument METRICS defines (docs/design.md, "Telemetry contract") on `meter`.
 * Counters and gauges are observable, read from the registry at collection time; the two
 * histograms are fed by the registry's `record` event. A key added to METRICS without a reader here
 * fails to compile, so the map and the emitted metrics cannot drift.
 */
export function createProviderInstruments(
  meter: Meter,
  registry: ProviderRegistry,
  backlog: readonly Backlogged[] = [],
): ProviderInstruments {
  const transitions = transitionCountsOf(registry);
  const readers: Record<ObservableKey, Observer> = {
    requests: observeRequests(registry),
    circuitState: observeCircuitState(registry),
    circuitTransitions: observeTransitions(registry, transitions),
    health: observeHealth(registry),
    up: observeUp(registry),
    degrading: observeDegrading(registry),
    ratelimitRemaining: observeRatelimit(registry, 'remaining'),
    ratelimitLimit: observeRatelimit(registry, 'limit'),
    cost: observeCost(registry),
    budgetSpent: observeBudget(registry, 'spent'),
    budgetLimit: observeBudget(registry, 'limit'),
    fleetConnected: observeFleetConnected(registry),
  };
  const currency = `{${registry.options.currency}}`;
  const detach: Array<() => void> = [];
  for (const key of Object.keys(readers) as ObservableKey[]) {
    const def = METRICS[key];
    const unit: string = def.unit === '{USD}' ? currency : def.unit;
    const options = { unit, description: def.description };
    const instrument: ObservableCounter | ObservableGauge =
      def.kind === 'counter'
        ? meter.createObservableCounter(def.otelName, options)
        : meter.createObservableGauge(def.otelName, options);
    const callback = guarded(def.otelName, readers[key]);
    instrument.addCallback(callback);
    detach.push(() => instrument.removeCallback(callback));
  }
  detach.push(attachHistograms(meter, registry, backlog));
  return {
    meter,
    dispose: () => {
      for (const undo of detach) undo();
    },
  };
}

function histogram(meter: Meter, key: HistogramKey, buckets = DURATION_BUCKETS_SECONDS): Histogram {
  const def = METRICS[key];
  // Advice, not a View: the boundaries then hold in whichever MeterProvider the meter came from,
  // including a service's own sdk-node that knows nothing about our Views.
  return meter.createHistogram(def.otelName, {
    unit: def.unit,
    description: def.description,
    advice: { explicitBucketBoundaries: [...buckets] },
  });
}

/** What the histograms read of a finished request (kept while the MeterProvider is being built). */
export interface Backlogged {
  readonly provider: Provider;
  readonly durationMs: number;
  readonly ttfbMs: number;
  readonly outcome: Outcome;
  readonly usage?: RequestUsage | undefined;
}

/**
 * Feeds this meter's histograms from the registry's `record` event, after the requests that
 * finished before the meter existed; returns the unsubscribe.
 */
function attachHistograms(
  meter: Meter,
  registry: ProviderRegistry,
  backlog: readonly Backlogged[],
): () => void {
  const duration = histogram(meter, 'requestDuration');
  const ttfb = histogram(meter, 'timeToFirstByte');
  // Off when SDK-level instrumentation already records it (`tokenUsageMetric`): usage is still read for cost.
  const tokens = registry.options.tokenUsageMetric
    ? histogram(meter, 'tokenUsage', TOKEN_BUCKETS)
    : undefined;
  const record = (provider: Provider, request: Omit<Backlogged, 'provider'>): void => {
    const attributes = attributesOf(provider);
    // A rejected request never reached the provider: its "duration" would only dilute the latency.
    if (request.durationMs >= 0 && request.outcome !== 'rejected')
      duration.record(request.durationMs / 1000, attributes.outcome(request.outcome));
    if (request.ttfbMs >= 0) ttfb.record(request.ttfbMs / 1000, attributes.provider);
    const usage = request.usage;
    if (tokens !== undefined && usage?.slot !== undefined) {
      tokens.record(usage.inputTokens, attributes.tokens(usage.slot, usage.operation, 'input'));
      // An embedding has no output: a 0 would only add points to the output distribution.
      if (usage.operation !== 'embeddings')
        tokens.record(usage.outputTokens, attributes.tokens(usage.slot, usage.operation, 'output'));
    }
  };
  for (const request of backlog) record(request.provider, request);
  return registry.events.on('record', function recordHistograms(provider, request) {
    record(provider, request);
  });
}
