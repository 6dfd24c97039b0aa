import type { HeaderSource } from './headers.js';

/**
 * Longest wait we believe. Larger values are ignored, not clamped: a `retry-after` of days is
 * almost always a unit mistake (milliseconds in a seconds header, or an epoch timestamp), and
 * clamping would still hold a provider back for a whole day on bad data.
 */
export const MAX_RETRY_AFTER_MS = 86_400_000;

// RFC 9110 delta-seconds is an integer; the OpenAI and Anthropic SDKs also accept fractions, so do we.
const DELTA = /^\d{1,16}(?:\.\d{1,9})?$/;
// IMF-fixdate, RFC 850 and asctime all start with a day name and carry hh:mm:ss; this keeps
// Date.parse (which reads almost anything, "7" included) away from values that are not dates.
const HTTP_DATE = /^[A-Za-z]{3,9},? [\w -]{5,30}\d{2}:\d{2}:\d{2}[\w ]{0,10}$/;

/**
 * The minimum wait a response asked for, in milliseconds: `retry-after-ms` first (more precise, and
 * what the official SDKs prefer), then `retry-after`. Undefined when absent or unusable.
 */
export function retryAfterMsFromHeaders(headers: HeaderSource | undefined, now?: number): number | undefined {
  if (headers === undefined) return undefined;
  return parseRetryAfterMs(headers.get('retry-after-ms')) ?? parseRetryAfter(headers.get('retry-after'), now);
}

/** `retry-after-ms`: a non-negative number of milliseconds. */
export function parseRetryAfterMs(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!DELTA.test(text)) return undefined;
  return bounded(Math.ceil(Number(text)));
}

/**
 * `retry-after`: delta seconds, or an HTTP date taken relative to `now` (ms since the epoch).
 * Negative values, and dates already past, are ignored: they carry no wait to honour.
 */
export function parseRetryAfter(value: string | null | undefined, now?: number): number | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const text = value.trim();
  if (DELTA.test(text)) return bounded(Math.ceil(Number(text) * 1000));
  if (!HTTP_DATE.test(text)) return undefined;
  // asctime has no zone but is defined as GMT; Date.parse would read it as local time.
  const at = Date.parse(text.includes('GMT') ? text : `${text} GMT`);
  const reference = typeof now === 'number' && Number.isFinite(now) ? now : Date.now();
  return bounded(Math.ceil(at - reference));
}

function bounded(ms: number): number | undefined {
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}
