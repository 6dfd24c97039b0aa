import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { otelGlobalRegistered } from '../../common/otel-global.js';
import { otelApi } from '../otel-packages.js';
import { SCOPE_NAME, scopeVersion } from '../scope.js';

/** Tracer scope of the spans the plugin makes itself (rejected requests, lone transition spans). */
export const TRACER_NAME = SCOPE_NAME;

let source: TracerProvider | undefined;

/**
 * Points the plugin's own spans at a private TracerProvider, or back at the global one
 * (`undefined`). Kept here rather than registered globally: registering would make a
 * service's later sdk-node start fail to register its own.
 */
export function setPluginTracerProvider(provider: TracerProvider | undefined): void {
  source = provider;
}

/**
 * Looked up per use (rare: rejections and transitions) so a switch of provider takes effect at
 * once. Undefined when no span can be recorded anywhere (no private provider, nothing registered
 * globally): the caller then makes none and the API is never loaded for it.
 */
export function pluginTracer(): Tracer | undefined {
  const provider =
    source ?? (otelGlobalRegistered('trace') ? otelApi().trace.getTracerProvider() : undefined);
  return provider?.getTracer(TRACER_NAME, scopeVersion());
}
