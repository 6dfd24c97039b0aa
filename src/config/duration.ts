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
