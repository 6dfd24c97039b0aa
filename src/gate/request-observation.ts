import type { Admission } from '../breaker/circuit-state.js';
import { logOnce } from '../common/log.js';
import { classify, isPlainSuccess, SUCCESS_CLASSIFICATION } from '../outcome/classify.js';
import { classifyGrpcStatus } from '../outcome/classify-grpc.js';
import type { HeaderSource } from '../outcome/headers.js';
import type { Classification, Outcome } from '../outcome/outcome.js';
import type { Provider } from '../providers/provider.js';
import type { RecordedRequest } from '../providers/provider-events.js';
import type { RequestUsage } from '../providers/provider-records.js';
import { bodyKindOf, UsageReader } from '../usage/usage-reader.js';
import { modelFromPath, type UsageRoute } from '../usage/usage-route.js';
import { declaredTimeoutMs } from './declared-timeout.js';

// Error bodies are read for classification (insufficient_quota, billing); larger ones are cut.
const MAX_CAPTURED_BODY = 8 * 1024;

/**
 * One admitted provider request, from admission to the end of its body (a stream ends when it
 * ends) or its error, on every path (fetch/undici, node:http, explicit calls). It is classified
 * once, when it finishes; the breaker, the stats, the metrics and the span all read that one
 * classification. It is itself the record handed to the provider: no copy per request.
 */
export class RequestObservation implements RecordedRequest {
  outcome: Outcome = 'success';
  statusCode = 0;
  durationMs = -1;
  ttfbMs = -1;
  endedAt = 0;
  reason: string | undefined;
  retryAfterMs: number | undefined;
  /** The request's one classification, set when it finishes. */
  classification: Classification | undefined;
  /** node:http's `timeout` event fired: the error that follows is the caller's timeout, not a reset. */
  timedOut = false;
  /** The caller let go of the request itself (node:http `req.destroy()`): what follows is not the provider's doing. */
  callerAborted = false;
  /**
   * The headers the request was sent with, as its client gave them (undici options, a
   * ClientRequest, HTTP/2 headers): read only if it is aborted, for a timeout it declared.
   */
  requestHeaders: unknown;
  /** The gRPC status of a gRPC call (`grpc-status` in trailers, or in a trailers-only response). */
  grpcStatus: number | undefined;
  /** Which path reached the provider: telemetry makes spans itself for HTTP/2, which no instrumentation covers. */
  transport: 'fetch' | 'http' | 'http2' | 'explicit' = 'explicit';
  /** `POST https://host/path` of an HTTP/2 request, for its span. */
  target: { method: string; url: string } | undefined;
  /** Called once, right after the request is classified and recorded (a span waiting to end). */
  onFinish: (() => void) | undefined;
  /** The token usage the response reported (docs/design.md, "Token usage and cost"), set when it finishes. */
  usage: RequestUsage | undefined;
  /**
   * Reads usage from a successful response's body as the caller reads it: only for a request
   * whose provider and path have a usage rule (`usageRoute`), in fixed memory. It sees the chunks
   * the caller gets; it never delays or changes one (it may keep a reference to a small one).
   */
  private usageReader: UsageReader | undefined;
  private readonly started: number;
  private upgraded = false;
  private headers: HeaderSource | undefined;
  private body: Buffer[] | undefined;
  private bodyBytes = 0;

  constructor(
    readonly provider: Provider,
    readonly admission: Admission,
    private readonly signal?: AbortSignal | null,
    /** Set when the request reports token usage; `path` then names the model for some formats. */
    private readonly usageRoute?: UsageRoute,
    private readonly path?: string,
  ) {
    this.started = provider.clock.now();
  }

  /** Final response headers (1xx are skipped). Headers and body are kept only for error statuses. */
  onResponseStart(status: number, headers: () => HeaderSource): void {
    if (status < 200 || this.statusCode !== 0) return;
    this.statusCode = status;
    const now = this.provider.clock.now();
    this.ttfbMs = now - this.started;
    if (status >= 400) {
      this.headers = headers();
      this.body = [];
    } else if (this.usageRoute !== undefined && status < 300) this.startUsage(headers);
    const ratelimits = this.provider.stats.ratelimits;
    if (ratelimits.due(now)) ratelimits.sample(now, this.headers ?? headers());
  }

