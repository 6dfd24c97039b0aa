/**
 * The replay (docs/design.md, "Baselines and early warning"): the real registry on a virtual
 * clock, fed generated traces with fixed seeds, so every run gives the same numbers.
 *
 * 1. A healthy week from scratch: the baseline is learned, and any early warning is a false alarm.
 * 2. A second healthy week (other seed) starting from what the first learned, as after a restart
 *    with `baselineDir`: false alarms with a learned baseline.
 * 3. Each incident shape, on a fresh registry with that learned baseline, after two healthy hours:
 *    when the early warning is raised, when the breaker opens, and the lead time between them.
 */
import type { ProviderHealthOptions } from '../../src/config/options.js';
import type { BaselineData } from '../../src/health/baseline-data.js';
import { Random } from './random.js';
import { SHAPES, type Shape } from './shapes.js';
import { play, simulation } from './simulate.js';
import { DAY, HOUR, MINUTE, NORMAL, Traffic, WEEK } from './traffic.js';

// Monday 1970-01-05 00:00 UTC: weeks of the replay start on a Monday.
const MONDAY = 4 * DAY;

export interface ReplayOptions {
  /** Mean requests per second. */
  ratePerSecond: number;
  /** Healthy days per false-alarm run (each of the two). */
  healthyDays: number;
  seed: number;
  options?: ProviderHealthOptions;
}

export interface HealthyResult {
  name: string;
  days: number;
  requests: number;
  falseAlarms: number;
  /** Wall ms of each, for a closer look. */
  alarmsAt: number[];
  trips: number;
  maxFailureLevel: number;
  maxLatencyLevel: number;
}

export interface ShapeResult {
  name: string;
  /**
   * ms after the incident began; undefined when none came before the breaker opened (or at all,
   * within the incident and 10 minutes after).
   */
  warningAfterMs: number | undefined;
  tripAfterMs: number | undefined;
  /** Warnings before the incident began (false alarms in its warm-up). */
  warningsBefore: number;
}

export interface ReplayResult {
  healthy: HealthyResult[];
  shapes: ShapeResult[];
}

export function runReplay(options: ReplayOptions): ReplayResult {
  const random = new Random(options.seed);
  const seed = () => Math.floor(random.next() * 2 ** 31);
  const first = healthyRun('healthy week, learning from scratch', MONDAY, options, seed());
  const second = healthyRun(
    'healthy week, baseline learned',
    MONDAY + first.span,
    options,
    seed(),
    first.baseline,
  );
  // Incidents on a Tuesday afternoon, at the day's peak load, with the learned baseline.
  const incidentAt = MONDAY + WEEK + DAY + 16 * HOUR;
  const shapes = SHAPES.map((shape) => shapeRun(shape, incidentAt, options, seed(), second.baseline));
  return { healthy: [first.result, second.result], shapes };
}

function healthyRun(
  name: string,
  from: number,
  options: ReplayOptions,
  seed: number,
  baseline?: BaselineData,
) {
  const span = options.healthyDays * DAY;
  const sim = simulation(from, options.options, baseline);
  play(sim, new Traffic({ ratePerSecond: options.ratePerSecond, seed, from, to: from + span }));
  const result: HealthyResult = {
    name,
    days: options.healthyDays,
    requests: sim.requests,
    falseAlarms: sim.warnings.length,
    alarmsAt: sim.warnings,
    trips: sim.trips.length,
    maxFailureLevel: sim.maxFailureLevel,
    maxLatencyLevel: sim.maxLatencyLevel,
  };
  return {
    result,
    span,
    baseline: sim.provider.early.baseline.snapshot(sim.provider.name, sim.clock.wallNow()),
  };
}

const WARM_UP = 2 * HOUR;
const AFTER = 10 * MINUTE;

function shapeRun(
  shape: Shape,
  incidentAt: number,
  options: ReplayOptions,
  seed: number,
  baseline: BaselineData,
): ShapeResult {
  const from = incidentAt - WARM_UP;
  const to = incidentAt + shape.lastsMs + AFTER;
  const sim = simulation(from, options.options, baseline);
  const traffic = new Traffic({ ratePerSecond: options.ratePerSecond, seed, from, to }, (t, r) =>
    t >= incidentAt && t < incidentAt + shape.lastsMs ? shape.at(t - incidentAt, r) : NORMAL,
  );
  play(sim, traffic);
  const trip = sim.trips.find((t) => t >= incidentAt);
  // The warning that came first: after the breaker opened, the breaker has the incident.
  const first = sim.warnings.find((t) => t >= incidentAt);
  const warning = first !== undefined && trip !== undefined && first > trip ? undefined : first;
  return {
    name: shape.name,
    warningAfterMs: warning === undefined ? undefined : warning - incidentAt,
    tripAfterMs: trip === undefined ? undefined : trip - incidentAt,
    warningsBefore: sim.warnings.filter((t) => t < incidentAt).length,
  };
}

/** Lead time of the warning before the breaker opened, ms; undefined when either is missing. */
export function leadTimeMs(result: ShapeResult): number | undefined {
  if (result.warningAfterMs === undefined || result.tripAfterMs === undefined) return undefined;
  return result.tripAfterMs - result.warningAfterMs;
}
