/**
 * The options of `provider-health dashboards|alerts`, from the command line and a config file
 * with the same keys, checked and merged over the defaults: command line over file over
 * defaults, key by key for `threshold` and `for`.
 */
import type { PrometheusNaming } from '../../telemetry/metric-names.js';
import { ALERTS } from '../alerts/catalog.js';
import type { MixinOptions } from '../mixin.js';
import { durationMinutes, durationSeconds, parseDuration } from './durations.js';
import { DEFAULT_RUNBOOK_URL, parseRunbookUrl } from './runbook-url.js';
import { parseSelector } from './selector.js';
import {
  DEFAULT_THRESHOLDS,
  isThresholdName,
  parseThreshold,
  THRESHOLD_NAMES,
  type Thresholds,
} from './thresholds.js';
import { badValue, UsageError } from './usage-error.js';

export const NAMINGS: readonly PrometheusNaming[] = ['builtin', 'otlp'];

/** Keys of a config file, spelled as the command-line options. */
export const OPTION_KEYS = ['naming', 'selector', 'runbook-url', 'threshold', 'for', 'out'] as const;
export type OptionKey = (typeof OPTION_KEYS)[number];

/** One source of options, as given: a file's parsed object, or the command line's values. */
export interface OptionSource {
  /** How messages name a key of this source: `--selector`, or `selector (in mixin.yaml)`. */
  describe(key: string): string;
  values: Partial<Record<OptionKey, unknown>>;
}

export interface ResolvedOptions extends MixinOptions {
  /** Output directory, if one was given. */
  out?: string;
}

const DEFAULT_FOR: Readonly<Record<string, string>> = Object.fromEntries(
  ALERTS.map((a) => [a.alert, a.defaultFor]),
);

const MIN_FOR_SECONDS = 60;
const MAX_FOR_SECONDS = 86_400;

export const DEFAULT_OPTIONS: ResolvedOptions = {
  namings: NAMINGS,
  selector: [],
  runbookUrl: DEFAULT_RUNBOOK_URL,
  thresholds: DEFAULT_THRESHOLDS,
  for: DEFAULT_FOR,
};

/** `name=value` pairs from the command line, or a mapping from a file, as entries. */
function entries(source: OptionSource, key: 'threshold' | 'for', what: string): [string, unknown][] {
  const value = source.values[key];
  if (value === undefined) return [];
  if (Array.isArray(value))
    return value.map((pair) => {
      const text = String(pair);
      const at = text.indexOf('=');
      if (at <= 0) throw badValue(source.describe(key), text, `${what}=VALUE`);
      return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
    });
  if (typeof value === 'object' && value !== null) return Object.entries(value);
  throw badValue(source.describe(key), value, `a mapping of ${what} to values`);
}

function parseNaming(option: string, value: unknown): PrometheusNaming[] {
  if (value === 'builtin' || value === 'otlp') return [value];
  throw badValue(option, value, 'builtin or otlp (leave it out for both)');
}

function parseOut(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw badValue(option, value, 'a directory path');
  return value;
}

function forOf(option: string, alert: string, value: unknown): string {
  const definition = ALERTS.find((a) => a.alert === alert);
  if (!definition) throw badValue(option, alert, `an alert name: ${ALERTS.map((a) => a.alert).join(', ')}`);
  const min = definition.minFor ? (durationSeconds(definition.minFor) ?? MIN_FOR_SECONDS) : MIN_FOR_SECONDS;
  const max = definition.maxFor ? (durationSeconds(definition.maxFor) ?? MAX_FOR_SECONDS) : MAX_FOR_SECONDS;
  return parseDuration(`${option} ${alert}`, value, min, max);
}

function checkTogether(thresholds: Thresholds, describe: (key: string) => string): void {
  const window = durationMinutes(thresholds.flappingWindow);
  if (thresholds.flappingTrips > window - 3)
    throw new UsageError(
      `${describe('threshold')} flappingTrips=${thresholds.flappingTrips} with flappingWindow=${thresholds.flappingWindow}: at most ${Math.max(0, window - 3)} trips fit that window (one every minute, with room at its edges); raise flappingWindow or lower flappingTrips`,
    );
}

/** Merges `sources` (later ones win) over the defaults. Throws UsageError naming the key and value. */
export function resolveOptions(sources: readonly OptionSource[]): ResolvedOptions {
  let namings: readonly PrometheusNaming[] = DEFAULT_OPTIONS.namings;
  let selector = DEFAULT_OPTIONS.selector;
  let runbookUrl = DEFAULT_OPTIONS.runbookUrl;
  let out: string | undefined;
  const thresholds: Record<string, number | string> = { ...DEFAULT_THRESHOLDS };
  const fors: Record<string, string> = { ...DEFAULT_FOR };
  for (const source of sources) {
    const v = source.values;
    if (v.naming !== undefined) namings = parseNaming(source.describe('naming'), v.naming);
    if (v.selector !== undefined) selector = parseSelector(source.describe('selector'), v.selector);
    if (v['runbook-url'] !== undefined)
      runbookUrl = parseRunbookUrl(source.describe('runbook-url'), v['runbook-url']);
    if (v.out !== undefined) out = parseOut(source.describe('out'), v.out);
    for (const [name, value] of entries(source, 'threshold', 'NAME')) {
      if (!isThresholdName(name))
        throw badValue(source.describe('threshold'), name, `a threshold name: ${THRESHOLD_NAMES.join(', ')}`);
      thresholds[name] = parseThreshold(`${source.describe('threshold')} ${name}`, name, value);
    }
    for (const [alert, value] of entries(source, 'for', 'ALERT'))
      fors[alert] = forOf(source.describe('for'), alert, value);
  }
  const resolved = thresholds as unknown as Thresholds;
  checkTogether(resolved, (key) => sources.at(-1)?.describe(key) ?? key);
  return {
    namings,
    selector,
    runbookUrl,
    thresholds: resolved,
    for: fors,
    ...(out === undefined ? {} : { out }),
  };
}
