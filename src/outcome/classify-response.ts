import type { HeaderSource } from './headers.js';
import { type Classification, isOutcome, type Outcome } from './outcome.js';
import { type ProviderErrorFields, readProviderErrorBody, readProviderErrorObject } from './provider-body.js';
import { safeLabel } from './reason.js';
import { retryAfterMsFromHeaders } from './retry-after.js';
import type { BodyRule, OutcomeRules } from './rules.js';

/** What classification may read of a response; everything but the status is optional. */
export interface ResponseParts {
  headers?: HeaderSource | undefined;
  /** Raw body of a small error response. */
  body?: string | undefined;
  /** A body an SDK has already parsed (`APIError.error`, fal's `ApiError.body`). */
  parsedBody?: unknown;
  now?: number | undefined;
}

export const SUCCESS: Classification = Object.freeze({ outcome: 'success', reason: 'HTTP 2xx/3xx' });

/**
 * The one success shortcut: a 2xx or 3xx that no status rule of the provider's claims is a
 * success without reading headers or body.
 */
export function isPlainSuccess(status: number, rules: OutcomeRules | undefined): boolean {
  return status >= 200 && status < 400 && rules?.statusOverrides?.[status] === undefined;
}

/**
 * fal.ai request error types (docs: model-apis/request-errors), sent in `X-Fal-Error-Type` and as
 * `error_type`. Runner failures are fal's own infrastructure between it and the model, so they
 * are provider errors, not connection errors on our side of the wire.
 */
const FAL_ERROR_TYPES: ReadonlyMap<string, Outcome> = new Map<string, Outcome>([
  ['request_timeout', 'timeout'],
  ['startup_timeout', 'timeout'],
  ['runner_connection_timeout', 'timeout'],
  ['runner_scheduling_failure', 'provider_error'],
  ['runner_disconnected', 'provider_error'],
  ['runner_connection_refused', 'provider_error'],
  ['runner_connection_error', 'provider_error'],
  ['runner_incomplete_response', 'provider_error'],
  ['runner_server_error', 'provider_error'],
  ['internal_error', 'provider_error'],
  ['client_disconnected', 'canceled'],
  ['client_cancelled', 'canceled'],
  ['bad_request', 'client_error'],
]);

/** Error types and codes that mean "no money left", whatever the status says. */
const QUOTA_CODES: ReadonlySet<string> = new Set([
  'insufficient_quota', // OpenAI error.type (and historically error.code)
  'credit_balance_exhausted', // OpenAI error.code
  'organization_spend_limit_exceeded',
  'project_spend_limit_exceeded',
  'organization_usage_limit_exceeded',
  'billing_not_active',
  'billing_hard_limit_reached',
  'enforced_spend_limit_reached', // Anthropic 429 error.details.error_code
  'billing_error', // Anthropic 402 error.type
]);

/** OpenAI codes that say "too fast", checked before wording: OpenAI's rate-limit text mentions billing. */
const RATE_LIMIT_CODES: ReadonlySet<string> = new Set(['rate_limit_exceeded', 'slow_down']);

/** Phrases of spend-limit and credit errors (Anthropic's 400 spend limit and credit balance messages). */
const QUOTA_WORDING = [
  'credit balance',
  'exceeded your current quota',
  'spend limit',
  'usage limit',
  'purchase credits',
  'insufficient credit',
  'insufficient balance',
];
/** Too loose for a 429 (OpenAI's rate-limit message links its billing page), fine for 400/403. */
const BILLING_WORDING = [...QUOTA_WORDING, 'billing'];

const MAX_RULE_TEXT_CHARS = 64 * 1024;
const MAX_WORDING_CHARS = 4 * 1024;

