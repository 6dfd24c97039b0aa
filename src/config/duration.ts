import { ConfigError } from './config-error.js';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
type Unit = keyof typeof UNIT_MS;

// Units are case-sensitive on purpose: `1M` could mean a month as easily as a minute.
const DURATION = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)?$/;

/**
 * Node clamps a longer timer delay to 1 ms (with only a warning), so a recovery timeout of
 * a month would half-open the circuit at once. Nothing the plugin times needs longer.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

export const DURATION_ACCEPTED =
  'a duration such as 500ms, 60s, 1.5m, 1h or a number of milliseconds, from 0 to 2147483647ms (about 24.8 days)';

/**
 * Milliseconds from `500ms`, `60s`, `1m`, `1h`, `1.5s`, a bare number or a numeric string
 * (both milliseconds). Fractions of a millisecond are rounded.
 */
export function parseDuration(value: unknown, key: string, file?: string): number {
  const ms = toMilliseconds(value);
  if (ms === undefined || ms > MAX_DURATION_MS) {
    throw new ConfigError({ key, value, accepted: DURATION_ACCEPTED, file });
  }
  return ms;
}

/** For intervals and windows where 0 would mean a busy loop or an empty window. */
export function parsePositiveDuration(value: unknown, key: string, file?: string): number {
  const ms = parseDuration(value, key, file);
  if (ms === 0) {
    throw new ConfigError({ key, value, accepted: `${DURATION_ACCEPTED}, greater than 0`, file });
  }
  return ms;
}

/**
 * Floors for settings where a tiny value is absurd rather than strict (docs/design.md,
 * "Configuration"). A timeout (`trialTimeout`, `checkTimeout`) shorter than 100 ms is shorter than
 * a TLS handshake to any provider: every trial or check would time out, and a healthy provider
 * would be held open. An interval or window (`checkInterval`, `statsWindow`) under a second is a
 * probe storm (1 ms sent 1,111 probes in 3 s) or a window no request fits in.
 */
export const MIN_TIMEOUT_MS = 100;
export const MIN_INTERVAL_MS = 1_000;

/** A duration of at least `minMs`; the message names both bounds. */
export function parseDurationAtLeast(minMs: number): (value: unknown, key: string, file?: string) => number {
  const accepted = `a duration from ${minMs >= 1_000 ? `${minMs / 1_000}s` : `${minMs}ms`} to 2147483647ms (about 24.8 days), such as 500ms, 60s, 1.5m, 1h or a number of milliseconds`;
  return (value, key, file) => {
    const ms = toMilliseconds(value);
    if (ms === undefined || ms < minMs || ms > MAX_DURATION_MS)
      throw new ConfigError({ key, value, accepted, file });
    return ms;
  };
}

export const parseTimeout = parseDurationAtLeast(MIN_TIMEOUT_MS);
export const parseInterval = parseDurationAtLeast(MIN_INTERVAL_MS);

function toMilliseconds(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.max(0, Math.round(value)) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  if (match === null) return undefined;
  const unit = (match[2] ?? 'ms') as Unit;
  return Math.round(Number(match[1]) * UNIT_MS[unit]);
}
