/**
 * Recording rules: the expressions that alerts and the dashboards' "alert signals" row share.
 * Recorded names are the same under both naming variants, so alerts and those panels are too;
 * only the raw series the rules read differ.
 */
import type { PrometheusNaming } from '../../../src/telemetry/metric-names.js';
import { by, FAILURE_OUTCOMES, L, metric, sel, UNCOUNTED } from '../promql.js';
import { THRESHOLDS } from '../thresholds.js';

export const RECORD = {
  requestsRate: 'job_instance_provider_outcome:ai_provider_requests:rate5m',
  countedRate: 'job_provider:ai_provider_requests:rate5m',
  failureRatio: 'job_provider:ai_provider_failure_ratio:rate5m',
  rateLimitedRatio: 'job_provider:ai_provider_rate_limited_ratio:rate5m',
  notClosed: 'job_instance_provider:ai_provider_circuit_not_closed:max',
  notClosedShare: 'job_provider:ai_provider_circuit_not_closed:avg',
  trips: `job_instance_provider:ai_provider_circuit_trips:increase${THRESHOLDS.flappingWindow}`,
  ttfbBuckets: 'job_instance_provider_le:ai_provider_time_to_first_byte_bucket:rate5m',
  ttfbP95: 'job_provider:ai_provider_time_to_first_byte:p95_rate5m',
  ttfbBaselineP95: 'job_provider:ai_provider_time_to_first_byte:p95_rate1d_offset1h',
} as const;

export interface RecordingRule {
  record: string;
  expr: string;
}

const JOB_PROVIDER = ['job', L.provider] as const;
const JOB_INSTANCE_PROVIDER = ['job', 'instance', L.provider] as const;

export function recordingRules(naming: PrometheusNaming): RecordingRule[] {
  const requests = metric('requests', naming);
  const state = metric('circuitState', naming);
  const transitions = metric('circuitTransitions', naming);
  const ttfb = metric('timeToFirstByte', naming, 'bucket');
  const countedJob = `sum ${by(JOB_PROVIDER)} (${sel(RECORD.requestsRate, [[L.outcome, '!~', UNCOUNTED]])})`;
  return [
    {
      record: RECORD.requestsRate,
      expr: `sum ${by([...JOB_INSTANCE_PROVIDER, L.outcome])} (rate(${requests}[5m]))`,
    },
    // Requests the breaker counts: without the caller's cancellations and our own rejections.
    { record: RECORD.countedRate, expr: countedJob },
    {
      record: RECORD.failureRatio,
      expr: `sum ${by(JOB_PROVIDER)} (${sel(RECORD.requestsRate, [[L.outcome, '=~', FAILURE_OUTCOMES]])}) / ${countedJob}`,
    },
    {
      record: RECORD.rateLimitedRatio,
      expr: `sum ${by(JOB_PROVIDER)} (${sel(RECORD.requestsRate, [[L.outcome, '=', 'rate_limited']])}) / ${countedJob}`,
    },
    // Open or half-open: a failing provider with little traffic sits in half-open until the next
    // request, so "open" alone would make alerts flicker. Reads only the non-closed states, so a
    // breaker that stops reporting zeros cannot look closed-and-fine by accident.
    {
      record: RECORD.notClosed,
      expr: `max ${by(JOB_INSTANCE_PROVIDER)} (${sel(state, [[L.circuitState, '=~', 'open|half_open']])})`,
    },
    { record: RECORD.notClosedShare, expr: `avg ${by(JOB_PROVIDER)} (${RECORD.notClosed})` },
    // Only closed -> open: a provider that stays down cycles open <-> half-open, which is an
    // outage (AiProviderCircuitOpen), not flapping.
    {
      record: RECORD.trips,
      expr: `sum ${by(JOB_INSTANCE_PROVIDER)} (increase(${sel(transitions, [
        [L.circuitFrom, '=', 'closed'],
        [L.circuitTo, '=', 'open'],
      ])}[${THRESHOLDS.flappingWindow}]))`,
    },
    { record: RECORD.ttfbBuckets, expr: `sum ${by([...JOB_INSTANCE_PROVIDER, 'le'])} (rate(${ttfb}[5m]))` },
    {
      record: RECORD.ttfbP95,
      expr: `histogram_quantile(0.95, sum ${by([...JOB_PROVIDER, 'le'])} (${RECORD.ttfbBuckets}))`,
    },
    // The baseline ends an hour ago so that a degradation does not become its own baseline
    // before the alert has had time to fire.
    {
      record: RECORD.ttfbBaselineP95,
      expr: `histogram_quantile(0.95, sum ${by([...JOB_PROVIDER, 'le'])} (rate(${ttfb}[1d] offset 1h)))`,
    },
  ];
}
