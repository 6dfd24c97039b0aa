/**
 * "Alert signals": the recorded series the alerts evaluate, drawn against their thresholds.
 * They read recording rules (alerts/*.rules.yaml), so they stay empty where those are not loaded.
 */
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { groupings, recordNames } from '../alerts/recording-rules.js';
import { by, FAILURE_OUTCOMES, L, sel, UNCOUNTED } from '../promql.js';
import { withThresholdLine } from './panels-traffic.js';
import { DATASOURCE, query } from './sdk.js';
import { tpl, type View } from './view.js';

const NOTE = 'From the recording rules of `provider-health alerts`; empty where they are not loaded.';

function signal(title: string, description: string, unit: string) {
  return new timeseries.PanelBuilder()
    .title(title)
    .description(`${description} ${NOTE}`)
    .datasource(DATASOURCE)
    .unit(unit)
    .min(0)
    .span(6)
    .height(7);
}

const jobLegend = `${tpl('job')} ${tpl(L.provider)}`;

export function signalPanels(v: View) {
  const RECORD = recordNames(v.m.thresholds);
  const THRESHOLDS = v.m.thresholds;
  const JOB_PROVIDER = groupings(v.m).perProvider;
  const requests = (op: '=~' | '!~', outcomes: string) =>
    `sum ${by(JOB_PROVIDER)} (${sel(RECORD.requestsRate, v.scope, [[L.outcome, op, outcomes]])})`;
  return [
    withThresholdLine(
      signal('Failure ratio (5m)', 'What AiProviderHighFailureRate evaluates.', 'percentunit').withTarget(
        query('A', `${requests('=~', FAILURE_OUTCOMES)} / ${requests('!~', UNCOUNTED)}`, {
          legend: jobLegend,
        }),
      ),
      THRESHOLDS.failureRatio,
    ),
    withThresholdLine(
      signal(
        'Instances with the circuit not closed',
        'What AiProviderCircuitOpenOnMostInstances evaluates.',
        'percentunit',
      )
        .max(1)
        .withTarget(
          query('A', `avg ${by(JOB_PROVIDER)} (${sel(RECORD.notClosed, v.scope)})`, { legend: jobLegend }),
        ),
      THRESHOLDS.mostInstancesShare,
    ),
    signal(
      'TTFB p95 vs baseline',
      `What AiProviderLatencyDegraded evaluates: p95 over 5 minutes against ${THRESHOLDS.latencyFactor} x the p95 of the day before the last hour (the baseline is per job, so it shows with all instances selected).`,
      's',
    )
      .withTarget(
        query(
          'A',
          `histogram_quantile(0.95, sum ${by([...JOB_PROVIDER, 'le'])} (${sel(RECORD.ttfbBuckets, v.scope)}))`,
          {
            legend: `${jobLegend} p95`,
          },
        ),
      )
      .withTarget(
        query('B', `${THRESHOLDS.latencyFactor} * ${sel(RECORD.ttfbBaselineP95, v.scope)}`, {
          legend: `${jobLegend} alert line`,
        }),
      ),
    withThresholdLine(
      signal(
        `Trips in ${THRESHOLDS.flappingWindow}`,
        'Closed -> open transitions per breaker: what AiProviderCircuitFlapping evaluates.',
        'short',
      ).withTarget(
        query('A', sel(RECORD.trips, v.scope), { legend: `${tpl(L.provider)} on ${tpl('instance')}` }),
      ),
      THRESHOLDS.flappingTrips,
    ),
  ];
}