  /** A protocol upgrade (101: WebSocket, …) succeeded: the request ends here, as a success. */
  onUpgrade(status: number): void {
    this.upgraded = true;
    if (this.statusCode === 0) {
      this.statusCode = status;
      this.ttfbMs = this.provider.clock.now() - this.started;
    }
    this.finish();
  }

  get capturingBody(): boolean {
    return this.usageReader !== undefined || (this.body !== undefined && this.bodyBytes < MAX_CAPTURED_BODY);
  }

  onBodyChunk(chunk: Buffer | Uint8Array | string): void {
    if (this.usageReader !== undefined) this.feedUsage(chunk);
    if (this.body === undefined || this.bodyBytes >= MAX_CAPTURED_BODY) return;
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const part = buffer.subarray(0, MAX_CAPTURED_BODY - this.bodyBytes);
    this.body.push(Buffer.from(part));
    this.bodyBytes += part.length;
  }

  get finished(): boolean {
    return this.classification !== undefined;
  }

  /** The request ended: `error` undefined means the body ended normally. Records exactly once. */
  finish(error?: unknown): void {
    if (this.classification !== undefined) return;
    this.settle(() => this.classifyEnd(error));
  }

  /**
   * An explicit call (`execute()`) ended with a value: a fetch Response is classified by its
   * status and headers, anything else is a success.
   */
  finishWithValue(value: unknown): void {
    if (this.classification !== undefined) return;
    if (value instanceof Response) {
      this.statusCode = value.status;
      const rules = this.provider.config.rules;
      this.settle(() => classify({ status: value.status, headers: value.headers }, rules));
      return;
    }
    this.settle(() => RESOLVED);
  }

  /** An explicit call threw: classified by the error; the status it carries, if any, is recorded. */
  finishWithError(error: unknown): void {
    if (this.classification !== undefined) return;
    this.statusCode = statusOf(error);
    this.settle(() => classify({ error }, this.provider.config.rules));
  }

  private startUsage(headers: () => HeaderSource): void {
    try {
      const route = this.usageRoute as UsageRoute;
      const source = headers();
      // A compressed body (gzip, br) is not decoded here: that would cost the host a second
      // decompression of every response. Such responses report no usage (docs/design.md, "Token usage and cost").
      const encoding = source.get('content-encoding');
      if (
        encoding !== undefined &&
        encoding !== null &&
        encoding !== '' &&
        encoding.toLowerCase() !== 'identity'
      )
        return;
      const kind = bodyKindOf(source.get('content-type'));
      if (kind !== undefined) this.usageReader = new UsageReader(route.format, kind);
    } catch (failure) {
      logOnce('observation.usage', 'reading token usage failed; the request itself is unaffected', failure);
    }
  }

