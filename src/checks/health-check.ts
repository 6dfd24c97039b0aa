import { executeScope } from '../common/execute-scope.js';
import { classify } from '../outcome/classify.js';
import type { Classification } from '../outcome/outcome.js';
import type { CheckTarget } from './check-target.js';

/** An active health check: resolves to how the probe went. It must honour `signal`. */
export type HealthProbe = (signal: AbortSignal) => Promise<Classification>;

export interface HealthCheckResult {
  provider: string;
  /** `skipped` when the provider has no probe (no URL configured, no API key for its built-in probe). */
  outcome: Classification['outcome'] | 'skipped';
  reason: string;
  durationMs: number;
  circuitState: string;
  checkedAt: string;
  /**
   * True when this is the previous result, returned again because the provider was checked
   * moments ago (the rate cap): asking again sends no new request to the provider.
   */
  cached?: boolean;
}

export interface RunCheckOptions {
  /** Abandon the probe (outcome `timeout`) after this long, even if it ignores its signal. */
  timeoutMs: number;
  /** Whether the outcome counts for the breaker like real traffic. @default true */
  feedBreaker?: boolean;
}

/**
 * A probe reads at most this much of a successful answer, then stops reading: a list of models
 * fits, and an endless or huge body (a misconfigured URL, a hostile upstream) costs the host
 * nothing more (docs/design.md, "The host never pays").
 */
export const MAX_PROBE_BODY = 64 * 1024;
/** Of an error answer, what classification reads of any error body (docs/design.md, "Outcomes"). */
export const MAX_PROBE_ERROR_BODY = 8 * 1024;

/** A probe that GETs `url` (with optional headers) and classifies the answer like real traffic. */
export function urlProbe(url: string, headers: Record<string, string> = {}): HealthProbe {
  return async (signal) => {
    try {
      const response = await fetch(url, { method: 'GET', headers, signal, redirect: 'manual' });
      const failed = response.status >= 400;
      const bytes = await readAtMost(response.body, failed ? MAX_PROBE_ERROR_BODY : MAX_PROBE_BODY);
      const body = failed ? new TextDecoder().decode(bytes) : undefined;
      return classify({ status: response.status, headers: response.headers, body });
    } catch (error) {
      return classify({ error });
    }
  };
}

/**
 * Up to `limit` bytes of a body. A body that ends within the limit is read to its end, so the
 * connection is reused; a longer one is canceled there, which closes its connection.
 */
async function readAtMost(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) return concat(chunks, size);
      const part = value.subarray(0, limit - size);
      chunks.push(part);
      size += part.length;
    }
    reader.cancel().catch(() => {});
    return concat(chunks, size);
  } finally {
    reader.releaseLock();
  }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * Runs one probe for a provider and feeds it to the breaker: while closed it counts like a
 * request; while open a success starts the half-open trials (never closes directly); while
 * half-open it counts for nothing, since only admitted trials may decide the circuit.
 * Requests the probe makes are not admitted by the interceptors (execute scope).
 */
export async function runHealthCheck(
  provider: CheckTarget,
  probe: HealthProbe,
  options: RunCheckOptions,
): Promise<HealthCheckResult> {
  const { timeoutMs, feedBreaker = true } = options;
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // A user's probe that ignores its signal must not hold the provider's one in-flight slot
  // for ever: the race settles as a timeout whatever the probe does.
  const deadline = new Promise<Classification>((resolve) => {
    timer = setTimeout(() => {
      const error = new DOMException(`health check timed out after ${timeoutMs} ms`, 'TimeoutError');
      controller.abort(error);
      resolve(classify({ error }));
    }, timeoutMs);
    timer.unref();
  });
  let result: Classification;
  try {
    result = await Promise.race([
      executeScope().run(provider.name, () => probe(controller.signal)),
      deadline,
    ]);
  } catch (error) {
    result = classify({ error });
  } finally {
    clearTimeout(timer);
  }
  const durationMs = performance.now() - started;
  const state = provider.breaker.state;
  if (feedBreaker) {
    if (state === 'open' && result.outcome === 'success') provider.breaker.onHealthCheckSuccess();
    else if (state === 'closed')
      provider.record(0, result.outcome, 0, durationMs, -1, `health check: ${result.reason}`);
  }
  return {
    provider: provider.name,
    outcome: result.outcome,
    reason: result.reason,
    durationMs,
    circuitState: provider.breaker.state,
    checkedAt: new Date().toISOString(),
  };
}
