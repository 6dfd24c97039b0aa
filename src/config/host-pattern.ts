import { PROVIDER_NAME_PATTERN } from '../providers/catalog.js';
import { ConfigError } from './config-error.js';
import { isHostName, splitHostPort } from './host-port.js';

export const HOST_PATTERN_ACCEPTED =
  'a host pattern: a hostname (api.example.com), an IPv4 address or a [bracketed] IPv6 address, ' +
  'optionally with :port, where * may be a whole label (*.example.com) or one end of a label ' +
  '(*-aiplatform.googleapis.com) but not the last label; not a URL';

/**
 * Validates and normalises one provider host pattern: lowercased, one trailing dot dropped,
 * IPv6 in URL form (`[::1]:4010`). The matcher (src/providers) owns what `*` matches.
 */
export function parseHostPattern(value: unknown, key: string, file?: string): string {
  const fail = (): never => {
    throw new ConfigError({ key, value, accepted: HOST_PATTERN_ACCEPTED, file });
  };
  if (typeof value !== 'string') return fail();
  const split = splitHostPort(value.trim());
  if (split === undefined) return fail();
  const port = split.port === undefined ? '' : `:${split.port}`;
  // Port 0 is "any free port" when listening; as a destination it never occurs.
  if (split.port === 0) return fail();
  if (split.ipv6) return `[${split.host}]${port}`;
  const host = split.host.endsWith('.') ? split.host.slice(0, -1) : split.host;
  // The last label must be fixed: `*` or `api.*` would turn calls to any domain into provider
  // calls, and the matcher (src/providers) indexes patterns by their fixed suffix.
  if (!isHostName(host, true) || host.slice(host.lastIndexOf('.') + 1).includes('*')) return fail();
  return `${host}${port}`;
}

// One alphabet for provider names everywhere (catalog.ts says why).
const PROVIDER_NAME = PROVIDER_NAME_PATTERN;

export const PROVIDER_NAME_ACCEPTED =
  'a provider name of lowercase letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64 characters';

export function parseProviderName(value: unknown, key: string, file?: string): string {
  if (typeof value === 'string' && PROVIDER_NAME.test(value)) return value;
  throw new ConfigError({ key, value, accepted: PROVIDER_NAME_ACCEPTED, file });
}
