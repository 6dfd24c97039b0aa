import type { RequestOptions } from 'node:http';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import { defaultPort } from '../../common/host.js';
import type { Provider } from '../../providers/provider.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import type { HookOptions } from './undici-hooks.js';

function providerForOptions(registry: ProviderRegistry, options: RequestOptions): Provider | undefined {
  const host = options.hostname ?? options.host?.replace(/:\d+$/, '') ?? 'localhost';
  const port = Number(options.port) || options.defaultPort || defaultPort(options.protocol ?? 'http:');
  return registry.providerForHost(host.replace(/^\[|\]$/g, ''), Number(port));
}

/**
 * Configuration for an HttpInstrumentation; see undiciInstrumentationConfig: the span processor
 * does the enrichment, this keeps `providersOnly` (client spans to providers only, no server spans).
 */
export function httpInstrumentationConfig(
  registry: ProviderRegistry,
  options: HookOptions = {},
): HttpInstrumentationConfig {
  if (options.providersOnly !== true) return {};
  return {
    ignoreOutgoingRequestHook: (requestOptions) => providerForOptions(registry, requestOptions) === undefined,
    ignoreIncomingRequestHook: () => true,
  };
}
