import { performance } from 'node:perf_hooks';
import type { Attributes, AttributeValue, Context, SpanKind, TimeInput } from '@opentelemetry/api';
import { logOnce } from '../../common/log.js';
import { awaitNextLink, dispatchingNow, type RequestLink } from '../../gate/request-links.js';
import type { Provider } from '../../providers/provider.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import { ATTR } from '../metric-names.js';

/** What the processor needs of an SDK span (sdk-trace-base's Span has all of it). */
export interface ProcessedSpan {
  readonly kind: SpanKind;
  readonly attributes: Attributes;
  setAttribute(key: string, value: AttributeValue): unknown;
  end(endTime?: TimeInput): void;
}

/** The SpanProcessor interface of the OTel JS SDK, structurally (the plugin needs no SDK import for it). */
export interface SpanProcessorLike {
  onStart(span: ProcessedSpan, parentContext: Context): void;
  onEnd(span: unknown): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

// SpanKind.CLIENT (2 in every 1.x API), without loading the API for one number at start-up.
const CLIENT = 2 as SpanKind.CLIENT;

// A span whose request the gate has not finished when its instrumentation ends it is ended as
// soon as the request is classified (the same turn, in practice), and at the latest after this.
const MAX_END_DELAY_MS = 1_000;

/**
 * Puts the provider, its circuit state and the request's outcome on the HTTP client spans of
 * whatever instrumentation the service runs (instrumentation-undici and -http, alone, through
 * sdk-node or auto-instrumentations-node), with no code change: the plugin adds it to the
 * TracerProvider in use (src/telemetry/tracing/tracer-provider-processors.ts).
 *
 * The outcome is the request's own classification, the one the metric counted: the span is
 * linked to the gate's observation when it starts (undici creates its request, and the span,
 * inside the wrapped dispatcher; instrumentation-http starts its span just before the request
 * is admitted), and its end waits until the observation has finished, keeping its end time.
 */
export class ProviderSpanProcessor implements SpanProcessorLike {
  constructor(private readonly registry: ProviderRegistry) {}

  onStart(span: ProcessedSpan): void {
    try {
      if (span.kind !== CLIENT) return;
      const provider = providerOfSpan(this.registry, span.attributes);
      if (provider === undefined) return;
      span.setAttribute(ATTR.provider, provider.name);
      span.setAttribute(ATTR.circuitState, provider.breaker.state);
      const holder: { link: RequestLink | undefined } = { link: undefined };
      const dispatching = dispatchingNow();
      if (dispatching !== undefined && dispatching.provider === provider) holder.link = dispatching;
      else {
        awaitNextLink((link) => {
          holder.link = link;
        });
        // A claim nobody took this turn (a request the gate did not see) must not catch a later one.
        queueMicrotask(() => awaitNextLink(undefined));
      }
      endWithOutcome(span, holder);
    } catch (error) {
      logOnce('tracing:processor', 'enriching a provider span failed; the span is unaffected', error);
    }
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function endWithOutcome(span: ProcessedSpan, holder: { link: RequestLink | undefined }): void {
  const end = span.end;
  span.end = function endAfterClassification(this: ProcessedSpan, endTime?: TimeInput): void {
    const link = holder.link;
    if (link === undefined || typeof link === 'string' || link.finished) {
      setOutcome(this, link);
      end.call(this, endTime);
      return;
    }
    // A performance.now() timestamp: the SDK reads a number not past now as one.
    const at = endTime ?? performance.now();
    let ended = false;
    const finish = (): void => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      setOutcome(this, link);
      end.call(this, at);
    };
    const timer = setTimeout(finish, MAX_END_DELAY_MS);
    timer.unref();
    link.onFinish = finish;
  };
}

function setOutcome(span: ProcessedSpan, link: RequestLink | undefined): void {
  try {
    const outcome = typeof link === 'string' ? link : link?.classification?.outcome;
    if (outcome !== undefined) span.setAttribute(ATTR.outcome, outcome);
  } catch (error) {
    logOnce('tracing:outcome', 'setting the span outcome failed', error);
  }
}

/** The provider an HTTP client span talks to, from the stable or the older HTTP semantic conventions. */
function providerOfSpan(registry: ProviderRegistry, attributes: Attributes): Provider | undefined {
  const host = attributes['server.address'] ?? attributes['net.peer.name'];
  const port = attributes['server.port'] ?? attributes['net.peer.port'];
  if (typeof host === 'string') {
    const url = attributes['url.full'] ?? attributes['http.url'];
    const scheme = typeof url === 'string' && url.startsWith('http:') ? 80 : 443;
    return registry.providerForHost(
      host.replace(/^\[|\]$/g, ''),
      typeof port === 'number' ? port : Number(port) || scheme,
    );
  }
  const url = attributes['url.full'] ?? attributes['http.url'];
  if (typeof url !== 'string') return undefined;
  try {
    return registry.providerForOrigin(new URL(url).origin);
  } catch {
    return undefined;
  }
}
