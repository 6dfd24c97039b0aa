import {
  BUDGET_MARKER_VALUE,
  type LocalAnswer,
  localAnswerMessage,
  MARKER_HEADER,
  MARKER_VALUE,
  PROVIDER_HEADER,
  RETRY_AFTER_MS_HEADER,
} from '../common/circuit-open-error.js';
import type { Provider } from '../providers/provider.js';

/**
 * The local answer while a circuit is open, like Envoy's local reply.
 * docs/design.md, "Rejecting while open". What it must achieve, read from each client's own retry code (README,
 * "Compatibility"): no client retries it, no client sleeps until the next trial, and the
 * message the caller sees says `circuit breaker open for provider <name>`.
 *
 * - Status 400. Every other status some client retries on status alone: 5xx (the AI SDK,
 *   cohere, LangChain, the AWS SDK, fal, replicate's polling), 408/429 (nearly all), 409 (the AI
 *   SDK), 422 and most other 4xx (LangChain). 401/403/404 are not retried but mean something
 *   else to them (re-authentication, "model not found").
 * - `x-should-retry: false`, which Stainless-generated SDKs (openai, anthropic, groq, together)
 *   obey before looking at the status.
 * - No `retry-after` or `retry-after-ms`: several clients sleep that long, uncapped. The time to
 *   the next trial is in our own header and body instead.
 * - `x-provider-health: circuit-open` and the body's `provider_health` object: the markers
 *   `isCircuitOpenError()` recognises in whatever error a client builds from this reply.
 * - `x-amzn-errortype: CircuitOpenError`: the AWS SDK names the error after it (not a throttling
 *   or transient name it would retry).
 * - A body in the provider's own error shape, plus a top-level `message` (fal, the AWS SDK and
 *   generic clients read it) and no top-level `code` (the AWS SDK would take it as the error name).
 */
export interface SyntheticResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** The same headers in undici's raw form, for handlers of its original API. */
  rawHeaders: Buffer[];
  /** Shared between replies: hand each consumer a copy. */
  body: Buffer;
}

export const CIRCUIT_OPEN_STATUS = 400;

/**
 * The body marker: where a client keeps only the body, this is how the reply is recognised. A
 * spent budget's reply (docs/design.md, "Token usage and cost") is the same reply with
 * `budget: 'exhausted'` instead of `circuit: 'open'` and marker header `budget-exhausted`.
 */
export type CircuitOpenMarker = (
  | { circuit: 'open'; budget?: undefined }
  | { budget: 'exhausted'; circuit?: undefined }
) & {
  provider: string;
  /** Milliseconds until the next half-open trial; null while held open by an operator. */
  retry_after_ms: number | null;
};

function errorBody(provider: Provider, message: string, marker: CircuitOpenMarker): unknown {
  const common = { message, provider_health: marker };
  // Code that branches on the provider-shaped error's type or code tells the two answers apart.
  const type = marker.budget === 'exhausted' ? 'budget_exceeded' : 'circuit_breaker_open';
  switch (provider.config.errorShape) {
    case 'openai':
      return {
        error: { message, type, param: null, code: type },
        ...common,
      };
    case 'anthropic':
      return { type: 'error', error: { type, message }, ...common };
    case 'google':
      // The AI SDK's Google schema needs a numeric code and a string status to read the message.
      return { error: { code: CIRCUIT_OPEN_STATUS, message, status: 'FAILED_PRECONDITION' }, ...common };
    case 'fal':
      return { detail: message, ...common };
    case 'bedrock':
      return common;
    default:
      return { error: { type, message }, ...common };
  }
}

// The reply only changes with the whole seconds until the next trial: build it once per value.
const cache = new WeakMap<
  Provider,
  { seconds: number | undefined; reason: LocalAnswer['reason']; reply: SyntheticResponse }
>();

export function syntheticResponse(provider: Provider, answer: LocalAnswer): SyntheticResponse {
  const { retryAfterMs, reason } = answer;
  const seconds = Number.isFinite(retryAfterMs) ? Math.max(1, Math.ceil(retryAfterMs / 1000)) : undefined;
  const cached = cache.get(provider);
  if (cached !== undefined && cached.seconds === seconds && cached.reason === reason) return cached.reply;
  const message = localAnswerMessage(reason, answer.provider, retryAfterMs);
  const waitMs = seconds === undefined ? null : seconds * 1000;
  const budget = reason === 'budget_exhausted';
  const marker: CircuitOpenMarker = budget
    ? { budget: 'exhausted', provider: answer.provider, retry_after_ms: waitMs }
    : { circuit: 'open', provider: answer.provider, retry_after_ms: waitMs };
  const body = Buffer.from(JSON.stringify(errorBody(provider, message, marker)));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(body.length),
    'x-should-retry': 'false',
    [MARKER_HEADER]: budget ? BUDGET_MARKER_VALUE : MARKER_VALUE,
    [PROVIDER_HEADER]: answer.provider,
  };
  if (waitMs !== null) headers[RETRY_AFTER_MS_HEADER] = String(waitMs);
  if (provider.config.errorShape === 'bedrock')
    headers['x-amzn-errortype'] = budget ? 'BudgetExceededError' : 'CircuitOpenError';
  const reply = {
    status: CIRCUIT_OPEN_STATUS,
    statusText: 'Bad Request',
    headers,
    rawHeaders: rawHeaders(headers),
    body,
  };
  cache.set(provider, { seconds, reason, reply });
  return reply;
}

/** undici's raw header form: names and values alternating, as Buffers. */
export function rawHeaders(headers: Record<string, string>): Buffer[] {
  const raw: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) raw.push(Buffer.from(name), Buffer.from(value));
  return raw;
}
