import type { Provider } from '../providers/provider.js';

/**
 * The local answer while a circuit is open, like Envoy's local reply: HTTP 503 with
 * `x-should-retry: false` (the official OpenAI and Anthropic SDKs obey it and do not retry),
 * `retry-after` in seconds until the next trial, and a JSON body in the provider's own error
 * shape so the SDK surfaces a normal API error whose message names the breaker.
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

/**
 * 503 everywhere but fal.ai: `@fal-ai/client` ignores `x-should-retry` and retries 429, 502,
 * 503 and 504 three times with backoff (~3.5 s a call, each attempt answered locally). It does
 * not retry a 500 on `run` and queue submits, so fal gets a 500: the call fails in milliseconds.
 */
function syntheticStatus(provider: Provider): { status: number; statusText: string } {
  return provider.config.errorShape === 'fal'
    ? { status: 500, statusText: 'Internal Server Error' }
    : { status: 503, statusText: 'Service Unavailable' };
}

export function circuitOpenMessage(provider: string): string {
  return `circuit breaker open for provider ${provider}`;
}

function errorBody(provider: Provider, message: string): unknown {
  switch (provider.config.errorShape) {
    case 'openai':
      return { error: { message, type: 'circuit_breaker_open', param: null, code: 'circuit_breaker_open' } };
    case 'anthropic':
      return { type: 'error', error: { type: 'circuit_breaker_open', message } };
    case 'fal':
      return { detail: message };
    default:
      return { error: { code: 'circuit_breaker_open', message } };
  }
}

// The reply only changes with the whole seconds until the next trial: build it once per value.
const cache = new WeakMap<Provider, { seconds: number | undefined; reply: SyntheticResponse }>();

export function syntheticResponse(provider: Provider, retryAfterMs: number): SyntheticResponse {
  const seconds = Number.isFinite(retryAfterMs) ? Math.max(1, Math.ceil(retryAfterMs / 1000)) : undefined;
  const cached = cache.get(provider);
  if (cached !== undefined && cached.seconds === seconds) return cached.reply;
  const message =
    seconds === undefined
      ? `${circuitOpenMessage(provider.name)} (held open by an operator)`
      : `${circuitOpenMessage(provider.name)}; next trial in ${seconds} s`;
  const body = Buffer.from(JSON.stringify(errorBody(provider, message)));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(body.length),
    'x-should-retry': 'false',
    'x-provider-health': 'circuit-open',
  };
  if (seconds !== undefined) headers['retry-after'] = String(seconds);
  const reply = { ...syntheticStatus(provider), headers, rawHeaders: rawHeaders(headers), body };
  cache.set(provider, { seconds, reply });
  return reply;
}

/** undici's raw header form: names and values alternating, as Buffers. */
export function rawHeaders(headers: Record<string, string>): Buffer[] {
  const raw: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) raw.push(Buffer.from(name), Buffer.from(value));
  return raw;
}
