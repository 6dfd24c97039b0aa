// Symbol.for, not a module-local symbol: the preload (CommonJS build) and the app's `import`
// (ESM build) load two copies of this class, and the brand must match across both.
const BRAND = Symbol.for('provider-health.CircuitOpenError');

/** The markers the local reply carries (src/intercept/synthetic-response.ts), read back here. */
export const MARKER_HEADER = 'x-provider-health';
export const MARKER_VALUE = 'circuit-open';
/** The marker of a reply answered locally because the provider's budget is spent. */
export const BUDGET_MARKER_VALUE = 'budget-exhausted';
export const PROVIDER_HEADER = 'x-provider-health-provider';
export const RETRY_AFTER_MS_HEADER = 'x-provider-health-retry-after-ms';

/**
 * Why the plugin answered a request itself: the provider's circuit is open, or its budget is
 * spent and its `budgetAction` is `reject` (docs/design.md, "Rejecting while open").
 */
export type LocalAnswerReason = 'circuit_open' | 'budget_exhausted';

/** What a local answer says: why, for which provider, and when asking again can succeed. */
export interface LocalAnswer {
  readonly reason: LocalAnswerReason;
  readonly provider: string;
  /** Milliseconds until the next trial or until the budget frees up; Infinity while held open. */
  readonly retryAfterMs: number;
}

/**
 * Thrown (or given as a fetch error's `cause`) when the plugin answers a request locally: while a
 * provider's circuit is open (`code` ERR_CIRCUIT_OPEN), or while its budget is spent with
 * `budgetAction: reject` (`reason` budget_exhausted, `code` ERR_BUDGET_EXCEEDED, name
 * BudgetExceededError). One class, one recognition (`getCircuitOpenError`): code that fails over
 * when a provider answers locally needs no second check.
 */
export class CircuitOpenError extends Error {
  readonly code: 'ERR_CIRCUIT_OPEN' | 'ERR_BUDGET_EXCEEDED';
  readonly reason: LocalAnswerReason;
  readonly [BRAND] = true;

  constructor(
    readonly provider: string,
    /** Milliseconds until the next half-open trial (or until the budget frees up); Infinity while forced open. */
    readonly retryAfterMs: number,
    reason: LocalAnswerReason = 'circuit_open',
  ) {
    super(localAnswerMessage(reason, provider, retryAfterMs));
    this.reason = reason;
    this.code = reason === 'budget_exhausted' ? 'ERR_BUDGET_EXCEEDED' : 'ERR_CIRCUIT_OPEN';
    this.name = reason === 'budget_exhausted' ? 'BudgetExceededError' : 'CircuitOpenError';
  }
}

/** The error of a local answer. */
export function localAnswerError(answer: LocalAnswer): CircuitOpenError {
  return new CircuitOpenError(answer.provider, answer.retryAfterMs, answer.reason);
}

/** The one wording, in the error and in the local reply: callers search for it. */
export function circuitOpenMessage(provider: string, retryAfterMs: number): string {
  const base = `circuit breaker open for provider ${provider}`;
  return Number.isFinite(retryAfterMs)
    ? `${base}; next trial in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s`
    : `${base}; held open by an operator`;
}

/** `budget exhausted for provider <name>`: the wording of a budget's local answer. */
export function budgetExhaustedMessage(provider: string, retryAfterMs: number): string {
  return `budget exhausted for provider ${provider}; the window frees up in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s`;
}

export function localAnswerMessage(
  reason: LocalAnswerReason,
  provider: string,
  retryAfterMs: number,
): string {
  return reason === 'budget_exhausted'
    ? budgetExhaustedMessage(provider, retryAfterMs)
    : circuitOpenMessage(provider, retryAfterMs);
}

// Bounds the walk: error chains can be long, cyclic or hostile.
const MAX_NODES = 16;
const MAX_LISTED = 4;
const MAX_JSON_CHARS = 64 * 1024;
// A provider, or one of its endpoints (`aws.bedrock@us-east-1`): the grammar of src/common/provider-name.ts.
const PROVIDER_NAME = /^[a-z0-9][a-z0-9._-]{0,63}(?:@[a-z0-9][a-z0-9._-]{0,63})?$/;

/**
 * The CircuitOpenError behind `error`, from any copy of this package, whatever a client made of
 * it: the error itself or one in its `cause` chain (fetch wraps it in `TypeError('fetch failed')`),
 * a retry wrapper's `lastError` / `errors` (the AI SDK's RetryError), or an SDK error built from
 * the local reply, recognised by its marker header (`err.headers`, `err.responseHeaders`,
 * `err.rawResponse.headers`, `err.response.headers`, `err.$response.headers`, gRPC
 * `err.metadata`) or body marker (`err.body`, `err.error`, `err.responseBody`,
 * `err.response.data`, a JSON `err.message`). An ordinary error response from a provider never
 * carries the markers. Never throws.
 */
