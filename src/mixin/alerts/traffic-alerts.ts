/** Alerts on traffic the breaker lets through: failures below its threshold, slow answers, 429s. */
import { DURATION_BUCKETS_SECONDS } from '../../telemetry/metric-names.js';
import type { Mixin } from '../mixin.js';
import { by, L, on, sel } from '../promql.js';
import { type AlertDefinition, pct } from './alert.js';
import { groupings, recordNames } from './recording-rules.js';
import {
  ANTHROPIC,
  alwaysClosed,
  between,
  busyPerMinute,
  forMinutes,
  MISTRAL,
  OPENAI,
  pendingAndFiring,
  quietPerMinute,
  ratioTraffic,
} from './scenario-kit.js';
import { label, VALUE } from './templates.js';
import { circuit, requests, ttfbHistogram } from './test-series.js';

const P = label(L.provider);
const JOB = label('job');
const R = (m: Mixin) => recordNames(m.thresholds);

/** `left`, only where the job sends the provider enough requests for a ratio or quantile to mean something. */
function withTraffic(m: Mixin, left: string): string {
  const { perProvider } = groupings(m);
  return `(${left}) and ${on(perProvider)} ${sel(R(m).countedRate, m.selector)} > ${m.thresholds.minRequestRate}`;
}

/** Minutes of good traffic before the bad starts, so that every 5-minute window is full. */
const WARM_UP = 10;
/** 5-minute windows hold only bad traffic from this many minutes after it starts. */
const WINDOW_FULL = 5;

const HIGH_FAILURE_RATE = 'AiProviderHighFailureRate';
export const highFailureRate: AlertDefinition = {
  alert: HIGH_FAILURE_RATE,
  severity: 'warning',
  defaultFor: '10m',
  expr(m) {
    const { perProvider } = groupings(m);
    return `${withTraffic(m, `${sel(R(m).failureRatio, m.selector)} > ${m.thresholds.failureRatio}`)} unless ${on(perProvider)} max ${by(perProvider)} (${sel(R(m).notClosed, m.selector)}) == 1`;
  },
  summary: () => `High failure rate for ${P} in ${JOB} while the circuit is closed.`,
  description: (m) =>
    `${VALUE.percentage} of requests from ${JOB} to ${P} failed (provider error, timeout or connection error) over 5 minutes, above ${pct(m.thresholds.failureRatio)} for ${m.forOf(HIGH_FAILURE_RATE)}, yet no circuit opened: failures are intermittent rather than consecutive.`,
  scenarios(m, t) {
    const f = forMinutes(m, HIGH_FAILURE_RATE);
    const A = t.at('a');
    const { bad, good, ratio } = ratioTraffic(m.thresholds.failureRatio, m.thresholds.minRequestRate);
    const quiet = quietPerMinute(m.thresholds.minRequestRate);
    const start = WARM_UP + 1;
    const { pendingAt, firesAt } = pendingAndFiring(start, f, WINDOW_FULL);
    const end = firesAt + 5;
    const minutes = end + 10;
    const n = m.naming;
    return [
      {
        name: `${pct(ratio)} failures with the circuit closed; not while half-open, not at low traffic`,
        minutes,
        series: [
          requests(n, A, OPENAI, 'success', () => good, minutes),
          requests(n, A, OPENAI, 'provider_error', (s) => (between(start, end)(s) ? bad : 0), minutes),
          requests(n, A, OPENAI, 'rejected', () => 0, minutes),
          ...circuit(n, A, OPENAI, alwaysClosed, minutes),
          requests(n, A, ANTHROPIC, 'success', () => good, minutes),
          requests(n, A, ANTHROPIC, 'provider_error', () => bad, minutes),
          ...circuit(n, A, ANTHROPIC, () => 'half_open', minutes),
          requests(n, A, MISTRAL, 'success', () => quiet * (1 - ratio), minutes),
          requests(n, A, MISTRAL, 'timeout', () => quiet * ratio, minutes),
        ],
        pendingAt,
        firesAt,
        firing: [{ labels: { ...t.service, [L.provider]: OPENAI }, value: ratio }],
        resolvedAt: end + WINDOW_FULL + 2,
      },
    ];
  },
};

/** Everyday time to first byte in the scenario, and the bucket bound above it. */
const FAST_SECONDS = 0.3;
const FAST_BUCKET_TOP = 0.32;

