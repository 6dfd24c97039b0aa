import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DeniedLog } from './denied-log.js';
import { FailureThrottle } from './failure-throttle.js';
import { HttpError } from './http-error.js';
import { escapeForLog, remoteOf } from './safe-log.js';

// Both sides hashed first: timingSafeEqual needs equal lengths, and comparing digests keeps
// the time independent of the token's length as well as its content.
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

const BEARER = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i;

/**
 * The admin endpoints' gate: `Authorization: Bearer <token>` for the configured token. Without a
 * configured token admin actions are off (403, saying how to turn them on); a missing or wrong
 * token is 401; a client (by socket address: headers can be forged) with too many recent
 * failures gets 429 with `retry-after`, without its token being checked. Denials are logged as a
 * bounded summary, and never with a token: the path is logged without its query string.
 */
export class AdminAuth {
  private readonly expected: Buffer | undefined;

  constructor(
    token: string | undefined,
    private readonly throttle = new FailureThrottle(),
    private readonly denied = new DeniedLog(),
  ) {
    this.expected = token === undefined ? undefined : digest(token);
  }

  /** Throws the HttpError to answer unless the request may run the admin `action`. */
  require(req: IncomingMessage, action: string): void {
    const client = req.socket.remoteAddress ?? 'unknown';
    if (this.expected === undefined) {
      this.deny(req, action, 'admin_disabled', client);
      throw new HttpError(
        403,
        'admin_disabled',
        'admin endpoints are disabled: set PROVIDER_HEALTH_ADMIN_TOKEN (or the adminToken option) and send it as "Authorization: Bearer <token>"',
      );
    }
    const waitMs = this.throttle.waitMs(client);
    if (waitMs > 0) {
      this.deny(req, action, 'throttled', client);
      throw new HttpError(429, 'too_many_attempts', 'too many failed admin attempts from this address', {
        'retry-after': String(Math.ceil(waitMs / 1000)),
      });
    }
    const given = BEARER.exec(req.headers.authorization ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), this.expected)) {
      this.throttle.fail(client);
      this.deny(req, action, given === undefined ? 'missing_token' : 'wrong_token', client);
      throw new HttpError(
        401,
        'unauthorized',
        'a valid "Authorization: Bearer <PROVIDER_HEALTH_ADMIN_TOKEN>" header is required',
        { 'www-authenticate': 'Bearer realm="provider-health"' },
      );
    }
  }

  private deny(req: IncomingMessage, action: string, reason: string, client: string): void {
    this.denied.note({
      action,
      reason,
      path: escapeForLog(pathOnly(req.url)),
      ...remoteOf(req),
      remote_address: escapeForLog(client),
    });
  }
}

/** The path without its query string: a token pasted into a URL must never reach the log. */
function pathOnly(url: string | undefined): string {
  if (url === undefined) return '';
  const query = url.indexOf('?');
  return query < 0 ? url : `${url.slice(0, query)}?<query omitted>`;
}
