import { errorMonitor } from 'node:events';
import { ClientRequest, IncomingMessage, type RequestOptions } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import { defaultPort } from '../../common/host.js';
import { linkOf } from '../../gate/request-links.js';
import { headersFromRecord } from '../../outcome/headers.js';
import type { Provider } from '../../providers/provider.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import { NO_ATTRIBUTES, providerSpanAttributes, setSpanOutcome, spanOutcome } from './span-outcome.js';
import type { HookOptions } from './undici-hooks.js';

function providerForOptions(registry: ProviderRegistry, options: RequestOptions): Provider | undefined {
  const host = options.hostname ?? options.host?.replace(/:\d+$/, '') ?? 'localhost';
  const port = Number(options.port) || options.defaultPort || defaultPort(options.protocol ?? 'http:');
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
 * ends, `ai_provider.outcome`: the request's own classification, read where the gate keeps it.
 * The gate's listeners on the request and its response run before these (src/intercept/http-agent.ts),
 * and these run before instrumentation-http's own, which end the span.
 */
export function httpInstrumentationConfig(
  registry: ProviderRegistry,
  options: HookOptions = {},
): HttpInstrumentationConfig {
  const providers = new WeakMap<ClientRequest, Provider>();
  const config: HttpInstrumentationConfig = {
    startOutgoingSpanHook: (requestOptions) => {
      const provider = providerForOptions(registry, requestOptions);
      return provider === undefined ? NO_ATTRIBUTES : providerSpanAttributes(provider);
    },
    requestHook: (span: Span, request) => {
      if (!(request instanceof ClientRequest)) return;
      const provider = providerForRequest(registry, request);
      if (provider === undefined) return;
      providers.set(request, provider);
      request.on(errorMonitor, (error: unknown) =>
        setSpanOutcome(span, spanOutcome(linkOf(request), provider, { error })),
      );
    },
    responseHook: (span: Span, response) => {
      if (!(response instanceof IncomingMessage)) return;
      // `req` is set on client responses (not in @types/node 20's IncomingMessage).
      const request = (response as IncomingMessage & { req?: ClientRequest }).req;
      const provider = request === undefined ? undefined : providers.get(request);
      if (request === undefined || provider === undefined) return;
      const seen = { status: response.statusCode ?? 0, headers: headersFromRecord(response.headers) };
      const settle = (error?: unknown): void =>
        setSpanOutcome(span, spanOutcome(linkOf(request), provider, { ...seen, error }));
      response.once('end', () => settle());
      response.once(errorMonitor, (error: unknown) => settle(error));
      // Closed before its end (the app stopped reading): the gate has classified it by now.
      response.once('close', () => settle());
    },
  };
  if (options.providersOnly === true) {
    config.ignoreOutgoingRequestHook = (requestOptions) =>
      providerForOptions(registry, requestOptions) === undefined;
    config.ignoreIncomingRequestHook = () => true;
  }
  return config;
}
