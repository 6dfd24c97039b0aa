/**
 * Recording rules: the expressions that alerts and the dashboards' "alert signals" row share.
 * Recorded names are the same under both naming variants, so alerts and those panels are too;
 * only the raw series the rules read differ. Every rule keeps the service labels (`job` and the
 * selector's other labels), so alerts and panels select recorded series as they select raw ones.
 */
import type { Thresholds } from '../config/thresholds.js';
import type { Mixin } from '../mixin.js';
import { by, FAILURE_OUTCOMES, L, metric, sel, UNCOUNTED } from '../promql.js';

export function recordNames(thresholds: Pick<Thresholds, 'flappingWindow'>) {
  return {
    requestsRate: 'job_instance_provider_outcome:ai_provider_requests:rate5m',
    countedRate: 'job_provider:ai_provider_requests:rate5m',
    failureRatio: 'job_provider:ai_provider_failure_ratio:rate5m',
    rateLimitedRatio: 'job_provider:ai_provider_rate_limited_ratio:rate5m',
    notClosed: 'job_instance_provider:ai_provider_circuit_not_closed:max',
    notClosedShare: 'job_provider:ai_provider_circuit_not_closed:avg',
    trips: `job_instance_provider:ai_provider_circuit_trips:increase${thresholds.flappingWindow}`,
    ttfbBuckets: 'job_instance_provider_le:ai_provider_time_to_first_byte_bucket:rate5m',
    ttfbP95: 'job_provider:ai_provider_time_to_first_byte:p95_rate5m',
    ttfbBaselineP95: 'job_provider:ai_provider_time_to_first_byte:p95_rate1d_offset1h',
  } as const;
}

export type RecordNames = ReturnType<typeof recordNames>;

export interface RecordingRule {
  record: string;
  expr: string;
}

/** Labels per service and provider, and per breaker (service, instance, provider). */
export function groupings(m: Mixin) {
  const perProvider = [...m.service, L.provider];
  const perBreaker = [...m.service, 'instance', L.provider];
  return { perProvider, perBreaker };
}

export function recordingRules(m: Mixin): RecordingRule[] {
  const R = recordNames(m.thresholds);
  const { perProvider, perBreaker } = groupings(m);
  const s = m.selector;
  const requests = sel(metric('requests', m.naming), s);
  const state = metric('circuitState', m.naming);
  const transitions = metric('circuitTransitions', m.naming);
  const ttfb = sel(metric('timeToFirstByte', m.naming, 'bucket'), s);
  const countedJob = `sum ${by(perProvider)} (${sel(R.requestsRate, s, [[L.outcome, '!~', UNCOUNTED]])})`;
  const window = m.thresholds.flappingWindow;
  return [
    {
      record: R.requestsRate,
      expr: `sum ${by([...perBreaker, L.outcome])} (rate(${requests}[5m]))`,
    },
    // Requests the breaker counts: without the caller's cancellations and our own rejections.
    { record: R.countedRate, expr: countedJob },
    {
      record: R.failureRatio,
      expr: `sum ${by(perProvider)} (${sel(R.requestsRate, s, [[L.outcome, '=~', FAILURE_OUTCOMES]])}) / ${countedJob}`,
    },
    {
      record: R.rateLimitedRatio,
      expr: `sum ${by(perProvider)} (${sel(R.requestsRate, s, [[L.outcome, '=', 'rate_limited']])}) / ${countedJob}`,
    },
    // Open or half-open: a failing provider with little traffic sits in half-open until the next
    // request, so "open" alone would make alerts flicker. Reads only the non-closed states, so a
    // breaker that stops reporting zeros cannot look closed-and-fine by accident.
    {
      record: R.notClosed,
      expr: `max ${by(perBreaker)} (${sel(state, s, [[L.circuitState, '=~', 'open|half_open']])})`,
    },
    { record: R.notClosedShare, expr: `avg ${by(perProvider)} (${sel(R.notClosed, s)})` },
    // Only closed -> open: a provider that stays down cycles open <-> half-open, which is an
    // outage (AiProviderCircuitOpen), not flapping.
    {
      record: R.trips,
      expr: `sum ${by(perBreaker)} (increase(${sel(transitions, s, [
        [L.circuitFrom, '=', 'closed'],
        [L.circuitTo, '=', 'open'],
      ])}[${window}]))`,
    },
    { record: R.ttfbBuckets, expr: `sum ${by([...perBreaker, 'le'])} (rate(${ttfb}[5m]))` },
    {
      record: R.ttfbP95,
      expr: `histogram_quantile(0.95, sum ${by([...perProvider, 'le'])} (${sel(R.ttfbBuckets, s)}))`,
    },
    // The baseline ends an hour ago so that a degradation does not become its own baseline
    // before the alert has had time to fire.
    {
      record: R.ttfbBaselineP95,
      expr: `histogram_quantile(0.95, sum ${by([...perProvider, 'le'])} (rate(${ttfb}[1d] offset 1h)))`,
    },
  ];
}
