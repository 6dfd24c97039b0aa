/**
 * Reads the error fields out of a provider's error body. Shapes, as documented:
 *   OpenAI     {"error": {"message", "type", "param", "code"}}
 *   Anthropic  {"type": "error", "error": {"type", "message", "details"?: {"error_code"}}, "request_id"}
 *   fal.ai     {"detail": "...", "error_type": "..."} (request errors) or {"detail": [{"msg", "type"}]}
 *   Gemini     {"error": {"code": 429, "message", "status"}}
 * Never throws; anything unexpected just leaves a field undefined.
 */
export interface ProviderErrorFields {
  /** Broad category: OpenAI/Anthropic `error.type`, Gemini `error.status`. */
  type?: string;
  /** Specific code: OpenAI `error.code`, Anthropic `error.details.error_code`, fal `error_type`. */
  code?: string;
  /** Human-readable message, only ever searched for wording, never logged. */
  message?: string;
  /** fal.ai's `error_type` (the body twin of the `X-Fal-Error-Type` header). */
  falErrorType?: string;
}

/** Bodies larger than this are not parsed: the caller promised small error bodies; guard anyway. */
const MAX_PARSED_CHARS = 64 * 1024;
/** How much of a non-JSON body is searched for wording. */
const MAX_TEXT_CHARS = 4 * 1024;

export function readProviderErrorBody(body: string): ProviderErrorFields {
  if (body.length <= MAX_PARSED_CHARS && looksLikeJson(body)) {
    try {
      return readProviderErrorObject(JSON.parse(body));
    } catch {
      // Not JSON after all (truncated, HTML from a proxy): fall back to the text.
    }
  }
  return { message: body.slice(0, MAX_TEXT_CHARS) };
}

/** Same as `readProviderErrorBody`, for a body an SDK has already parsed (e.g. `APIError.error`). */
export function readProviderErrorObject(parsed: unknown): ProviderErrorFields {
  const root = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!isObject(root)) return {};
  const nested = root.error;
  if (typeof nested === 'string') return { message: nested };
  // OpenAI's SDK hands over the inner error object itself, without the {"error": …} wrapper.
  const inner = isObject(nested) ? nested : root;
  const details = inner.details;
  const detail = root.detail;
  const firstDetail = Array.isArray(detail) && isObject(detail[0]) ? detail[0] : undefined;
  return {
    type: text(inner.type) ?? text(inner.status) ?? text(firstDetail?.type),
    code:
      text(inner.code) ??
      (isObject(details) ? text(details.error_code) : undefined) ??
      text(root.error_type) ??
      text(inner.error_code),
    message: text(inner.message) ?? text(detail) ?? text(firstDetail?.msg),
    falErrorType: text(root.error_type),
  };
}

function looksLikeJson(body: string): boolean {
  const first = body.trimStart().charCodeAt(0);
  return first === 123 || first === 91; // '{' or '['
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function text(value: unknown): string | undefined {
  // Anthropic's top-level "type" is always "error": useless as a category, so callers skip it.
  if (typeof value === 'string') return value.length > 0 && value !== 'error' ? value : undefined;
  return undefined;
}
