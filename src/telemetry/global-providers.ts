import { createNoopMeter, metrics, type TracerProvider, trace } from '@opentelemetry/api';

/**
 * Whether the service registered its own providers. API 1.9 answers "no" with its no-op
 * MeterProvider, whose meters are all the one `createNoopMeter()` singleton, and with a
 * ProxyTracerProvider that has no delegate. Both checks also see a provider registered through
 * another compatible copy of @opentelemetry/api, since registration lives on a global symbol.
 */
export function hasGlobalMeterProvider(): boolean {
  try {
    return metrics.getMeterProvider().getMeter('provider-health.probe') !== createNoopMeter();
  } catch {
    return false;
  }
}

interface DelegatingTracerProvider extends TracerProvider {
  getDelegateTracer(name: string): unknown;
}

function isDelegating(provider: TracerProvider): provider is DelegatingTracerProvider {
  return typeof (provider as Partial<DelegatingTracerProvider>).getDelegateTracer === 'function';
}

export function hasGlobalTracerProvider(): boolean {
  try {
    const provider = trace.getTracerProvider();
    if (!isDelegating(provider)) return true;
    return provider.getDelegateTracer('provider-health.probe') !== undefined;
  } catch {
    return false;
  }
}
