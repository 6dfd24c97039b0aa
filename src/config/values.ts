import { ConfigError, REDACTED } from './config-error.js';

/**
 * Value parsers shared by every source. Each takes what a user may have written (a number or
 * its text from the environment, a YAML scalar) and either returns the value or throws one
 * ConfigError naming the key, the value as given and what is accepted.
 */
export type Parse<T> = (value: unknown, key: string, file?: string) => T;

export function parseEnum<T extends string>(
  value: unknown,
  choices: readonly T[],
  key: string,
  file?: string,
): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new ConfigError({ key, value, accepted: `one of ${choices.join(', ')}`, file });
}

/** `true`/`false`, also as text (`true`, `false`, `1`, `0`, `yes`, `no`) from the environment. */
export function parseBoolean(value: unknown, key: string, file?: string): boolean {
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (text === 'true' || text === '1' || text === 'yes') return true;
  if (text === 'false' || text === '0' || text === 'no') return false;
  throw new ConfigError({ key, value, accepted: 'true or false', file });
}

/**
 * Failure and success thresholds: a count of consecutive requests, at least one. At most 1000:
 * a thousand failures in a row is an outage already, and a larger count only means "never"
 * (9007199254740991 was accepted), which is `mode: observe`'s job.
 */
export const MAX_THRESHOLD = 1000;

export function parseThreshold(value: unknown, key: string, file?: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= MAX_THRESHOLD)
    return value;
  throw new ConfigError({ key, value, accepted: `an integer from 1 to ${MAX_THRESHOLD}`, file });
}

export function parseRate(value: unknown, key: string, file?: string): number {
  if (typeof value === 'number' && value >= 0 && value <= 1) return value;
  throw new ConfigError({ key, value, accepted: 'a number from 0 to 1 (0.1 is 10%)', file });
}

/** A share above 0 and at most 1 (a slow-call rate of 0 would call every window slow). */
export function parseShare(value: unknown, key: string, file?: string): number {
  if (typeof value === 'number' && value > 0 && value <= 1) return value;
  throw new ConfigError({ key, value, accepted: 'a number above 0 and at most 1 (0.5 is 50%)', file });
}

export function parseNonEmptyString(value: unknown, key: string, file?: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new ConfigError({ key, value, accepted: 'a non-empty string', file });
}

// Visible ASCII only: the token is compared with an Authorization header, which cannot
// carry whitespace or non-ASCII reliably, so such a token could never be presented. At least
// 16 characters: a one-letter token fell to 65 guesses.
const TOKEN = /^[\x21-\x7e]+$/;
export const MIN_ADMIN_TOKEN_LENGTH = 16;

export function parseAdminToken(value: unknown, key: string, file?: string): string {
  if (typeof value === 'string' && value.length >= MIN_ADMIN_TOKEN_LENGTH && TOKEN.test(value)) return value;
  throw new ConfigError({
    key,
    value: typeof value === 'string' ? REDACTED : value,
    accepted: `a token of at least ${MIN_ADMIN_TOKEN_LENGTH} visible ASCII characters without spaces (for example the output of: openssl rand -hex 32)`,
    file,
  });
}

export function parseHealthCheckUrl(value: unknown, key: string, file?: string): string | false {
  if (value === false) return false;
  if (typeof value === 'string' && URL.canParse(value)) {
    const protocol = new URL(value).protocol;
    if (protocol === 'http:' || protocol === 'https:') return value;
  }
  throw new ConfigError({ key, value, accepted: 'an http(s) URL, or false for no active check', file });
}
