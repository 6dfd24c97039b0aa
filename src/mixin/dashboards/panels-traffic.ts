/** Traffic panels: request rate by outcome, failure ratio, rate limiting and headroom. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { by, FAILURE_OUTCOMES, L, metric, sel, UNCOUNTED } from '../promql.js';
import { DATASOURCE, query, thresholds } from './sdk.js';
import { tpl, type View } from './view.js';

/** Draws the alert threshold as a dashed red line. */
export function withThresholdLine(panel: timeseries.PanelBuilder, value: number): timeseries.PanelBuilder {
  return panel
    .thresholds(
      thresholds([
        [null, 'green'],
        [value, 'red'],
      ]),
    )
    .thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
    );
}

export function requestRate(v: View, by_: readonly string[], legend: string) {
  const name = metric('requests', v.naming);
  return new timeseries.PanelBuilder()
    .title('Requests by outcome')
    .description(
      'Requests to providers per second, by outcome (success, provider_error, timeout, rate_limited, rejected, ...).',
    )
    .datasource(DATASOURCE)
    .unit('reqps')
    .fillOpacity(30)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .withTarget(query('A', `sum ${by(by_)} (rate(${sel(name, v.scope)}[$__rate_interval]))`, { legend }))
    .span(12)
    .height(8);
}

export function failureRatio(v: View) {
  const name = metric('requests', v.naming);
  const failures = sel(name, v.scope, [[L.outcome, '=~', FAILURE_OUTCOMES]]);
  const counted = sel(name, v.scope, [[L.outcome, '!~', UNCOUNTED]]);
  const expr = `sum ${by(v.split)} (rate(${failures}[$__rate_interval])) / sum ${by(v.split)} (rate(${counted}[$__rate_interval]))`;
  const panel = new timeseries.PanelBuilder()
    .title('Failure rate')
    .description(
      `Share of requests that failed in a way that trips the breaker (${FAILURE_OUTCOMES.replaceAll('|', ', ')}), of all requests except canceled and rejected. Dashed line: the HighFailureRate alert threshold.`,
    )
    .datasource(DATASOURCE)
    .unit('percentunit')
    .min(0)
    .withTarget(query('A', expr, { legend: v.legend }))
    .span(12)
    .height(8);
  return withThresholdLine(panel, v.m.thresholds.failureRatio);
}

export function rateLimitedRate(v: View) {
  const name = metric('requests', v.naming);
  const limited = sel(name, v.scope, [[L.outcome, '=~', 'rate_limited|quota_exhausted']]);
  return new timeseries.PanelBuilder()
    .title('Rate limited')
    .description(
      'Requests answered 429 (rate_limited) or refused for quota or billing (quota_exhausted), per second.',
    )
    .datasource(DATASOURCE)
    .unit('reqps')
    .withTarget(
      query('A', `sum ${by([...v.split, L.outcome])} (rate(${limited}[$__rate_interval]))`, {
        legend: `${v.legend} ${tpl(L.outcome)}`,
      }),
    )
    .span(12)
    .height(8);
}

export function ratelimitHeadroom(v: View) {
  const labels = [...v.split, L.ratelimitKind];
  const remaining = sel(metric('ratelimitRemaining', v.naming), v.scope);
  const limit = sel(metric('ratelimitLimit', v.naming), v.scope);
  const panel = new timeseries.PanelBuilder()
    .title('Rate-limit headroom')
    .description(
      'Requests and tokens left in the current rate-limit window as a share of the limit, from x-ratelimit-* / anthropic-ratelimit-* response headers. Empty for providers that do not send them.',
    )
    .datasource(DATASOURCE)
    .unit('percentunit')
    .min(0)
    .max(1)
    .withTarget(
      query('A', `min ${by(labels)} (${remaining}) / max ${by(labels)} (${limit})`, {
        legend: `${v.legend} ${tpl(L.ratelimitKind)}`,
      }),
    )
    .span(12)
    .height(8);
  return withThresholdLine(panel, 0.1);
}
