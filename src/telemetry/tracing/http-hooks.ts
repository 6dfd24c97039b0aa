import { errorMonitor } from 'node:events';
import { ClientRequest, IncomingMessage, type RequestOptions } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import { headersFromRecord } from '../../outcome/headers.js';
import type { Provider } from '../../providers/provider.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import {
  NO_ATTRIBUTES,
  outcomeOfError,
  outcomeOfResponse,
  providerSpanAttributes,
  setSpanOutcome,
} from './span-outcome.js';
import type { HookOptions } from './undici-hooks.js';

function defaultPort(protocol: string | null | undefined): number {
  return protocol === 'https:' ? 443 : 80;
}

function providerForOptions(registry: ProviderRegistry, options: RequestOptions): Provider | undefined {
  const host = options.hostname ?? options.host?.replace(/:\d+$/, '') ?? 'localhost';
  const port = Number(options.port) || options.defaultPort || defaultPort(options.protocol);
  return registry.providerForHost(host.replace(/^\[|\]$/g, ''), Number(port));
}

function providerForRequest(registry: ProviderRegistry, request: ClientRequest): Provider | undefined {
  // ClientRequest keeps the host but not the port; the Host header has it when it is not the default.
  const header = request.getHeader('host');
  const match = typeof header === 'string' ? /:(\d+)$/.exec(header) : null;
  const port = match?.[1] !== undefined ? Number(match[1]) : defaultPort(request.protocol);
  return registry.providerForHost(request.host.replace(/^\[|\]$/g, ''), port);
}

/**
 * Hooks for `new HttpInstrumentation(httpInstrumentationConfig(registry))`: node:http / https client
 * spans to a provider get `gen_ai.provider.name`, `ai_provider.circuit.state` and, before the span
 * ends, `ai_provider.outcome`. The error listeners are `errorMonitor`s (they change no error
 * semantics) added inside the hooks, which instrumentation-http calls before it adds its own
 * listeners that end the span, so ours run first.
 */
export function httpInstrumentationConfig(
  registry: ProviderRegistry,
  options: HookOptions = {},
): HttpInstrumentationConfig {
  const tracked = new WeakSet<ClientRequest>();
  const config: HttpInstrumentationConfig = {
    startOutgoingSpanHook: (requestOptions) => {
      const provider = providerForOptions(registry, requestOptions);
      return provider === undefined ? NO_ATTRIBUTES : providerSpanAttributes(provider);
    },
    requestHook: (span: Span, request) => {
      if (!(request instanceof ClientRequest) || providerForRequest(registry, request) === undefined) return;
      tracked.add(request);
      request.on(errorMonitor, (error: unknown) => setSpanOutcome(span, outcomeOfError(error)));
    },
    responseHook: (span: Span, response) => {
      if (!(response instanceof IncomingMessage)) return;
      // `req` is set on client responses (not in @types/node 20's IncomingMessage).
      const request = (response as IncomingMessage & { req?: ClientRequest }).req;
      if (request === undefined || !tracked.has(request)) return;
      setSpanOutcome(span, outcomeOfResponse(response.statusCode ?? 0, headersFromRecord(response.headers)));
      response.on(errorMonitor, (error: unknown) => setSpanOutcome(span, outcomeOfError(error)));
    },
  };
  if (options.providersOnly === true) {
    config.ignoreOutgoingRequestHook = (requestOptions) =>
      providerForOptions(registry, requestOptions) === undefined;
    config.ignoreIncomingRequestHook = () => true;
  }
  return config;
}
