import type { ServerResponse } from 'node:http';

/** Stable machine-readable codes: clients branch on these, never on messages. */
export type ErrorCode =
  | 'not_found'
  | 'provider_not_found'
  | 'invalid_provider_name'
  | 'invalid_path'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'invalid_body'
  | 'unsupported_media_type'
  | 'unauthorized'
  | 'admin_disabled'
  | 'forbidden_origin'
  | 'forbidden_host'
  | 'uri_too_long'
  | 'request_timeout'
  | 'headers_too_large'
  | 'bad_request'
  | 'too_many_clients'
  | 'too_many_attempts'
  | 'internal_error';

/** An answer other than success, thrown by a route and turned into JSON by the handler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function isHttpError(value: unknown): value is HttpError {
  return value instanceof HttpError;
}

// Every answer: never cached (health is live), never sniffed into HTML, never framed.
const COMMON_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}

export function sendText(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}
