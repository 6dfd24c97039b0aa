import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';
import { logDenied } from './safe-log.js';

// Both sides hashed first: timingSafeEqual needs equal lengths, and comparing digests keeps
// the time independent of the token's length as well as its content.
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

const BEARER = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i;

/**
 * Throws unless the request carries `Authorization: Bearer <token>` for the configured token.
 * Without a configured token admin actions are off (403, saying how to turn them on);
 * a missing or wrong token is 401.
 */
export function requireAdmin(req: IncomingMessage, token: string | undefined, action: string): void {
  if (token === undefined) {
    logDenied(req, action, 'admin_disabled');
    throw new HttpError(
      403,
      'admin_disabled',
      'admin endpoints are disabled: set PROVIDER_HEALTH_ADMIN_TOKEN (or the adminToken option) and send it as "Authorization: Bearer <token>"',
    );
  }
  const match = BEARER.exec(req.headers.authorization ?? '');
  const given = match?.[1];
  if (given === undefined || !timingSafeEqual(digest(given), digest(token))) {
    logDenied(req, action, given === undefined ? 'missing_token' : 'wrong_token');
    throw new HttpError(
      401,
      'unauthorized',
      'a valid "Authorization: Bearer <PROVIDER_HEALTH_ADMIN_TOKEN>" header is required',
      { 'www-authenticate': 'Bearer realm="provider-health"' },
    );
  }
}
