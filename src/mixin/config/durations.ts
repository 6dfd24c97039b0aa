/** Prometheus durations (`90s`, `5m`, `1h30m`), as rule `for:` fields and range selectors take them. */
import { badValue } from './usage-error.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const DURATION = /^(?:\d+[smhdw])+$/;

/** Seconds in a duration, or undefined if it is not one (milliseconds and years are not used here). */
export function durationSeconds(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([smhdw])/g))
    total += Number(amount) * (UNIT_SECONDS[unit ?? ''] ?? 0);
  return total;
}

/** Validates a duration between `min` and `max` seconds; returns it as written. */
export function parseDuration(option: string, value: unknown, min: number, max: number): string {
  const accepted = `a duration from ${formatDuration(min)} to ${formatDuration(max)}, such as 5m or 1h30m`;
  if (typeof value !== 'string') throw badValue(option, value, accepted);
  const seconds = durationSeconds(value);
  if (seconds === undefined || seconds < min || seconds > max) throw badValue(option, value, accepted);
  return value;
}

/** `90` -> `1m30s`, `3600` -> `1h`: the shortest Prometheus spelling. */
export function formatDuration(seconds: number): string {
  let rest = seconds;
  let text = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text || '0s';
}

/** Whole minutes, rounded up: the promtool tests step a minute at a time. */
export function durationMinutes(text: string): number {
  return Math.ceil((durationSeconds(text) ?? 0) / 60);
}
