import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv4 } from 'node:net';
import type { Duplex } from 'node:stream';
import { isHostName, splitHostPort } from '../common/host.js';
import { HttpError } from './http-error.js';
import { answerAndClose } from './raw-answer.js';

/**
 * Browser-borne attacks on the health server, refused before any route runs:
 *
 * - Cross-site WebSocket hijacking and cross-site POSTs: a page on another origin opening
 *   `ws://127.0.0.1:9465/health/events` or posting to `/health/providers/x/check`. Browsers
 *   always send `Origin` on those, so one that names another host:port than `Host` is refused.
 *   Requests without `Origin` (curl, probes, other servers) are not browser-driven and pass.
 * - DNS rebinding: a foreign name re-pointed at 127.0.0.1 makes the page same-origin with the
 *   server, but the browser still sends the foreign name as `Host`. A loopback-bound server
 *   therefore answers only to loopback names, and `allowedHosts` sets an explicit list.
 */
export type HostRule =
  /** Any host (the check is off). */
  | { kind: 'any' }
  /** `localhost`, `127.x.x.x` or `[::1]`, any port: the default of a loopback-bound server. */
  | { kind: 'loopback' }
  /** An exact name or address; without a port, on any port. */
  | { kind: 'exact'; host: string; port: number | undefined };

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Whether a listen address only accepts connections from this machine. */
export function isLoopbackAddress(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (isIPv4(name)) return loopback.check(name, 'ipv4');
  const v6 = splitHostPort(`[${name}]`);
  // BlockList also matches IPv4-mapped addresses (::ffff:127.0.0.1) against the IPv4 subnet.
  return v6 !== undefined && loopback.check(v6.host, 'ipv6');
}

/**
 * A `Host` header (or an `allowedHosts` entry) as `host` + optional port: lowercased, IPv6
 * normalised and without brackets. Undefined for anything that is not plainly a host name or
 * address with an optional port (userinfo, paths, spaces, empty).
 */
export function parseHost(
  text: string,
): { host: string; port: number | undefined; ipv6: boolean } | undefined {
  const split = splitHostPort(text.trim());
  if (split === undefined) return undefined;
  if (!split.ipv6 && !isHostName(split.host, false)) return undefined;
  return split;
}

/** `allowedHosts` as given in options: host names or addresses, optionally with a port; `*` for any. */
export function parseAllowedHosts(entries: readonly string[]): HostRule[] {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new RangeError(
      "provider-health: allowedHosts must list at least one host (use ['*'] to accept any Host header)",
    );
  }
  return entries.map((entry) => {
    if (entry === '*') return { kind: 'any' };
    const parsed = typeof entry === 'string' ? parseHost(entry) : undefined;
    if (parsed === undefined) {
      throw new RangeError(
        `provider-health: allowedHosts entries are host, host:port, [IPv6], [IPv6]:port or '*', got ${JSON.stringify(entry)}`,
      );
    }
    return { kind: 'exact', host: parsed.host, port: parsed.port };
  });
}

function hostAllowed(header: string, rules: readonly HostRule[]): boolean {
  const given = parseHost(header);
  return rules.some((rule) => {
    if (rule.kind === 'any') return true;
    if (given === undefined) return false;
    if (rule.kind === 'loopback') {
      return (
        given.host === 'localhost' ||
        (isIPv4(given.host) ? loopback.check(given.host, 'ipv4') : given.host === '::1')
      );
    }
    return rule.host === given.host && (rule.port === undefined || rule.port === given.port);
  });
}

/**
 * Whether `Origin` names the host:port the request was sent to. The `Host` the browser sent is
 * the reference; `X-Forwarded-Host` counts too, for a proxy that rewrites `Host`: a page cannot
 * set that header on a WebSocket, and on a POST it would need a CORS preflight we never grant.
 */
function sameOrigin(origin: string, req: IncomingMessage): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // including `null`: sandboxed frames, file: pages, redirects across origins
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const forwarded = headerValue(req.headers['x-forwarded-host'])?.split(',')[0];
  return [req.headers.host, forwarded].some((host) => {
    if (host === undefined || parseHost(host) === undefined) return false;
    try {
      // Parsed with the origin's scheme, so `:80` / `:443` fold away on both sides alike.
      return new URL(`${url.protocol}//${host.trim()}`).host === url.host;
    } catch {
      return false;
    }
  });
}

const headerValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

// Methods that only read; everything else (POST, and whatever a page may try) needs same-origin.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Throws a 403 unless the request may be answered: its `Host` passes `hosts` (when there are
 * rules) and, for an upgrade or a non-read method, an `Origin` it carries is same-origin.
 * A request without `Host` (HTTP/1.0) passes the host check: browsers always send one.
 */
export function guardRequest(
  req: IncomingMessage,
  hosts: readonly HostRule[] | undefined,
  upgrade: boolean,
): void {
  const host = req.headers.host;
  if (hosts !== undefined && host !== undefined && !hostAllowed(host, hosts)) {
    throw new HttpError(
      403,
      'forbidden_host',
      'this Host is not served here; name the server by a loopback address or one listed in allowedHosts',
    );
  }
  const origin = req.headers.origin;
  if (origin === undefined || (!upgrade && SAFE_METHODS.has(req.method ?? 'GET'))) return;
  if (!sameOrigin(origin, req)) {
    throw new HttpError(403, 'forbidden_origin', 'cross-origin requests are not accepted here');
  }
}

/** Answers a refused upgrade on the raw socket, in the JSON shape of every other error. */
export function refuseUpgrade(socket: Duplex, error: HttpError): void {
  answerAndClose(socket, error.status, 'Forbidden', error.code, error.message);
}
