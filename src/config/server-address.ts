import { isHostName, splitHostPort } from '../common/host.js';
import { ConfigError } from './config-error.js';

export interface ServerAddress {
  /** Ready for `server.listen(port, host)`: IPv6 without brackets. */
  host: string;
  port: number;
}

export const DEFAULT_SERVER_HOST = '127.0.0.1';
export const DEFAULT_SERVER_PORT = 9465;

const ACCEPTED = 'host:port, :port, port, [IPv6]:port or off (port 0 picks a free port)';

/** `host:port`, `:port`, `port`, `[::1]:9465`, or `off` / false for no server. */
export function parseServer(value: unknown, key: string, file?: string): ServerAddress | false {
  if (value === false || value === 'off') return false;
  const fail = (): never => {
    throw new ConfigError({ key, value, accepted: ACCEPTED, file });
  };
  if (typeof value !== 'string') return fail();
  const text = value.trim();
  if (/^\d+$/.test(text)) return withPort(DEFAULT_SERVER_HOST, `:${text}`) ?? fail();
  if (text.startsWith(':')) return withPort(DEFAULT_SERVER_HOST, text) ?? fail();
  const split = splitHostPort(text);
  // A host needs its port: otherwise `on` or `true` would pass as hostnames and fail at listen.
  if (split?.port === undefined || !(split.ipv6 || isHostName(split.host, false))) return fail();
  return { host: split.host, port: split.port };
}

function withPort(host: string, portSuffix: string): ServerAddress | undefined {
  const split = splitHostPort(`${host}${portSuffix}`);
  return split?.port === undefined ? undefined : { host, port: split.port };
}
