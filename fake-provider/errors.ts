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

// Google's canonical codes (google.rpc.Code) as Gemini and Vertex name them in error bodies.
const GOOGLE: Readonly<Record<number, ErrorDefaults>> = {
  400: { type: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  401: { type: 'UNAUTHENTICATED', message: 'API key not valid.' },
  403: { type: 'PERMISSION_DENIED', message: 'The caller does not have permission.' },
  404: { type: 'NOT_FOUND', message: 'Requested entity was not found.' },
  429: { type: 'RESOURCE_EXHAUSTED', message: 'Resource has been exhausted (e.g. check quota).' },
  500: { type: 'INTERNAL', message: 'An internal error has occurred.' },
  503: { type: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
  504: { type: 'DEADLINE_EXCEEDED', message: 'Deadline exceeded.' },
};

// Bedrock Runtime's modeled exceptions, named in `x-amzn-errortype`.
const BEDROCK: Readonly<Record<number, ErrorDefaults>> = {
  400: { type: 'ValidationException', message: 'Malformed input request.' },
  403: { type: 'AccessDeniedException', message: 'You do not have access to the model.' },
  404: { type: 'ResourceNotFoundException', message: 'The model was not found.' },
  408: { type: 'ModelTimeoutException', message: 'The model took too long to respond.' },
  424: { type: 'ModelErrorException', message: 'The model returned an error.' },
  429: { type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' },
  500: { type: 'InternalServerException', message: 'The server encountered an internal error.' },
  503: { type: 'ServiceUnavailableException', message: 'The service is unavailable.' },
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

/** Cohere, Gemini, Replicate and Bedrock error answers (`b.body`, if given, replaces the body). */
function otherErrorReply(provider: 'cohere' | 'google' | 'replicate' | 'bedrock', b: ErrorBehaviour): Reply {
  const headers: Record<string, string> = { ...b.headers };
  const message = b.message ?? `Fake provider error ${b.status}.`;
  switch (provider) {
    case 'cohere':
      return jsonReply(b.status, b.body ?? { id: fakeId(''), message }, headers);
    case 'google': {
      const d = defaultsFor(GOOGLE, b.status);
      const status = b.type ?? d?.type ?? (b.status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
      const body = { error: { code: b.status, message: b.message ?? d?.message ?? message, status } };
      return jsonReply(b.status, b.body ?? body, headers);
    }
    case 'replicate':
      return jsonReply(
        b.status,
        b.body ?? { title: `Error ${b.status}`, detail: message, status: b.status },
        headers,
      );
    case 'bedrock': {
      const d = defaultsFor(BEDROCK, b.status);
      const name = b.type ?? d?.type ?? (b.status >= 500 ? 'InternalServerException' : 'ValidationException');
      return jsonReply(b.status, b.body ?? { message: b.message ?? d?.message ?? message }, {
        // As Bedrock sends it; the AWS SDK keeps the part before the colon as the error's name.
        'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
        'x-amzn-requestid': crypto.randomUUID(),
        ...headers,
      });
    }
  }
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
  if (provider !== 'fal') return otherErrorReply(provider, b);
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
  // Only OpenAI and Anthropic answers stream here; any other provider gets OpenAI's event.
  // OpenAI's SDK throws APIError on any data line whose JSON has an `error` member.
  return sseEvent(openaiError(status, type, message));
}
