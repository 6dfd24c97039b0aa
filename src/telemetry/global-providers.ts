import type { TracerProvider } from '@opentelemetry/api';
import { otelGlobalRegistered } from '../common/otel-global.js';
import { otelApi } from './otel-packages.js';

/**
 * Whether the service registered its own providers. Nothing registered with any copy of the API
 * means no, without loading it. Otherwise the API is asked: API 1.9 answers "no" with its no-op
 * MeterProvider, whose meters are all the one `createNoopMeter()` singleton, and with a
 * ProxyTracerProvider that has no delegate. Both checks also see a provider registered through
 * another compatible copy of @opentelemetry/api, since registration lives on a global symbol.
 */
export function hasGlobalMeterProvider(): boolean {
  try {
    if (!otelGlobalRegistered('metrics')) return false;
    const { createNoopMeter, metrics } = otelApi();
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
    if (!otelGlobalRegistered('trace')) return false;
    const provider = otelApi().trace.getTracerProvider();
    if (!isDelegating(provider)) return true;
    return provider.getDelegateTracer('provider-health.probe') !== undefined;
  } catch {
    return false;
  }
}
