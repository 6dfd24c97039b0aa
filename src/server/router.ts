import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';
import type { RequestPath } from './request-path.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  path: RequestPath;
  /** Path parameters by name, still percent-encoded: `:name` -> `params.name`. */
  params: Record<string, string>;
}

export type RouteHandler = (context: RouteContext) => void | Promise<void>;

export interface Route {
  /** Segments; `:name` matches any one segment. */
  pattern: readonly string[];
  methods: Partial<Record<'GET' | 'POST', RouteHandler>>;
}

export interface RouteMatch {
  handler: RouteHandler;
  params: Record<string, string>;
}

/**
 * Finds the route for a path and method. A path no route has is a 404; a known path with
 * another method is a 405 with `Allow` (OPTIONS gets the same list with a 204, HEAD is GET).
 * Undefined means OPTIONS was answered here.
 */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  segments: readonly string[],
  res: ServerResponse,
): RouteMatch | undefined {
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (params === undefined) continue;
    const verb = method === 'HEAD' ? 'GET' : method;
    const handler = verb === 'GET' || verb === 'POST' ? route.methods[verb] : undefined;
    if (handler !== undefined) return { handler, params };
    const allow = allowed(route);
    if (method === 'OPTIONS') {
      res.writeHead(204, { allow, 'cache-control': 'no-store' });
      res.end();
      return undefined;
    }
    throw new HttpError(
      405,
      'method_not_allowed',
      `${safeMethod(method)} is not allowed here; allowed: ${allow}`,
      {
        allow,
      },
    );
  }
  throw new HttpError(
    404,
    'not_found',
    'no such endpoint; see GET /health, /health/providers, /health/events',
  );
}

function matchPattern(
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] as string;
    const actual = segments[i] as string;
    if (expected.startsWith(':')) params[expected.slice(1)] = actual;
    else if (expected !== actual) return undefined;
  }
  return params;
}

function allowed(route: Route): string {
  const methods = Object.keys(route.methods);
  if (route.methods.GET !== undefined) methods.push('HEAD');
  return [...methods, 'OPTIONS'].join(', ');
}

// Node accepts only token characters in a method, but the message is JSON-escaped anyway.
const safeMethod = (method: string): string => method.slice(0, 20);
