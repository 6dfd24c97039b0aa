import {
  compileHostPattern,
  HOST_PATTERN_ACCEPTED,
  type HostPattern,
  HostPatternError,
} from '../common/host-pattern.js';
import { isProviderName, PROVIDER_NAME_ACCEPTED } from '../common/provider-name.js';
import { ConfigError } from './config-error.js';
import { isPublicSuffix } from './public-suffix.js';

export { HOST_PATTERN_ACCEPTED } from '../common/host-pattern.js';

/**
 * Validates one provider host pattern with the matcher's own grammar (src/common/host-pattern.ts)
 * and returns its normalised text: lowercased, one trailing dot dropped, IPv6 bracketed.
 */
export function parseHostPattern(value: unknown, key: string, file?: string): string {
  if (typeof value !== 'string') throw new ConfigError({ key, value, accepted: HOST_PATTERN_ACCEPTED, file });
  let pattern: HostPattern;
  try {
    pattern = compileHostPattern(value);
  } catch (error) {
    if (!(error instanceof HostPatternError)) throw error;
    throw new ConfigError({ key, value, accepted: HOST_PATTERN_ACCEPTED, file });
  }
  // `*.co.uk` has two fixed labels but claims every company in the UK.
  if (pattern.wildcard && isPublicSuffix(pattern.fixedSuffix.slice(1)))
    throw new ConfigError({ key, value, accepted: HOST_PATTERN_ACCEPTED, file });
  return pattern.source;
}

export function parseProviderName(value: unknown, key: string, file?: string): string {
  if (isProviderName(value)) return value;
  throw new ConfigError({ key, value, accepted: PROVIDER_NAME_ACCEPTED, file });
}
