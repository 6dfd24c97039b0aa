import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

export interface RequestPath {
  /** Path segments below the mount point, still percent-encoded: `['health', 'providers', 'openai']`. */
  segments: string[];
  query: URLSearchParams;
  /** Where the handler is mounted, for links the status page builds: `''` or `/ops/ph`. */
  prefix: string;
}

const MAX_URL_LENGTH = 2048;

type MaybeExpressRequest = IncomingMessage & { originalUrl?: unknown };

/**
 * Splits the request target without resolving it: `new URL()` would fold `/a/../b` into `/b`,
 * and a health server has no reason to accept dot segments at all, encoded or not.
 * Undefined: the request is outside `basePath` (a mounted handler passes it on).
 */
export function parseRequestPath(req: IncomingMessage, basePath: string): RequestPath | undefined {
  const url = req.url ?? '/';
  if (url.length > MAX_URL_LENGTH) throw new HttpError(414, 'uri_too_long', 'the request URL is too long');
  const queryAt = url.indexOf('?');
  let path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
  if (!path.startsWith('/')) throw new HttpError(400, 'invalid_path', 'the request path must start with /');
  let prefix = expressPrefix(req as MaybeExpressRequest, path);
  if (basePath !== '') {
    if (path !== basePath && !path.startsWith(`${basePath}/`)) return undefined;
    path = path.slice(basePath.length) || '/';
    prefix += basePath;
  }
  const segments = path.split('/').slice(1);
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  for (const segment of segments) {
    if (/^(?:\.|%2e){1,2}$/i.test(segment)) {
      throw new HttpError(400, 'invalid_path', 'dot segments are not allowed in the path');
    }
  }
  return { segments: segments[0] === '' ? [] : segments, query, prefix };
}

/** Express mounts strip their path from `req.url` and keep the full one in `originalUrl`. */
function expressPrefix(req: MaybeExpressRequest, path: string): string {
  if (typeof req.originalUrl !== 'string') return '';
  const original = req.originalUrl.split('?')[0] ?? '';
  const relative = path === '/' ? '' : path;
  return original.endsWith(relative)
    ? original.slice(0, original.length - relative.length).replace(/\/$/, '')
    : '';
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A provider name from the path: decoded once, and only from a safe alphabet. */
export function providerNameParam(raw: string | undefined): string {
  let name: string;
  try {
    name = decodeURIComponent(raw ?? '');
  } catch {
    throw invalidName();
  }
  if (!NAME.test(name)) throw invalidName();
  return name;
}

const invalidName = (): HttpError =>
  new HttpError(
    400,
    'invalid_provider_name',
    "a provider name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
  );
