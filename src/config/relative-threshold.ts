import { ConfigError } from './config-error.js';
import { parseDuration, parsePositiveDuration } from './duration.js';
import { childKey, plainEntries, unknownKey } from './object-entries.js';
import type { DurationInput, RelativeThreshold } from './options.js';

const KEYS = ['factor', 'min'];
const FACTOR_ACCEPTED = 'a number above 1 and at most 100';

/**
 * `{ factor: 3, min: '2s' }`: slower than `factor` times this hour's baseline (docs/design.md,
 * "Baselines and early warning"), and never below `min`. `min` is required: without a floor a
 * provider answering in 20 ms would be "3x slower" at 60 ms.
 */
export function parseRelativeThreshold(value: unknown, key: string, file?: string): RelativeThreshold {
  const accepted = 'an object with factor (above 1, at most 100) and min (a duration)';
  let factor: number | undefined;
  let minMs: number | undefined;
  for (const [name, entry] of plainEntries(value, key, accepted, file)) {
    const entryKey = childKey(key, name);
    if (name === 'factor') factor = parseFactor(entry, entryKey, file);
    else if (name === 'min') minMs = parseDuration(entry, entryKey, file);
    else throw unknownKey(entryKey, entry, KEYS, file);
  }
  if (factor === undefined || minMs === undefined) throw new ConfigError({ key, value, accepted, file });
  return { factor, minMs };
}

function parseFactor(value: unknown, key: string, file?: string): number {
  if (typeof value === 'number' && value > 1 && value <= 100) return value;
  throw new ConfigError({ key, value, accepted: FACTOR_ACCEPTED, file });
}

/** A fixed duration above 0, or a relative threshold: `providers.<name>.slowCallDuration`. */
export function parseDurationOrRelative(
  value: unknown,
  key: string,
  file?: string,
): number | RelativeThreshold {
  if (typeof value === 'object' && value !== null) return parseRelativeThreshold(value, key, file);
  return parsePositiveDuration(value as DurationInput, key, file);
}

const TEXT = /^(\d+(?:\.\d+)?)x(?:\s*,\s*(.+))?$/;
const TEXT_ACCEPTED = '`off`, or a factor and a floor such as `3x,1s`';

/** The environment's form: `3x,1s` (factor 3, floor 1 s) or `off`. */
export function parseRelativeThresholdText(text: string, key: string): RelativeThreshold | false {
  if (text.toLowerCase() === 'off' || text.toLowerCase() === 'false') return false;
  const match = TEXT.exec(text);
  if (match === null || match[2] === undefined)
    throw new ConfigError({ key, value: text, accepted: TEXT_ACCEPTED });
  try {
    return parseRelativeThreshold({ factor: Number(match[1]), min: match[2] }, key);
  } catch {
    throw new ConfigError({ key, value: text, accepted: TEXT_ACCEPTED });
  }
}
