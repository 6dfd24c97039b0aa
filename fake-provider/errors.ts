import { fakeId, jsonReply, type Reply, sseEvent } from './reply.js';
import type { ErrorBehaviour, ProviderName } from './types.js';

interface ErrorDefaults {
  readonly type: string;
  readonly message: string;
  /** OpenAI's `code`; it differs from `type` for rate limits and keys. */
  readonly code?: string;
}

const OPENAI: Readonly<Record<number, ErrorDefaults>> = {
  400: { type: 'invalid_request_error', message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  403: { type: 'invalid_request_error', message: 'You are not allowed to access this resource.' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' },
  500: { type: 'server_error', message: 'The server had an error while processing your request.' },
  503: { type: 'server_error', message: 'The engine is currently overloaded, please try again later.' },
};

// Types from Anthropic's error documentation; 503 is not documented there.
const ANTHROPIC: Readonly<Record<number, ErrorDefaults>> = {
  400: { type: 'invalid_request_error', message: 'Invalid request.' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  402: { type: 'billing_error', message: 'Your credit balance is too low.' },
  403: { type: 'permission_error', message: 'Your API key does not have permission.' },
  404: { type: 'not_found_error', message: 'Not found.' },
  413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed size.' },
  429: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit.' },
  500: { type: 'api_error', message: 'Internal server error' },
  504: { type: 'timeout_error', message: 'Request timed out.' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

// fal's documented request error types; statuses without one get no X-Fal-Error-Type.
const FAL: Readonly<Record<number, ErrorDefaults>> = {
  400: { type: 'bad_request', message: 'Bad request' },
  500: { type: 'internal_error', message: 'Internal error' },
  502: { type: 'runner_incomplete_response', message: 'Runner sent an incomplete response' },
  503: { type: 'runner_scheduling_failure', message: 'No runner could be allocated' },
  504: { type: 'request_timeout', message: 'Request timed out' },
};

function defaultsFor(
  table: Readonly<Record<number, ErrorDefaults>>,
  status: number,
): ErrorDefaults | undefined {
  return table[status];
}

function openaiError(status: number, type?: string, message?: string): { error: Record<string, unknown> } {
  const d = defaultsFor(OPENAI, status);
  const fallbackType = status >= 500 ? 'server_error' : 'invalid_request_error';
  return {
    error: {
      message: message ?? d?.message ?? `Fake provider error ${status}.`,
      type: type ?? d?.type ?? fallbackType,
      param: null,
      code: type ?? d?.code ?? null,
    },
  };
}

function anthropicError(status: number, type?: string, message?: string): Record<string, unknown> {
  const d = defaultsFor(ANTHROPIC, status);
  const fallbackType = status >= 500 ? 'api_error' : 'invalid_request_error';
  return {
    type: 'error',
    error: { type: type ?? d?.type ?? fallbackType, message: message ?? d?.message ?? `Error ${status}` },
    request_id: fakeId('req_'),
  };
}

/** The provider's own error answer for `status`, with the behaviour's overrides applied. */
export function errorReply(provider: ProviderName, b: ErrorBehaviour): Reply {
  const headers: Record<string, string> = { ...b.headers };
  if (typeof b.body === 'string') {
    return {
      status: b.status,
      headers: { 'content-type': 'text/plain', ...headers },
      chunks: [b.body],
      sse: false,
    };
  }
  if (provider === 'openai') {
    return jsonReply(b.status, b.body ?? openaiError(b.status, b.type, b.message), {
      'x-request-id': fakeId('req_'),
      ...headers,
    });
  }
  if (provider === 'anthropic') {
    return jsonReply(b.status, b.body ?? anthropicError(b.status, b.type, b.message), {
      'request-id': fakeId('req_'),
      ...headers,
    });
  }
  const d = defaultsFor(FAL, b.status);
  const errorType = b.type ?? d?.type;
  const detail = b.message ?? d?.message ?? `Error ${b.status}`;
  const body = errorType === undefined ? { detail } : { detail, error_type: errorType };
  return jsonReply(b.status, b.body ?? body, {
    ...(errorType === undefined ? {} : { 'x-fal-error-type': errorType }),
    ...headers,
  });
}

/** The error a provider sends inside an SSE stream that already answered 200. */
export function streamErrorEvent(
  provider: ProviderName,
  status: number,
  type?: string,
  message?: string,
): string {
  if (provider === 'anthropic') return sseEvent(anthropicError(status, type, message), 'error');
  // OpenAI's SDK throws APIError on any data line whose JSON has an `error` member.
  return sseEvent(openaiError(status, type, message));
}
