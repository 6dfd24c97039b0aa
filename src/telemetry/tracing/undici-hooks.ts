import type { UndiciInstrumentationConfig } from '@opentelemetry/instrumentation-undici';
import type { ProviderRegistry } from '../../providers/registry.js';

export interface HookOptions {
  /**
   * Trace only requests to AI providers. The plugin's own instrumentation instances use it so
   * they add no spans a service did not ask for (and never trace the OTLP exporter's own requests).
   * @default false
   */
  providersOnly?: boolean;
}

/**
 * Configuration for an UndiciInstrumentation. Provider attributes and outcomes need nothing from
 * it any more: the plugin's span processor adds them to the spans of any instrumentation, on the
 * TracerProvider in use (provider-span-processor.ts). Kept for services that pass it, and for
 * `providersOnly`.
 */
export function undiciInstrumentationConfig(
  registry: ProviderRegistry,
  options: HookOptions = {},
): UndiciInstrumentationConfig {
  if (options.providersOnly !== true) return {};
  return { ignoreRequestHook: (request) => registry.providerForOrigin(request.origin) === undefined };
}
