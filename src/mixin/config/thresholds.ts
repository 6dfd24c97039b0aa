/**
 * Alert thresholds users may set (`--threshold name=value`, or `threshold:` in a config file).
 * One entry each: its default, what it means, and the range accepted; the help text, the
 * validation and the README table are all read from here.
 */
import { durationSeconds, formatDuration, parseDuration } from './durations.js';
import { badValue } from './usage-error.js';

interface NumberThreshold {
  kind: 'number';
  default: number;
  /** Exclusive lower bound, inclusive upper bound. */
  above: number;
  atMost: number;
  integer?: boolean;
  help: string;
}
interface DurationThreshold {
  kind: 'duration';
  default: string;
  minSeconds: number;
  maxSeconds: number;
  help: string;
}
export type ThresholdDefinition = NumberThreshold | DurationThreshold;

export const THRESHOLD_DEFINITIONS = {
  mostInstancesShare: {
    kind: 'number',
    default: 0.5,
    above: 0,
    atMost: 0.99,
    help: "AiProviderCircuitOpenOnMostInstances: share of a job's instances with one provider's circuit open or half-open",
  },
  flappingTrips: {
    kind: 'number',
    default: 3,
    above: 1,
    atMost: 100,
    integer: true,
    help: 'AiProviderCircuitFlapping: closed -> open transitions of one breaker within flappingWindow',
  },
  flappingWindow: {
    kind: 'duration',
    default: '30m',
    minSeconds: 300,
    maxSeconds: 86_400,
    help: 'AiProviderCircuitFlapping: the window flappingTrips are counted in',
  },
  failureRatio: {
    kind: 'number',
    default: 0.1,
    above: 0,
    atMost: 0.99,
    help: 'AiProviderHighFailureRate: share of requests that failed over 5 minutes while no circuit opened',
  },
  minRequestRate: {
    kind: 'number',
    default: 0.05,
    above: 0,
    atMost: 1000,
    help: 'AiProviderHighFailureRate, AiProviderLatencyDegraded, AiProviderRateLimited: requests per second from a job to a provider below which they stay quiet (too few for a ratio or a quantile)',
  },
  rateLimitedRatio: {
    kind: 'number',
    default: 0.05,
    above: 0,
    atMost: 0.99,
    help: 'AiProviderRateLimited: share of requests answered 429 over 5 minutes',
  },
  latencyFactor: {
    kind: 'number',
    default: 2,
    above: 1,
    atMost: 100,
    help: "AiProviderLatencyDegraded: time-to-first-byte p95 over 5 minutes above this multiple of the previous day's p95",
  },
  latencyFloorSeconds: {
    kind: 'number',
    default: 1,
    above: 0,
    atMost: 60,
    help: 'AiProviderLatencyDegraded: and above this many seconds, so that 20 ms -> 50 ms pages no one',
  },
} as const satisfies Record<string, ThresholdDefinition>;

export type ThresholdName = keyof typeof THRESHOLD_DEFINITIONS;
export type Thresholds = {
  readonly [K in ThresholdName]: (typeof THRESHOLD_DEFINITIONS)[K]['default'] extends number
    ? number
    : string;
};

export const THRESHOLD_NAMES = Object.keys(THRESHOLD_DEFINITIONS) as ThresholdName[];

export const DEFAULT_THRESHOLDS: Thresholds = Object.fromEntries(
  THRESHOLD_NAMES.map((name) => [name, THRESHOLD_DEFINITIONS[name].default]),
) as unknown as Thresholds;

export function isThresholdName(name: string): name is ThresholdName {
  return Object.hasOwn(THRESHOLD_DEFINITIONS, name);
}

/** What one threshold accepts, for messages and the help text. */
export function acceptedRange(definition: ThresholdDefinition): string {
  if (definition.kind === 'duration')
    return `a duration from ${formatDuration(definition.minSeconds)} to ${formatDuration(definition.maxSeconds)}`;
  const what = definition.integer ? 'a whole number' : 'a number';
  return definition.integer
    ? `${what} from ${definition.above + 1} to ${definition.atMost}`
    : `${what} above ${definition.above} and at most ${definition.atMost}`;
}

/** Validates one threshold; numbers may come as text (from the command line) or as numbers (a file). */
export function parseThreshold(option: string, name: ThresholdName, value: unknown): number | string {
  const definition: ThresholdDefinition = THRESHOLD_DEFINITIONS[name];
  if (definition.kind === 'duration')
    return parseDuration(option, value, definition.minSeconds, definition.maxSeconds);
  const number =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  const ok =
    (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')) &&
    Number.isFinite(number) &&
    number > definition.above &&
    number <= definition.atMost &&
    (!definition.integer || Number.isInteger(number));
  if (!ok) throw badValue(option, value, acceptedRange(definition));
  return number;
}

export function flappingWindowSeconds(thresholds: Thresholds): number {
  return durationSeconds(thresholds.flappingWindow) ?? 0;
}
