/**
 * npm run bench:replay — prints the replay table: per incident shape the lead time of the early
 * warning before the breaker opens, and false alarms per simulated day and week on healthy
 * traffic. RATE (requests per second, default 2), DAYS (per healthy run, default 7) and SEED
 * change the run; the same values always print the same table.
 */
import { setLogLevel } from '../../src/common/log.js';
import { table } from '../core/harness.js';
import { leadTimeMs, runReplay } from './replay.js';

const ratePerSecond = Number(process.env.RATE ?? 2);
const healthyDays = Number(process.env.DAYS ?? 7);
const seed = Number(process.env.SEED ?? 15);

// The plugin's own log lines (a warning raised, cleared) would bury the table.
setLogLevel('silent');
const started = process.hrtime.bigint();
const result = runReplay({ ratePerSecond, healthyDays, seed });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

const s = (ms: number | undefined): string => (ms === undefined ? '–' : `${(ms / 1000).toFixed(0)} s`);
function leadText(warning: number | undefined, trip: number | undefined): string {
  if (warning !== undefined && trip !== undefined) return s(trip - warning);
  if (trip !== undefined) return 'none: the breaker opened first';
  if (warning !== undefined) return 'warned; the breaker never opened';
  return '–';
}
console.log(
  `\nReplay: ${ratePerSecond} requests/s on average, seed ${seed} (${seconds.toFixed(1)} s of CPU)\n`,
);
table(
  ['shape', 'warning after', 'breaker opens after', 'lead time', 'false warnings before'],
  result.shapes.map((r) => [
    r.name,
    s(r.warningAfterMs),
    s(r.tripAfterMs),
    leadText(r.warningAfterMs, r.tripAfterMs),
    String(r.warningsBefore),
  ]),
);
console.log('');
table(
  [
    'healthy traffic',
    'days',
    'requests',
    'false alarms',
    'per day',
    'per week',
    'breaker trips',
    'highest level (failures, latency)',
  ],
  result.healthy.map((h) => [
    h.name,
    String(h.days),
    h.requests.toLocaleString('en'),
    String(h.falseAlarms),
    (h.falseAlarms / h.days).toFixed(2),
    ((h.falseAlarms / h.days) * 7).toFixed(2),
    String(h.trips),
    `${h.maxFailureLevel.toFixed(2)}, ${h.maxLatencyLevel.toFixed(2)}`,
  ]),
);
const lead = (name: string) =>
  leadTimeMs(
    result.shapes.find((r) => r.name.startsWith(name)) ?? {
      name,
      warningAfterMs: undefined,
      tripAfterMs: undefined,
      warningsBefore: 0,
    },
  );
const ramp = lead('slow ramp');
const creep = lead('latency creep');
const worstWeek = Math.max(...result.healthy.map((h) => (h.falseAlarms / h.days) * 7));
console.log(
  `\ngoals: lead >= 60 s on ramp (${s(ramp)}) and creep (${s(creep)}) -> ${(ramp ?? 0) >= 60_000 && (creep ?? 0) >= 60_000 ? 'met' : 'MISSED'}; ` +
    `<= 1 false alarm a week (${worstWeek.toFixed(2)}) -> ${worstWeek <= 1 ? 'met' : 'MISSED'}`,
);
