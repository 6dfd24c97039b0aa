import dns from 'node:dns';
import net from 'node:net';

/**
 * Keeps the child on loopback, whatever a client library tries: DNS lookups of other names and
 * TCP connections to other addresses fail locally (ENOTFOUND / EACCES) and are listed in
 * `blockedAttempts`, which the tests read back (the `blocked` probe) and expect empty. Loaded
 * first by app.ts, before any client library.
 */
export const blockedAttempts: string[] = [];

// google-auth-library (under @google-cloud/aiplatform) would otherwise probe the GCE metadata server.
process.env.METADATA_SERVER_DETECTION = 'none';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i;

function blockedLookup(hostname: string): NodeJS.ErrnoException {
  blockedAttempts.push(`dns:${hostname}`);
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (not loopback: blocked by the test)`), {
    code: 'ENOTFOUND',
    hostname,
  });
}

type Lookup = (hostname: string, ...rest: unknown[]) => unknown;
const lookup = dns.lookup as unknown as Lookup;
(dns as unknown as { lookup: Lookup }).lookup = function guardedLookup(hostname, ...rest) {
  if (LOOPBACK.test(String(hostname))) return lookup.call(dns, hostname, ...rest);
  const callback = rest.find((arg) => typeof arg === 'function') as ((error: Error) => void) | undefined;
  const error = blockedLookup(String(hostname));
  if (callback !== undefined) process.nextTick(callback, error);
  return {};
};
const lookupPromise = dns.promises.lookup as unknown as (
  hostname: string,
  ...rest: unknown[]
) => Promise<unknown>;
(dns.promises as unknown as { lookup: typeof lookupPromise }).lookup = (hostname, ...rest) =>
  LOOPBACK.test(String(hostname))
    ? lookupPromise.call(dns.promises, hostname, ...rest)
    : Promise.reject(blockedLookup(String(hostname)));

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;
const connect = net.Socket.prototype.connect as unknown as Connect;
(net.Socket.prototype as unknown as { connect: Connect }).connect = function guardedConnect(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = (typeof first === 'object' && first !== null ? first : { port: first, host: args[1] }) as {
    host?: unknown;
    path?: unknown;
  };
  const host = typeof options.host === 'string' ? options.host : 'localhost';
  // A Unix socket has a path; node:http passes `path: null` for TCP.
  const unixSocket = typeof options.path === 'string' && options.path !== '';
  if (!unixSocket && net.isIP(host) !== 0 && !LOOPBACK.test(host)) {
    blockedAttempts.push(`connect:${host}`);
    const error = Object.assign(new Error(`connect EACCES ${host} (not loopback: blocked by the test)`), {
      code: 'EACCES',
    });
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};