export function classifyResponse(status: number, parts: ResponseParts, rules: OutcomeRules): Classification {
  const retryAfterMs = status === 429 || status === 503 || status === 529 ? retryAfter(parts) : undefined;
  const override = rules.statusOverrides?.[status];
  if (isOutcome(override)) return result(override, `HTTP ${status} (status rule)`, retryAfterMs);
  if (isPlainSuccess(status, undefined)) return SUCCESS;
  if (status < 200) return result('provider_error', `HTTP ${status} as a final status`, undefined);

  const body = typeof parts.body === 'string' && parts.body.length > 0 ? parts.body : undefined;
  const matched = body === undefined ? undefined : matchBodyRule(status, body, rules.bodyRules);
  if (matched !== undefined) {
    return result(
      matched.outcome,
      `HTTP ${status} (body rule ${safeLabel(matched.contains).slice(0, 40)})`,
      retryAfterMs,
    );
  }

  const fields = readFields(body, parts.parsedBody);
  const falType = header(parts.headers, 'x-fal-error-type') ?? fields.falErrorType;
  const falOutcome = falType === undefined ? undefined : FAL_ERROR_TYPES.get(falType);
  if (falOutcome !== undefined && falType !== undefined) {
    return result(falOutcome, `HTTP ${status} ${falType}`, retryAfterMs);
  }

  const http = `HTTP ${status}${label(fields)}`;
  if (status === 429) {
    if (hasQuotaCode(fields)) return result('quota_exhausted', http, retryAfterMs);
    if (fields.code !== undefined && RATE_LIMIT_CODES.has(fields.code))
      return result('rate_limited', http, retryAfterMs);
    const phrase = wording(fields, QUOTA_WORDING);
    if (phrase !== undefined) return result('quota_exhausted', `${http} (${phrase})`, retryAfterMs);
    return result('rate_limited', http, retryAfterMs);
  }
  if (status === 402) return result('quota_exhausted', http, retryAfterMs);
  if (status === 400 || status === 403) {
    if (hasQuotaCode(fields)) return result('quota_exhausted', http, retryAfterMs);
    const phrase = wording(fields, BILLING_WORDING);
    if (phrase !== undefined) return result('quota_exhausted', `${http} (${phrase})`, retryAfterMs);
    return result(status === 403 ? 'auth_error' : 'client_error', http, retryAfterMs);
  }
  if (status === 401) return result('auth_error', http, retryAfterMs);
  if (status < 500) return result('client_error', http, retryAfterMs);
  if (fields.code === 'slow_down') {
    return result('provider_error', `${http} (request rate rose too fast)`, retryAfterMs);
  }
  return result(
    'provider_error',
    status === 529 && fields.type === undefined ? `${http} overloaded` : http,
    retryAfterMs,
  );
}

function result(outcome: Outcome, reason: string, retryAfterMs: number | undefined): Classification {
  return retryAfterMs === undefined ? { outcome, reason } : { outcome, reason, retryAfterMs };
}

function retryAfter(parts: ResponseParts): number | undefined {
  return parts.headers === undefined ? undefined : retryAfterMsFromHeaders(parts.headers, parts.now);
}

function header(headers: HeaderSource | undefined, name: string): string | undefined {
  const value = headers?.get(name);
  return typeof value === 'string' && value.length > 0 ? value.trim() : undefined;
}

function readFields(body: string | undefined, parsedBody: unknown): ProviderErrorFields {
  if (body !== undefined) return readProviderErrorBody(body);
  if (typeof parsedBody === 'string' && parsedBody.length > 0) return readProviderErrorBody(parsedBody);
  return parsedBody === undefined ? {} : readProviderErrorObject(parsedBody);
}

function matchBodyRule(
  status: number,
  body: string,
  rules: readonly BodyRule[] | undefined,
): BodyRule | undefined {
  if (!Array.isArray(rules) || rules.length === 0) return undefined;
  const lower = body.slice(0, MAX_RULE_TEXT_CHARS).toLowerCase();
  for (const rule of rules as readonly BodyRule[]) {
    if (typeof rule !== 'object' || rule === null || !isOutcome(rule.outcome)) continue;
    if (typeof rule.contains !== 'string' || rule.contains.length === 0) continue;
    if (Array.isArray(rule.statuses) ? !rule.statuses.includes(status) : status < 400) continue;
    if (lower.includes(rule.contains.toLowerCase())) return rule;
  }
  return undefined;
}

function hasQuotaCode(fields: ProviderErrorFields): boolean {
  return (
    (fields.code !== undefined && QUOTA_CODES.has(fields.code)) ||
    (fields.type !== undefined && QUOTA_CODES.has(fields.type))
  );
}

function wording(fields: ProviderErrorFields, phrases: readonly string[]): string | undefined {
  if (fields.message === undefined) return undefined;
  const lower = fields.message.slice(0, MAX_WORDING_CHARS).toLowerCase();
  return phrases.find((phrase) => lower.includes(phrase));
}

/** " type/code", " code" or "": both when they differ, as OpenAI's quota codes refine its type. */
function label(fields: ProviderErrorFields): string {
  const { type, code } = fields;
  const text = type !== undefined && code !== undefined && type !== code ? `${type}/${code}` : (code ?? type);
  return text === undefined ? '' : ` ${safeLabel(text)}`;
}
