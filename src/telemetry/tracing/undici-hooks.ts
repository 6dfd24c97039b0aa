import { subscribe } from 'node:diagnostics_channel';
import type { Span } from '@opentelemetry/api';
import type { UndiciInstrumentationConfig, UndiciRequest } from '@opentelemetry/instrumentation-undici';
import { logOnce } from '../../common/log.js';
import { dispatchingNow, linkOf, linkRequest } from '../../gate/request-links.js';
import { type HeaderSource, headersFromRecord } from '../../outcome/headers.js';
import type { Provider } from '../../providers/provider.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import { NO_ATTRIBUTES, providerSpanAttributes, setSpanOutcome, spanOutcome } from './span-outcome.js';

interface TrackedSpan {
  span: Span;
  provider: Provider;
  /** What the span saw, for a request the gate did not observe (see spanOutcome). */
  seen: { status?: number; headers?: HeaderSource };
}

// Provider requests whose span is still open, by undici request object.
const spans = new WeakMap<object, TrackedSpan>();
let subscribed = false;

/**
 * instrumentation-undici ends a span on `undici:request:trailers` (the body ended) or
 * `undici:request:error`, both published before the request's handler hears of it. Subscribers
 * run in subscription order, so ours, subscribed when the config is built (before anyone
 * constructs the instrumentation with it), runs first: it finishes the request's observation
 * there, which classifies it once, and puts that outcome on the still-open span.
 */
function subscribeToEnds(): void {
  if (subscribed) return;
  subscribed = true;
  const end = (message: unknown, error?: unknown): void => {
    try {
      const { request } = message as { request: object };
      const tracked = spans.get(request);
      if (tracked === undefined) return;
      spans.delete(request);
      const link = linkOf(request);
      if (link !== undefined && link !== 'rejected') link.finish(error);
      setSpanOutcome(tracked.span, spanOutcome(link, tracked.provider, { ...tracked.seen, error }));
    } catch (failure) {
      logOnce('tracing:undici-end', 'setting the outcome of an undici span failed', failure);
    }
  };
  subscribe('undici:request:trailers', (message) => end(message));
  subscribe('undici:request:error', (message) => end(message, (message as { error?: unknown }).error));
}

export interface HookOptions {
  /**
   * Trace only requests to AI providers. Our own instrumentation instances use it so they add
   * no spans a service did not ask for (and never trace the OTLP exporter's own requests).
   * @default false
   */
  providersOnly?: boolean;
}

/**
 * Hooks for `new UndiciInstrumentation(undiciInstrumentationConfig(registry))`: a service with
 * its own sdk-node passes this so its fetch/undici spans to providers carry `gen_ai.provider.name`,
 * `ai_provider.circuit.state` and `ai_provider.outcome`. Spread it to add options of your own.
 */
export function undiciInstrumentationConfig(
  registry: ProviderRegistry,
  options: HookOptions = {},
): UndiciInstrumentationConfig {
  subscribeToEnds();
  const config: UndiciInstrumentationConfig = {
    startSpanHook: (request: UndiciRequest) => {
      const provider = registry.providerForOrigin(request.origin);
      return provider === undefined ? NO_ATTRIBUTES : providerSpanAttributes(provider);
    },
    requestHook: (span, request) => {
      const provider = registry.providerForOrigin(request.origin);
      if (provider === undefined) return;
      spans.set(request, { span, provider, seen: {} });
      // Called while the wrapped dispatcher hands this request on: that observation is its own.
      const observation = dispatchingNow();
      if (observation !== undefined && observation.provider === provider) linkRequest(request, observation);
    },
    responseHook: (_span, { request, response }) => {
      const tracked = spans.get(request);
      if (tracked === undefined || linkOf(request) !== undefined) return;
      tracked.seen = { status: response.statusCode, headers: headersFromRecord(response.headers) };
    },
  };
  if (options.providersOnly === true)
    config.ignoreRequestHook = (request) => registry.providerForOrigin(request.origin) === undefined;
  return config;
}