  private feedUsage(chunk: Buffer | Uint8Array | string): void {
    try {
      (this.usageReader as UsageReader).feed(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    } catch (failure) {
      this.usageReader = undefined;
      logOnce('observation.usage', 'reading token usage failed; the request itself is unaffected', failure);
    }
  }

  /** What the reader found, once the body ended or broke off (tokens of a cut stream were still billed). */
  private endUsage(): void {
    const reader = this.usageReader;
    if (reader === undefined) return;
    this.usageReader = undefined;
    try {
      reader.end();
      if (!reader.found) return;
      const route = this.usageRoute as UsageRoute;
      const pathModel =
        reader.model === undefined && route.modelInPath && this.path !== undefined
          ? modelFromPath(this.path)
          : undefined;
      this.usage = {
        operation: route.operation,
        model: reader.model ?? pathModel,
        modelFromResponse: reader.model !== undefined,
        inputTokens: reader.inputTokens,
        outputTokens: reader.outputTokens,
        slot: undefined,
        cost: 0,
      };
    } catch (failure) {
      logOnce('observation.usage', 'reading token usage failed; the request itself is unaffected', failure);
    }
  }

  private settle(classifyNow: () => Classification): void {
    try {
      const now = this.provider.clock.now();
      this.endedAt = now;
      this.durationMs = now - this.started;
      this.endUsage();
      const result = classifyNow();
      this.classification = result;
      this.outcome = result.outcome;
      this.reason = result.reason;
      this.retryAfterMs = result.retryAfterMs;
      this.provider.recordRequest(this);
      const onFinish = this.onFinish;
      if (onFinish !== undefined) {
        this.onFinish = undefined;
        onFinish();
      }
    } catch (failure) {
      this.classification ??= UNRECORDED;
      logOnce(
        'observation.finish',
        'recording a provider request failed; the request itself is unaffected',
        failure,
      );
    }
  }

  private classifyEnd(error: unknown): Classification {
    const status = this.statusCode;
    const rules = this.provider.config.rules;
    // A gRPC call answers HTTP 200 whatever happened; its status is in its trailers.
    if (error === undefined && this.grpcStatus !== undefined && this.grpcStatus !== 0 && status === 200)
      return classifyGrpcStatus(this.grpcStatus);
    // The common case builds no classify() input at all.
    if (error === undefined && (this.upgraded || isPlainSuccess(status, rules)))
      return SUCCESS_CLASSIFICATION;
    const seen = {
      status: status === 0 ? undefined : status,
      headers: this.headers,
      body: this.body === undefined ? undefined : Buffer.concat(this.body).toString('utf8'),
    };
    const result = classify(
      {
        ...seen,
        error: this.timedOut && error !== undefined ? timeoutError(error) : error,
        aborted: this.callerAborted || this.signal?.aborted === true,
      },
      rules,
    );
    if (result.outcome !== 'canceled') return result;
    // The caller let go after an error status: the provider had already answered; count that.
    if (status >= 400) return classify(seen, rules);
    return status === 0 && this.abortLooksLikeTimeout() ? CLIENT_TIMEOUT : result;
  }

  /**
   * SDKs enforce their own timeout with a bare abort, which looks exactly like a caller's cancel
   * (docs/design.md, "Outcomes"). An abort before any response header is a timeout when the
   * request declared a timeout in its headers and waited that long; without a declaration, when
   * it waited longer than the provider's recent p95 time to first byte by the provider's
   * `abortTimeout` factor, and at least its minimum (a hung provider with no recent answers is
   * judged by the minimum alone); and always after the trial timeout. A cancel earlier than any
   * of these is the caller's, and never counts against the provider.
   */
  private abortLooksLikeTimeout(): boolean {
    const waited = this.durationMs;
    const declared = declaredTimeoutMs(this.requestHeaders);
    if (declared !== undefined) return waited >= declared - DECLARED_TIMEOUT_SLACK_MS;
    const rule = this.provider.config.abortTimeout;
    const trialTimeout = this.provider.breaker.trialTimeout;
    if (rule === false) return waited >= trialTimeout;
    const p95 = this.provider.stats.ttfbs.percentile(0.95, this.endedAt);
    const threshold = Math.max(rule.minMs, p95 === undefined ? 0 : rule.factor * p95);
    return waited >= Math.min(trialTimeout, threshold);
  }
}

// Timers fire late, never early; a little slack for the clock reads on either side.
const DECLARED_TIMEOUT_SLACK_MS = 50;
const RESOLVED: Classification = Object.freeze({ outcome: 'success', reason: 'resolved' });
const CLIENT_TIMEOUT: Classification = Object.freeze({
  outcome: 'timeout',
  reason: 'no response headers, then aborted (client timeout)',
});
const UNRECORDED: Classification = Object.freeze({
  outcome: 'connection_error',
  reason: 'not recorded: internal failure',
});

function timeoutError(cause: unknown): Error {
  const error = new Error('request timed out', { cause });
  error.name = 'TimeoutError';
  return error;
}

function statusOf(error: unknown): number {
  try {
    const status = (error as { status?: unknown } | null)?.status;
    return typeof status === 'number' && status >= 100 && status < 600 ? status : 0;
  } catch {
    return 0;
  }
}