export function getCircuitOpenError(error: unknown): CircuitOpenError | undefined {
  try {
    const queue: unknown[] = [error];
    const seen = new Set<unknown>();
    for (let i = 0; i < queue.length && i < MAX_NODES; i++) {
      const node = queue[i];
      if (typeof node !== 'object' || node === null || seen.has(node)) continue;
      seen.add(node);
      if ((node as Record<symbol, unknown>)[BRAND] === true) return node as CircuitOpenError;
      const found = fromMarkers(node as ErrorFields);
      if (found !== undefined) return found;
      const fields = node as ErrorFields;
      queue.push(fields.cause, fields.lastError);
      if (Array.isArray(fields.errors)) queue.push(...fields.errors.slice(-MAX_LISTED));
    }
  } catch {
    // A hostile object (throwing getters, revoked proxies): not ours.
  }
  return undefined;
}

/**
 * True for a CircuitOpenError from any copy of this package, or an error made from one (see
 * above): any request the plugin answered locally, an open circuit's or a spent budget's.
 */
export function isCircuitOpenError(error: unknown): error is Error {
  return getCircuitOpenError(error) !== undefined;
}

/** True when the plugin answered locally because the provider's budget is spent (`reason` budget_exhausted). */
export function isBudgetExceededError(error: unknown): error is Error {
  return getCircuitOpenError(error)?.reason === 'budget_exhausted';
}

interface ErrorFields {
  cause?: unknown;
  lastError?: unknown;
  errors?: unknown;
  headers?: unknown;
  responseHeaders?: unknown;
  rawResponse?: { headers?: unknown } | null;
  response?: { headers?: unknown; data?: unknown } | null;
  $response?: { headers?: unknown } | null;
  metadata?: unknown;
  body?: unknown;
  error?: unknown;
  responseBody?: unknown;
  message?: unknown;
}

function fromMarkers(node: ErrorFields): CircuitOpenError | undefined {
  const headerSources = [
    node.headers,
    node.responseHeaders,
    node.rawResponse?.headers,
    node.response?.headers,
    node.$response?.headers,
    node.metadata,
  ];
  for (const headers of headerSources) {
    const marker = headerValue(headers, MARKER_HEADER);
    if (marker !== MARKER_VALUE && marker !== BUDGET_MARKER_VALUE) continue;
    const provider = headerValue(headers, PROVIDER_HEADER);
    if (provider === undefined || !PROVIDER_NAME.test(provider)) continue;
    return new CircuitOpenError(
      provider,
      waitFrom(headerValue(headers, RETRY_AFTER_MS_HEADER)),
      marker === BUDGET_MARKER_VALUE ? 'budget_exhausted' : 'circuit_open',
    );
  }
  for (const body of [node.body, node.error, node.responseBody, node.response?.data, node.message]) {
    const marker = bodyMarker(body);
    if (marker !== undefined) return marker;
  }
  return undefined;
}

/** One header from fetch `Headers`, axios / gRPC objects with `get()`, or a plain object. */
function headerValue(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const get = (headers as { get?: unknown }).get;
  const value: unknown =
    typeof get === 'function'
      ? (get as (key: string) => unknown).call(headers, name)
      : (headers as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

function waitFrom(text: string | undefined): number {
  const ms = Number(text);
  return text !== undefined && text !== '' && Number.isFinite(ms) && ms >= 0 ? ms : Number.POSITIVE_INFINITY;
}

function bodyMarker(body: unknown): CircuitOpenError | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    const start = body.indexOf('{');
    if (start < 0 || body.length > MAX_JSON_CHARS || !body.includes('provider_health')) return undefined;
    try {
      parsed = JSON.parse(body.slice(start));
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const marker = (parsed as { provider_health?: unknown }).provider_health;
  if (typeof marker !== 'object' || marker === null) return undefined;
  const { circuit, budget, provider, retry_after_ms } = marker as Record<string, unknown>;
  if (circuit !== 'open' && budget !== 'exhausted') return undefined;
  if (typeof provider !== 'string' || !PROVIDER_NAME.test(provider)) return undefined;
  const wait =
    typeof retry_after_ms === 'number' && retry_after_ms >= 0 ? retry_after_ms : Number.POSITIVE_INFINITY;
  return new CircuitOpenError(provider, wait, circuit === 'open' ? 'circuit_open' : 'budget_exhausted');
}
