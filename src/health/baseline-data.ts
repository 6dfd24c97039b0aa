import { HOURS_PER_WEEK } from './hour-of-week.js';

/**
 * What a provider's baseline persists (docs/design.md, "Baselines and early warning"): per hour
 * of the week, the learned p95 time to first byte, failure rate, the weight of evidence behind
 * them and the hour they were last updated. Fixed size (168 entries, ~8 KB of JSON), so any
 * store can keep it: a file today, the fleet's Redis later.
 */
export interface BaselineData {
  readonly version: 1;
  readonly provider: string;
  /** ISO 8601, for people reading the file. */
  readonly savedAt: string;
  /** By hour of the week (Monday 00:00 UTC is 0): `[p95Ms, failureRate, weight, updatedAtHour]`, or null. */
  readonly hours: ReadonlyArray<BaselineHour | null>;
}

export type BaselineHour = readonly [
  p95Ms: number,
  failureRate: number,
  weight: number,
  updatedAtHour: number,
];

/** Where baselines are kept between runs. Implementations must never throw into the caller's path. */
export interface BaselineStore {
  /** A short name for log lines (`file /var/lib/provider-health`). */
  readonly description: string;
  /** The stored baseline, or undefined when there is none or it is not valid (after one log line). */
  load(provider: string): Promise<BaselineData | undefined>;
  save(data: BaselineData): Promise<void>;
  /** At process exit, when the store can write synchronously (a file can; a network store cannot). */
  saveSync?(data: BaselineData): void;
}

// Bounds a valid file stays within; anything else is hostile or corrupt.
const MAX_P95_MS = 3_600_000;
const MAX_WEIGHT = 1_000;
const MAX_HOUR = 10_000_000;

/**
 * Checks a parsed document field by field. Returns the data, or a sentence saying what is wrong
 * (for the one log line an invalid file gets). Nothing from the document is kept but numbers.
 */
export function validateBaselineData(value: unknown, provider: string): BaselineData | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const doc = value as Record<string, unknown>;
  if (doc.version !== 1) return `unknown version ${JSON.stringify(doc.version)?.slice(0, 20)}`;
  if (doc.provider !== provider) return `it is for another provider`;
  const hours = doc.hours;
  if (!Array.isArray(hours) || hours.length !== HOURS_PER_WEEK)
    return `hours must be an array of ${HOURS_PER_WEEK} entries`;
  const checked: Array<BaselineHour | null> = [];
  for (let h = 0; h < HOURS_PER_WEEK; h++) {
    const entry: unknown = hours[h];
    if (entry === null) {
      checked.push(null);
      continue;
    }
    if (!Array.isArray(entry) || entry.length !== 4)
      return `hours[${h}] is not [p95Ms, failureRate, weight, hour]`;
    const [p95, rate, weight, hour] = entry as unknown[];
    if (!inRange(p95, 0, MAX_P95_MS) || p95 === 0) return `hours[${h}] has a bad p95`;
    if (!inRange(rate, 0, 1)) return `hours[${h}] has a bad failure rate`;
    if (!inRange(weight, 0, MAX_WEIGHT) || weight === 0) return `hours[${h}] has a bad weight`;
    if (!inRange(hour, 0, MAX_HOUR) || !Number.isInteger(hour)) return `hours[${h}] has a bad hour`;
    checked.push([p95, rate, weight, hour]);
  }
  const savedAt = typeof doc.savedAt === 'string' ? doc.savedAt.slice(0, 40) : '';
  return { version: 1, provider, savedAt, hours: checked };
}

function inRange(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}
