import type { IncomingMessage } from 'node:http';
import { log } from '../common/log.js';

const MAX_FIELD = 200;

/**
 * A request-supplied string as it may appear in a log line: printable ASCII only, everything
 * else (newlines, ANSI escapes, U+2028, bidi overrides) as `\uXXXX`, and truncated. JSON
 * encoding alone lets U+2028 and terminal escapes through to whoever reads the log.
 */
export function escapeForLog(value: string | undefined): string {
  if (value === undefined) return '';
  const clipped = value.length > MAX_FIELD ? `${value.slice(0, MAX_FIELD)}…` : value;
  return clipped.replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/** Who asked: the socket's address, plus what a proxy claims (escaped: anyone can send it). */
export function remoteOf(req: IncomingMessage): Record<string, string> {
  const fields: Record<string, string> = {
    remote_address: escapeForLog(req.socket.remoteAddress ?? 'unknown'),
  };
  const forwarded = req.headers['x-forwarded-for'];
  if (typeof forwarded === 'string') fields.forwarded_for = escapeForLog(forwarded);
  return fields;
}

/** One line per admin action or manual check: what, on which provider, when (the log's `time`), from where. */
export function logRequestAction(
  req: IncomingMessage,
  action: string,
  provider: string,
  extra: Record<string, string | number | boolean> = {},
): void {
  log('info', `health server: ${action}`, {
    action,
    provider: escapeForLog(provider),
    ...remoteOf(req),
    ...extra,
  });
}
