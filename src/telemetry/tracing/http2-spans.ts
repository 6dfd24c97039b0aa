import { logOnce } from '../../common/log.js';
import type { Provider } from '../../providers/provider.js';
import type { RecordedRequest } from '../../providers/provider-events.js';
import { ATTR } from '../metric-names.js';
import { otelApi } from '../otel-packages.js';
import { pluginTracer } from './plugin-tracer.js';
import { redactUrl } from './rejected-span.js';

interface Http2Record extends RecordedRequest {
  readonly transport: string;
  readonly target: { method: string; url: string } | undefined;
}

/**
 * A client span for every HTTP/2 request to a provider (the AWS SDK's default handler, grpc-js):
 * no OpenTelemetry instrumentation covers node:http2 clients. Made from the finished request's
 * record, with its start and end on the clock the gate measured them on (performance.now()).
 */
export function recordHttp2Span(provider: Provider, request: RecordedRequest): void {
  const record = request as Http2Record;
  if (record.transport !== 'http2' || record.target === undefined) return;
  try {
    const tracer = pluginTracer();
    if (tracer === undefined) return;
    const { SpanKind, SpanStatusCode } = otelApi();
    const { method, url } = record.target;
    const started = record.endedAt - Math.max(0, record.durationMs);
    const span = tracer.startSpan(method, {
      kind: SpanKind.CLIENT,
      startTime: started,
      attributes: {
        'http.request.method': method,
        'url.full': redactUrl(url),
        'network.protocol.version': '2',
        [ATTR.provider]: provider.name,
        [ATTR.circuitState]: provider.breaker.state,
        [ATTR.outcome]: record.outcome,
      },
    });
    if (record.statusCode > 0) span.setAttribute(ATTR.statusCode, record.statusCode);
    if (record.outcome !== 'success') {
      span.setStatus({ code: SpanStatusCode.ERROR, message: record.reason ?? record.outcome });
      span.setAttribute('error.type', record.outcome);
    }
    span.end(record.endedAt);
  } catch (error) {
    logOnce('tracing:http2', 'recording an HTTP/2 span failed', error);
  }
}
