import { type Tracer, type TracerProvider, trace } from '@opentelemetry/api';

/** Tracer scope of the spans the plugin makes itself (rejected requests, lone transition spans). */
export const TRACER_NAME = 'provider-health';

let source: TracerProvider | undefined;

/**
 * Points the plugin's own spans at a private TracerProvider, or back at the global one
 * (`undefined`). Kept here rather than registered globally: registering would make a
 * service's later sdk-node start fail to register its own.
 */
export function setPluginTracerProvider(provider: TracerProvider | undefined): void {
  source = provider;
}

/** Looked up per use (rare: rejections and transitions) so a switch of provider takes effect at once. */
export function pluginTracer(): Tracer {
  return (source ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
}
