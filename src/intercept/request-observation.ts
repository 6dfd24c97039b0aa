import { performance } from 'node:perf_hooks';
import type { Admission } from '../breaker/circuit-state.js';
import { classify } from '../outcome/classify.js';
import type { HeaderSource } from '../outcome/headers.js';
import type { Provider } from '../providers/provider.js';
import { logOnce } from '../telemetry/log.js';
import { noteRateLimitHeaders } from '../telemetry/metrics/ratelimit-store.js';

// Error bodies are read for classification (insufficient_quota, billing); larger ones are cut.
const MAX_CAPTURED_BODY = 8 * 1024;
// Rate-limit headroom headers are read from at most one response a second per provider:
// fresh enough for a gauge scraped every few seconds, and nearly free on the hot path.
const RATE_LIMIT_SAMPLE_MS = 1000;

/**
 * One admitted provider request, from dispatch to the end of its body (a stream ends when it
 * ends) or its error. Shared by the fetch/undici handlers and the node:http patch.
 */
export class RequestObservation {
  status = 0;
  private readonly started = performance.now();
  private ttfbMs = -1;
  private headers: HeaderSource | undefined;
  private body: Buffer[] | undefined;
  private bodyBytes = 0;
  private done = false;
  /** node:http's `timeout` event fired: the error that follows is the caller's timeout, not a reset. */
  timedOut = false;

  constructor(
    readonly provider: Provider,
    readonly admission: Admission,
    private readonly signal?: AbortSignal | null,
  ) {}

  /** Final response headers (1xx are skipped). Headers and body are kept only for error statuses. */
  onResponseStart(status: number, headers: () => HeaderSource): void {
    if (status < 200 || this.status !== 0) return;
    this.status = status;
    const now = performance.now();
    this.ttfbMs = now - this.started;
    if (status >= 400) {
      this.headers = headers();
      this.body = [];
    }
    if (now - this.provider.rateLimitSampledAt >= RATE_LIMIT_SAMPLE_MS) {
      this.provider.rateLimitSampledAt = now;
      noteRateLimitHeaders(this.provider, this.headers ?? headers());
    }
  }

  /** A protocol upgrade (101: WebSocket, …) succeeded: the request ends here, as a success. */
  onUpgrade(status: number): void {
    if (this.status === 0) {
      this.status = status;
      this.ttfbMs = performance.now() - this.started;
    }
    this.finish();
  }

  get capturingBody(): boolean {
    return this.body !== undefined && this.bodyBytes < MAX_CAPTURED_BODY;
  }

  onBodyChunk(chunk: Buffer | Uint8Array | string): void {
    if (this.body === undefined || this.bodyBytes >= MAX_CAPTURED_BODY) return;
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const part = buffer.subarray(0, MAX_CAPTURED_BODY - this.bodyBytes);
    this.body.push(Buffer.from(part));
    this.bodyBytes += part.length;
  }

  /** The request ended: `error` undefined means the body ended normally. Records exactly once. */
  finish(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    try {
      const durationMs = performance.now() - this.started;
      // The common case skips classify(); a rule for a 2xx/3xx status (rare) must still apply.
      const overridden = this.provider.config.rules.statusOverrides?.[this.status] !== undefined;
      if (
        error === undefined &&
        !overridden &&
        ((this.status >= 200 && this.status < 400) || this.status === 101)
      ) {
        this.provider.record(this.admission, 'success', this.status, durationMs, this.ttfbMs);
        return;
      }
      const result = classify(
        {
          status: this.status === 0 ? undefined : this.status,
          headers: this.headers,
          body: this.body === undefined ? undefined : Buffer.concat(this.body).toString('utf8'),
          error: this.timedOut && error !== undefined ? timeoutError(error) : error,
          aborted: this.signal?.aborted === true,
        },
        this.provider.config.rules,
      );
      const outcome = this.looksLikeClientTimeout(result.outcome, durationMs) ? 'timeout' : result.outcome;
      const reason =
        outcome === result.outcome ? result.reason : 'no response headers, then aborted (client timeout)';
      this.provider.record(
        this.admission,
        outcome,
        this.status,
        durationMs,
        this.ttfbMs,
        reason,
        result.retryAfterMs,
      );
    } catch (failure) {
      logOnce(
        'observation.finish',
        'recording a provider request failed; the request itself is unaffected',
        failure,
      );
    }
  }

  /**
   * The official SDKs enforce their own `timeout` with a bare `abort()`, which looks exactly like
   * a caller's cancel. An abort before any response header, after the request waited at least the
   * provider's trial timeout (30 s by default), is a hang: counted as a timeout, so a provider
   * that stops answering opens its circuit.
   */
  private looksLikeClientTimeout(outcome: string, durationMs: number): boolean {
    return outcome === 'canceled' && this.status === 0 && durationMs >= this.provider.breaker.trialTimeout;
  }
}

function timeoutError(cause: unknown): Error {
  const error = new Error('request timed out', { cause });
  error.name = 'TimeoutError';
  return error;
}
