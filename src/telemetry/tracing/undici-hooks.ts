import { subscribe } from 'node:diagnostics_channel';
import type { Span } from '@opentelemetry/api';
import type { UndiciInstrumentationConfig, UndiciRequest } from '@opentelemetry/instrumentation-undici';
import { headersFromRecord } from '../../outcome/headers.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import { logOnce } from '../log.js';
import {
  NO_ATTRIBUTES,
  outcomeOfError,
  outcomeOfResponse,
  providerSpanAttributes,
  setSpanOutcome,
} from './span-outcome.js';

// Provider requests whose span is still open, by undici request object, for the error channel.
const spans = new WeakMap<object, Span>();
let subscribed = false;

/**
 * `undici:request:error` is where instrumentation-undici ends a failed span. Subscribers run in
 * subscription order, so ours must be in first to classify the error onto the still-open span.
 * Subscribing when the config is built (before anyone constructs the instrumentation with it)
 * guarantees that; the response outcome needs no channel since `responseHook` sees the status.
 */
function subscribeToErrors(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe('undici:request:error', (message) => {
    try {
      const { request, error } = message as { request: object; error: unknown };
      const span = spans.get(request);
      if (span === undefined) return;
      spans.delete(request);
      setSpanOutcome(span, outcomeOfError(error));
    } catch (error) {
      logOnce('tracing:undici-error', 'classifying an undici error for its span failed', error);
    }
  });
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
  subscribeToErrors();
  const config: UndiciInstrumentationConfig = {
    startSpanHook: (request: UndiciRequest) => {
      const provider = registry.providerForOrigin(request.origin);
      return provider === undefined ? NO_ATTRIBUTES : providerSpanAttributes(provider);
    },
    requestHook: (span, request) => {
      if (registry.providerForOrigin(request.origin) !== undefined) spans.set(request, span);
    },
    responseHook: (span, { request, response }) => {
      if (!spans.has(request)) return;
      // The request stays in the map: a body that fails after the headers still ends in the error channel.
      setSpanOutcome(span, outcomeOfResponse(response.statusCode, headersFromRecord(response.headers)));
    },
  };
  if (options.providersOnly === true)
    config.ignoreRequestHook = (request) => registry.providerForOrigin(request.origin) === undefined;
  return config;
}
