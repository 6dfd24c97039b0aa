import { getCircuitOpenError } from '../common/circuit-open-error.js';
import { classifyError } from './classify-error.js';
import { classifyResponse, isPlainSuccess, SUCCESS } from './classify-response.js';
import { type HeaderSource, headersFromRecord } from './headers.js';
import type { Classification } from './outcome.js';
import { DEFAULT_RULES, type OutcomeRules } from './rules.js';

export { isPlainSuccess, SUCCESS as SUCCESS_CLASSIFICATION } from './classify-response.js';
export type { HeaderRecord, HeaderSource, RawHeaders } from './headers.js';
export { headersFromRecord } from './headers.js';

export interface ClassifyInput {
  /** Final HTTP status, when a response started. */
  status?: number;
  /** Read only for error responses: `retry-after`, `retry-after-ms`, `x-fal-error-type`. */
  headers?: HeaderSource;
  /** Body of a small error response; pass it only when it is already at hand. */
  body?: string;
  /** What the request failed with, if it did (also after a response started, e.g. mid-body). */
  error?: unknown;
  /**
   * Reference time for an HTTP-date `retry-after`, in ms since the epoch.
   * @default Date.now()
   */
  now?: number;
  /**
   * The request's own AbortSignal had fired. Then the failure is the caller's (`canceled`) even when
   * the error is an arbitrary `abort(reason)` value, unless that reason is a timeout.
   */
  aborted?: boolean;
}

const NO_RESPONSE: Classification = Object.freeze({
  outcome: 'connection_error',
  reason: 'no response and no error',
});
const REJECTED: Classification = Object.freeze({
  outcome: 'rejected',
  reason: 'answered locally: circuit open',
});
const BUDGET_EXCEEDED: Classification = Object.freeze({
  outcome: 'budget_exceeded',
  reason: 'answered locally: budget exhausted',
});
const UNCLASSIFIABLE: Classification = Object.freeze({
  outcome: 'connection_error',
  reason: 'unknown error (unclassifiable input)',
});

/**
 * Turns one request's ending into an outcome (docs/design.md, "Outcomes"). Never throws.
 * A plain 2xx/3xx returns the shared, frozen `SUCCESS_CLASSIFICATION` without reading headers or body;
 * every result should be treated as read-only.
 */
export function classify(input: ClassifyInput, rules: OutcomeRules = DEFAULT_RULES): Classification {
  try {
    const status = input.status;
    const error = input.error;
    if (error === undefined || error === null) {
      if (typeof status === 'number' && isPlainSuccess(status, rules)) return SUCCESS;
      if (!isHttpStatus(status)) return NO_RESPONSE;
      return classifyResponse(status, input, rules ?? DEFAULT_RULES);
    }
    // Our own local reply, whatever error a client made of it: not the provider's answer.
    const local = getCircuitOpenError(error);
    if (local !== undefined) return local.reason === 'budget_exhausted' ? BUDGET_EXCEEDED : REJECTED;
    const carried = responseCarriedBy(error);
    if (carried !== undefined) {
      return classifyResponse(carried.status, { ...carried, now: input.now }, rules ?? DEFAULT_RULES);
    }
    return classifyError(error, {
      aborted: input.aborted === true,
      status: isHttpStatus(status) ? status : undefined,
      codeOverrides: rules?.errorCodeOverrides,
    });
  } catch {
    // Hostile inputs (throwing getters, proxies) must not break the host's request.
    return UNCLASSIFIABLE;
  }
}

function isHttpStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 999;
}

interface CarriedResponse {
  status: number;
  headers: HeaderSource | undefined;
  parsedBody: unknown;
}

/**
 * SDK errors that stand for an HTTP error response: openai's and @anthropic-ai/sdk's `APIError`
 * (`status`, `headers`, parsed body in `error`), fal's `ApiError` (`body`), axios (`response`).
 * They reach classification through the explicit `execute` API.
 */
function responseCarriedBy(error: unknown): CarriedResponse | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const fields = error as {
    status?: unknown;
    headers?: unknown;
    error?: unknown;
    body?: unknown;
    response?: unknown;
  };
  const response = fields.response as
    | { status?: unknown; headers?: unknown; data?: unknown }
    | null
    | undefined;
  const fromResponse = typeof response === 'object' && response !== null;
  const status = isHttpStatus(fields.status) ? fields.status : fromResponse ? response.status : undefined;
  if (!isHttpStatus(status) || status < 400) return undefined;
  const headers = fromResponse && response.headers !== undefined ? response.headers : fields.headers;
  return {
    status,
    headers: asHeaderSource(headers),
    parsedBody: fields.error ?? fields.body ?? (fromResponse ? response.data : undefined),
  };
}

function asHeaderSource(headers: unknown): HeaderSource | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') return headers as HeaderSource;
  return headersFromRecord(headers as Record<string, string>);
}
