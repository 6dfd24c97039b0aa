import { isIPv4, isIPv6 } from 'node:net';

/**
 * The one grammar of hosts and ports: request origins, `host:port` settings, `Host` headers and
 * provider host patterns all go through here.
 */
export interface HostPort {
  /** Lowercased; IPv6 without brackets, in the form URL parsing gives (`::1`). */
  host: string;
  port: number | undefined;
  ipv6: boolean;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  'http:': 80,
  'https:': 443,
  'ws:': 80,
  'wss:': 443,
};

/** The port a URL scheme implies (`https:` 443, `http:` 80); 0 for a scheme without one. */
export function defaultPort(protocol: string | null | undefined): number {
  return (protocol === undefined || protocol === null ? undefined : DEFAULT_PORTS[protocol]) ?? 0;
}

/**
 * Splits `host`, `host:port`, `[v6]` or `[v6]:port`. Returns undefined for anything else,
 * including an unbracketed IPv6 address, whose last group cannot be told from a port.
 */
export function splitHostPort(text: string): HostPort | undefined {
  const lower = text.toLowerCase();
  if (lower.startsWith('[')) {
    const close = lower.indexOf(']');
    const address = lower.slice(1, close);
    if (close < 0 || !isIPv6(address)) return undefined;
    const port = parsePortSuffix(lower.slice(close + 1));
    if (port === null) return undefined;
    // Request hosts come out of URL parsing, so everything else is normalised the same way.
    return { host: new URL(`http://[${address}]`).hostname.slice(1, -1), port, ipv6: true };
  }
  const colon = lower.indexOf(':');
  if (colon !== lower.lastIndexOf(':')) return undefined;
  const host = colon < 0 ? lower : lower.slice(0, colon);
  const port = colon < 0 ? undefined : parsePortSuffix(lower.slice(colon));
  if (port === null || host === '') return undefined;
  return { host, port, ipv6: false };
}

/** `''` is no port, `:1234` a port; null when malformed or out of range. */
function parsePortSuffix(text: string): number | undefined | null {
  if (text === '') return undefined;
  const match = /^:(\d{1,5})$/.exec(text);
  const port = match ? Number(match[1]) : Number.NaN;
  return port >= 0 && port <= 65_535 ? port : null;
}

const MAX_HOSTNAME = 253;
const MAX_LABEL = 63;
const PLAIN_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;
// A wildcard stands for the rest of a label, so the fixed part may begin or end with `-`
// (`*-aiplatform`, `us-*`) but is otherwise an ordinary label.
export const WILDCARD_LABEL = /^(?:\*|\*[a-z0-9_-]*[a-z0-9_]|[a-z0-9_][a-z0-9_-]*\*)$/;

/** An IPv4 address or a DNS name; with `wildcards`, `*` as a whole label or at one end of one. */
export function isHostName(host: string, wildcards: boolean): boolean {
  if (isIPv4(host)) return true;
  if (host.length === 0 || host.length > MAX_HOSTNAME) return false;
  const labels = host.split('.');
  const labelOk = (label: string): boolean =>
    label.length <= MAX_LABEL && (PLAIN_LABEL.test(label) || (wildcards && WILDCARD_LABEL.test(label)));
  if (!labels.every(labelOk)) return false;
  // All-numeric names that are not valid IPv4 (`1.2.3.999`, `010.0.0.1`) would be read by
  // URL parsers as (octal or overflowing) addresses: refuse rather than guess.
  return !labels.every((label) => /^\d+$/.test(label));
}