const LATENCY = 'AiProviderLatencyDegraded';
export const latencyDegraded: AlertDefinition = {
  alert: LATENCY,
  severity: 'warning',
  defaultFor: '15m',
  // Past this, a slow spell of the scenario enters the day-long baseline it is compared with.
  maxFor: '2h',
  expr(m) {
    const p95 = sel(R(m).ttfbP95, m.selector);
    const { latencyFactor, latencyFloorSeconds } = m.thresholds;
    return withTraffic(
      m,
      `${p95} > ${latencyFactor} * ${sel(R(m).ttfbBaselineP95, m.selector)} and ${p95} > ${latencyFloorSeconds}`,
    );
  },
  summary: () => `Time to first byte from ${P} degraded in ${JOB}.`,
  description: (m) =>
    `The p95 time to first byte from ${P} seen by ${JOB} is ${VALUE.duration}: above ${m.thresholds.latencyFactor} times its p95 over the previous day and above ${m.thresholds.latencyFloorSeconds}s for ${m.forOf(LATENCY)}.`,
  scenarios(m, t) {
    const f = forMinutes(m, LATENCY);
    const A = t.at('a');
    const { latencyFactor, latencyFloorSeconds, minRequestRate } = m.thresholds;
    // The slow answers land in the first bucket wholly above the alert line, so p95 is above it.
    const line = Math.max(latencyFactor * FAST_BUCKET_TOP, latencyFloorSeconds);
    const top = DURATION_BUCKETS_SECONDS.findIndex((_, i) => (DURATION_BUCKETS_SECONDS[i - 1] ?? 0) >= line);
    const slow = DURATION_BUCKETS_SECONDS[top] ?? Number.NaN;
    const bottom = DURATION_BUCKETS_SECONDS[top - 1] ?? Number.NaN;
    // The baseline ends an hour back: a for: past 58 minutes lets f - 58 slow minutes into it by
    // the time the alert fires. Enough quiet history keeps them under 5%, so its p95 stays fast.
    const history = Math.max(120, 20 * (f - 57));
    const start = history + 1;
    const { pendingAt, firesAt } = pendingAndFiring(start, f, WINDOW_FULL);
    const end = firesAt + 5;
    const minutes = end + 10;
    const perMinute = busyPerMinute(minRequestRate);
    return [
      {
        name: `time to first byte from ${FAST_SECONDS} s to ${slow} s after ${history} quiet minutes`,
        minutes,
        series: [
          requests(m.naming, A, OPENAI, 'success', () => perMinute, minutes),
          ...ttfbHistogram(
            m.naming,
            A,
            OPENAI,
            (s) => (between(start, end)(s) ? slow : FAST_SECONDS),
            perMinute,
            minutes,
          ),
        ],
        pendingAt,
        firesAt,
        // histogram_quantile interpolates linearly inside the bucket holding every slow answer.
        firing: [{ labels: { ...t.service, [L.provider]: OPENAI }, value: bottom + (slow - bottom) * 0.95 }],
        resolvedAt: end + WINDOW_FULL + 2,
      },
    ];
  },
};

const RATE_LIMITED = 'AiProviderRateLimited';
export const rateLimited: AlertDefinition = {
  alert: RATE_LIMITED,
  severity: 'warning',
  defaultFor: '15m',
  expr: (m) => withTraffic(m, `${sel(R(m).rateLimitedRatio, m.selector)} > ${m.thresholds.rateLimitedRatio}`),
  summary: () => `${P} is rate limiting ${JOB}.`,
  description: (m) =>
    `${VALUE.percentage} of requests from ${JOB} to ${P} were answered 429 over 5 minutes, above ${pct(m.thresholds.rateLimitedRatio)} for ${m.forOf(RATE_LIMITED)}: the service is above its rate limit or token budget.`,
  scenarios(m, t) {
    const f = forMinutes(m, RATE_LIMITED);
    const A = t.at('a');
    const { bad, good, ratio } = ratioTraffic(m.thresholds.rateLimitedRatio, m.thresholds.minRequestRate);
    const start = WARM_UP + 1;
    const { pendingAt, firesAt } = pendingAndFiring(start, f, WINDOW_FULL);
    const end = firesAt + 5;
    const minutes = end + 10;
    return [
      {
        name: `${pct(ratio)} of requests answered 429`,
        minutes,
        series: [
          requests(m.naming, A, OPENAI, 'success', () => good, minutes),
          requests(m.naming, A, OPENAI, 'rate_limited', (s) => (between(start, end)(s) ? bad : 0), minutes),
        ],
        pendingAt,
        firesAt,
        firing: [{ labels: { ...t.service, [L.provider]: OPENAI }, value: ratio }],
        resolvedAt: end + WINDOW_FULL + 2,
      },
    ];
  },
};
