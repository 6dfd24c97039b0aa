/** Latency panels: request duration and time-to-first-byte quantiles, and a duration heatmap. */
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { by, L, type Matcher, metric, sel, UNCOUNTED } from '../promql.js';
import { DATASOURCE, query } from './sdk.js';
import type { View } from './view.js';

const QUANTILES = [0.5, 0.95, 0.99] as const;

function quantiles(v: View, bucket: string, extra: readonly Matcher[]) {
  return QUANTILES.map((q, i) =>
    query(
      String.fromCharCode(65 + i),
      `histogram_quantile(${q}, sum ${by([...v.split, 'le'])} (rate(${sel(bucket, v.scope, extra)}[$__rate_interval])))`,
      { legend: `${v.legend} p${q * 100}` },
    ),
  );
}

export function durationQuantiles(v: View) {
  const panel = new timeseries.PanelBuilder()
    .title('Request duration p50 / p95 / p99')
    .description(
      'Successful requests, from start to the end of the response body (a stream counts until it ends).',
    )
    .datasource(DATASOURCE)
    .unit('s');
  for (const q of quantiles(v, metric('requestDuration', v.naming, 'bucket'), [
    [L.outcome, '=', 'success'],
  ])) {
    panel.withTarget(q);
  }
  return panel.span(12).height(8);
}

export function ttfbQuantiles(v: View) {
  const panel = new timeseries.PanelBuilder()
    .title('Time to first byte p50 / p95 / p99')
    .description(
      'From request start to the response headers: the provider queueing and thinking, before any streaming.',
    )
    .datasource(DATASOURCE)
    .unit('s');
  for (const q of quantiles(v, metric('timeToFirstByte', v.naming, 'bucket'), [])) panel.withTarget(q);
  return panel.span(12).height(8);
}

export function durationHeatmap(v: View) {
  const bucket = sel(metric('requestDuration', v.naming, 'bucket'), v.scope, [[L.outcome, '!~', UNCOUNTED]]);
  return new heatmap.PanelBuilder()
    .title('Request duration heatmap')
    .description(
      'Distribution of request durations over time, every outcome the provider answered (not canceled or rejected).',
    )
    .datasource(DATASOURCE)
    .unit('s')
    .calculate(false)
    .yAxis(new heatmap.YAxisConfigBuilder().unit('s'))
    .withTarget(
      query('A', `sum by (le) (rate(${bucket}[$__rate_interval]))`, { legend: '{{le}}', format: 'heatmap' }),
    )
    .span(12)
    .height(8);
}
