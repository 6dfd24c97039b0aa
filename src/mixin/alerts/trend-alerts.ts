/** The plugin's early warning: a provider trending towards an outage before its breaker opens. */
import { TREND_SIGNAL_VALUES } from '../../telemetry/metric-names.js';
import { by, L, metric, sel } from '../promql.js';
import type { AlertDefinition } from './alert.js';
import { groupings } from './recording-rules.js';
import { ANTHROPIC, between, forMinutes, OPENAI, pendingAndFiring } from './scenario-kit.js';
import { label } from './templates.js';
import { degrading } from './test-series.js';

const P = label(L.provider);
const JOB = label('job');
const INSTANCE = label('instance');
const SIGNAL = label(L.trendSignal);

const DEGRADING = 'AiProviderDegradingTrend';
export const degradingTrend: AlertDefinition = {
  alert: DEGRADING,
  severity: 'warning',
  defaultFor: '2m',
  expr(m) {
    const { perBreaker } = groupings(m);
    return `max ${by([...perBreaker, L.trendSignal])} (${sel(metric('degrading', m.naming), m.selector)}) == 1`;
  },
  summary: () => `${P} is trending towards an outage for ${JOB}.`,
  description: (m) =>
    `The early warning for ${P} on ${INSTANCE} (job ${JOB}) has been up for more than ${m.forOf(DEGRADING)}: its ${SIGNAL} is trending up against this hour's learned baseline while the circuit is still closed. Nothing is rejected yet; pickHealthy() already ranks the provider after healthy ones.`,
  scenarios(m, t) {
    const f = forMinutes(m, DEGRADING);
    const [A, B] = [t.at('a'), t.at('b')];
    const start = 5;
    const end = start + f + 6;
    const minutes = end + 10;
    const [failures, latency] = TREND_SIGNAL_VALUES;
    const n = m.naming;
    const none = () => 0;
    // A warning shorter than for: (one minute) on another provider, and one on no instance at all.
    const blip = (s: number) => (s === start + 1 ? 1 : 0);
    return [
      {
        name: `latency warning on one instance for ${end - start + 1} minutes; a one-minute warning does not fire`,
        minutes,
        series: [
          degrading(n, A, OPENAI, latency, (s) => (between(start, end)(s) ? 1 : 0), minutes),
          degrading(n, A, OPENAI, failures, none, minutes),
          degrading(n, B, OPENAI, latency, none, minutes),
          degrading(n, B, OPENAI, failures, none, minutes),
          degrading(n, A, ANTHROPIC, failures, blip, minutes),
          degrading(n, A, ANTHROPIC, latency, none, minutes),
        ],
        ...pendingAndFiring(start, f),
        firing: [{ labels: { ...A, [L.provider]: OPENAI, [L.trendSignal]: latency } }],
        resolvedAt: end + 3,
      },
    ];
  },
};
