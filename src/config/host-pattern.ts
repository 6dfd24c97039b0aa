import { compileHostPattern, HOST_PATTERN_ACCEPTED, HostPatternError } from '../common/host-pattern.js';
import { isProviderName, PROVIDER_NAME_ACCEPTED } from '../common/provider-name.js';
import { ConfigError } from './config-error.js';

export { HOST_PATTERN_ACCEPTED } from '../common/host-pattern.js';

/**
 * Validates one provider host pattern with the matcher's own grammar (src/common/host-pattern.ts)
 * and returns its normalised text: lowercased, one trailing dot dropped, IPv6 bracketed.
 */
export function parseHostPattern(value: unknown, key: string, file?: string): string {
  if (typeof value !== 'string') throw new ConfigError({ key, value, accepted: HOST_PATTERN_ACCEPTED, file });
  try {
    return compileHostPattern(value).source;
  } catch (error) {
    if (!(error instanceof HostPatternError)) throw error;
    throw new ConfigError({ key, value, accepted: HOST_PATTERN_ACCEPTED, file });
  }
}

export function parseProviderName(value: unknown, key: string, file?: string): string {
  if (isProviderName(value)) return value;
  throw new ConfigError({ key, value, accepted: PROVIDER_NAME_ACCEPTED, file });
}
