import {
  AggregationTemporality,
  type CollectionResult,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { resolveOptions } from '../../src/config/resolve.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { HANG_MS } from '../support/waits.js';

/** A registry built from defaults only, not from this process' environment or config file. */
export function makeRegistry(): ProviderRegistry {
  return new ProviderRegistry(resolveOptions({}, {}));
}

/** Pull reader for tests: `collect()` on demand, cumulative like Prometheus. */
export class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
  async metrics(): Promise<MetricData[]> {
    const result: CollectionResult = await this.collect();
    return result.resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  }
}

export function metricNamed(all: MetricData[], name: string): MetricData {
  const found = all.find((metric) => metric.descriptor.name === name);
  if (found === undefined)
    throw new Error(`metric ${name} not collected; got ${all.map((m) => m.descriptor.name)}`);
  return found;
}

export { freePort } from '../../fake-provider/free-port.js';

/**
 * GETs `url` once something listens there: an exporter or health server starts listening a moment
 * after start-up, later still on a busy machine. Only a refused connection is retried; the
 * deadline ends the wait for one that never comes.
 */
export async function fetchWhenListening(url: string, withinMs = HANG_MS): Promise<Response> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code !== 'ECONNREFUSED' || Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
