import { ConfigError, REDACTED } from './config-error.js';

/** Where the fleet's Redis is, parsed from `fleet.redis` / `PROVIDER_HEALTH_REDIS_URL` (docs/fleet.md). */
export interface FleetRedisTarget {
  /** `rediss://`: TLS, verified against the system CAs (and NODE_EXTRA_CA_CERTS). */
  tls: boolean;
  /** One node, or the seed nodes of a Redis Cluster. */
  nodes: readonly { host: string; port: number }[];
  cluster: boolean;
  username: string | undefined;
  password: string | undefined;
  /** Database index; always 0 on a cluster. */
  db: number;
  /** The value with the password replaced: the only form that may reach a log line or an error. */
  display: string;
}

export const REDIS_URL_ACCEPTED =
  'a redis:// or rediss:// URL such as redis://user:password@redis.internal:6379/0; for Redis Cluster ' +
  'several comma-separated URLs (seed nodes) or one with ?cluster=true';

const DEFAULT_PORT = 6379;
const MAX_DB = 2 ** 31 - 1;
const MAX_SEEDS = 32;

/**
 * Parses the fleet's Redis URL. Every error shows the value with its password redacted: a
 * ConfigError's message and its `value` field both end up in logs.
 */
export function parseFleetRedis(value: unknown, key: string, file?: string): FleetRedisTarget {
  const display = typeof value === 'string' ? redactRedisUrl(value) : value;
  const fail = (reason?: string): never => {
    throw new ConfigError({
      key,
      value: display,
      accepted: reason === undefined ? REDIS_URL_ACCEPTED : `${REDIS_URL_ACCEPTED} (${reason})`,
      file,
    });
  };
  if (typeof value !== 'string' || value.trim() === '') return fail();
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0 || parts.length > MAX_SEEDS) return fail();
  const urls = parts.map((part) => (URL.canParse(part) ? new URL(part) : fail()));
  const first = urls[0] as URL;
  const tls = first.protocol === 'rediss:';
  let cluster = urls.length > 1;
  const nodes: { host: string; port: number }[] = [];
  let db = 0;
  for (const url of urls) {
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return fail();
    if ((url.protocol === 'rediss:') !== tls) return fail('all seed nodes use the same scheme');
    if (url.hostname === '' || url.hash !== '') return fail();
    for (const [name, setting] of url.searchParams) {
      if (name !== 'cluster' || (setting !== 'true' && setting !== 'false')) {
        return fail('the only query parameter is cluster=true');
      }
      if (setting === 'true') cluster = true;
    }
    const port = url.port === '' ? DEFAULT_PORT : Number(url.port);
    // Brackets belong to the URL form of an IPv6 address, not to the address.
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    nodes.push({ host, port });
    if (url.pathname !== '' && url.pathname !== '/') {
      const match = /^\/(\d{1,10})$/.exec(url.pathname);
      const index = match === null ? Number.NaN : Number(match[1]);
      if (!(index >= 0 && index <= MAX_DB)) return fail('the path is a database number');
      db = index;
    }
  }
  if (cluster && db !== 0) return fail('Redis Cluster has database 0 only');
  const username = decode(first.username) ?? fail();
  const password = decode(first.password) ?? fail();
  return {
    tls,
    nodes,
    cluster,
    username: username === '' ? undefined : username,
    password: password === '' ? undefined : password,
    db,
    display: redactRedisUrl(value),
  };
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The URL (or comma-separated URLs) with each password replaced by `<redacted>`; the user name
 * stays, it helps to tell accounts apart. Works on text that is not a valid URL too, since a
 * malformed value is exactly what gets logged.
 */
export function redactRedisUrl(text: string): string {
  return text
    .split(',')
    .map((part) => {
      const scheme = part.indexOf('://');
      const start = scheme < 0 ? 0 : scheme + 3;
      // The last `@` ends the user info: an unencoded `@` in a password must not leak its tail.
      const at = part.lastIndexOf('@');
      if (at < start) return part;
      const userInfo = part.slice(start, at);
      const colon = userInfo.indexOf(':');
      const redacted = colon < 0 ? userInfo : `${userInfo.slice(0, colon)}:${REDACTED}`;
      return `${part.slice(0, start)}${redacted}${part.slice(at)}`;
    })
    .join(',');
}

/** Removes a password from any text (an error message from the client, say) before it is logged. */
export function scrubSecret(text: string, secret: string | undefined): string {
  if (secret === undefined || secret === '') return text;
  let result = text.split(secret).join(REDACTED);
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) result = result.split(encoded).join(REDACTED);
  return result;
}
