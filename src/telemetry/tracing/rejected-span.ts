import { logOnce } from '../../common/log.js';
import type { Provider } from '../../providers/provider.js';
import { ATTR } from '../metric-names.js';
import { otelApi } from '../otel-packages.js';
import { pluginTracer } from './plugin-tracer.js';

/** The URL without query, fragment or credentials: a query string may carry an API key (Gemini's `?key=`). */
export function redactUrl(url: string | URL): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    const text = String(url);
    const end = text.search(/[?#]/);
    return end < 0 ? text : text.slice(0, end);
  }
}

/**
 * A span of its own for a request the plugin answered locally because the circuit is open (or
 * the budget is spent, `budget`: outcome `budget_exceeded`, error.type ERR_BUDGET_EXCEEDED):
 * no instrumentation span exists for it on the fetch/undici path (no undici request was created).
 * Status ERROR; no `http.response.status_code`, the local reply is ours, not the provider's.
 * On the node:http path instrumentation-http already has a span, which the http hooks mark `rejected`.
 */
export function recordRejectedSpan(
  provider: Provider,
  method: string,
  url: string | URL,
  budget = false,
): void {
  try {
    const tracer = pluginTracer();
    if (tracer === undefined) return;
    const { SpanKind, SpanStatusCode } = otelApi();
    const span = tracer.startSpan(method, {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR.provider]: provider.name,
        [ATTR.outcome]: budget ? 'budget_exceeded' : 'rejected',
        [ATTR.circuitState]: provider.breaker.state,
        'http.request.method': method,
        'url.full': redactUrl(url),
        'error.type': budget ? 'ERR_BUDGET_EXCEEDED' : 'ERR_CIRCUIT_OPEN',
      },
    });
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: budget
        ? `budget exhausted for provider ${provider.providerName}`
        : `circuit breaker open for provider ${provider.name}`,
    });
    span.end();
  } catch (error) {
    logOnce('tracing:rejected', 'recording a rejected-request span failed', error);
  }
}
