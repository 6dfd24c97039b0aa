/** Breaker panels: state over time, health and circuit table, transitions, requests answered locally. */

import * as common from '@grafana/grafana-foundation-sdk/common';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { CIRCUIT_STATE_VALUES, HEALTH_STATUS_VALUES, type MetricKey } from '../../telemetry/metric-names.js';
import { groupings } from '../alerts/recording-rules.js';
import { by, L, metric, sel } from '../promql.js';
import { DATASOURCE, query, valueMappings } from './sdk.js';
import { tpl, type View } from './view.js';

/** A one-hot gauge folded into one number per breaker: the index of the state that is 1. */
function oneHotCode(v: View, key: MetricKey, label: string, values: readonly string[]): string {
  const name = metric(key, v.naming);
  const { perBreaker } = groupings(v.m);
  return values
    .slice(1)
    .map((value, i) => `${i + 1} * sum ${by(perBreaker)} (${sel(name, v.scope, [[label, '=', value]])})`)
    .join(' + ');
}

const CIRCUIT_COLORS: Readonly<Record<string, string>> = {
  closed: 'green',
  open: 'red',
  half_open: 'yellow',
};
const HEALTH_COLORS: Readonly<Record<string, string>> = {
  available: 'green',
  degraded: 'yellow',
  unavailable: 'red',
};
export const circuitMappings = valueMappings(
  CIRCUIT_STATE_VALUES.map((s) => [s, CIRCUIT_COLORS[s] ?? 'text'] as const),
);
const healthMappings = valueMappings(
  HEALTH_STATUS_VALUES.map((s) => [s, HEALTH_COLORS[s] ?? 'text'] as const),
);
export const circuitCode = (v: View): string =>
  oneHotCode(v, 'circuitState', L.circuitState, CIRCUIT_STATE_VALUES);

export function circuitStateTimeline(v: View) {
  return new statetimeline.PanelBuilder()
    .title('Circuit state')
    .description(
      'State of every breaker (one per instance and provider) over time: closed, half-open or open.',
    )
    .datasource(DATASOURCE)
    .unit('none')
    .mappings(circuitMappings)
    .withTarget(query('A', circuitCode(v), { legend: `${tpl(L.provider)} on ${tpl('instance')}` }))
    .span(24)
    .height(8);
}

export function healthTable(v: View, drillDownUid: string) {
  const healthCode = oneHotCode(v, 'health', L.healthStatus, HEALTH_STATUS_VALUES);
  const cell = { type: 'color-background', mode: 'basic' };
  const drillDown = `/d/${drillDownUid}?\${__url_time_range}&\${datasource:queryparam}&\${job:queryparam}&\${instance:queryparam}&var-provider=\${__value.raw}`;
  return new table.PanelBuilder()
    .title('Health status')
    .description(
      'Current health (available / degraded / unavailable) and circuit state of every breaker. Click a provider to drill down.',
    )
    .datasource(DATASOURCE)
    .unit('none')
    .withTarget(query('A', healthCode, { instant: true, format: 'table' }))
    .withTarget(query('B', circuitCode(v), { instant: true, format: 'table' }))
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({
      id: 'organize',
      options: {
        excludeByName: { Time: true },
        renameByName: { 'Value #A': 'Health', 'Value #B': 'Circuit' },
      },
    })
    .overrideByName('Health', [
      { id: 'mappings', value: healthMappings },
      { id: 'custom.cellOptions', value: cell },
    ])
    .overrideByName('Circuit', [
      { id: 'mappings', value: circuitMappings },
      { id: 'custom.cellOptions', value: cell },
    ])
    .overrideByName(L.provider, [{ id: 'links', value: [{ title: 'Drill down', url: drillDown }] }])
    .span(24)
    .height(8);
}

export function transitionsPanel(v: View) {
  const name = metric('circuitTransitions', v.naming);
  return new timeseries.PanelBuilder()
    .title('Circuit transitions')
    .description(
      'State changes per interval, by from -> to. Many closed -> open in a short time is flapping.',
    )
    .datasource(DATASOURCE)
    .unit('short')
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(80)
    .withTarget(
      query(
        'A',
        `sum ${by([...v.split, L.circuitFrom, L.circuitTo])} (increase(${sel(name, v.scope)}[$__rate_interval]))`,
        { legend: `${v.legend}: ${tpl(L.circuitFrom)} -> ${tpl(L.circuitTo)}` },
      ),
    )
    .span(12)
    .height(8);
}

const rejected = (v: View) => sel(metric('requests', v.naming), v.scope, [[L.outcome, '=', 'rejected']]);

export function rejectedRate(v: View) {
  return new timeseries.PanelBuilder()
    .title('Answered locally by an open circuit')
    .description(
      'Requests the breaker answered itself (outcome "rejected") instead of sending them to a failing provider: what the breaker saved.',
    )
    .datasource(DATASOURCE)
    .unit('reqps')
    .withTarget(
      query('A', `sum ${by(v.split)} (rate(${rejected(v)}[$__rate_interval]))`, { legend: v.legend }),
    )
    .span(8)
    .height(8);
}

export function rejectedTotal(v: View) {
  return new stat.PanelBuilder()
    .title('Saved in range')
    .description('Requests answered locally by an open circuit over the selected time range.')
    .datasource(DATASOURCE)
    .unit('short')
    .colorMode(common.BigValueColorMode.None)
    .graphMode(common.BigValueGraphMode.None)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .withTarget(query('A', `sum(increase(${rejected(v)}[$__range]))`, { instant: true }))
    .span(4)
    .height(8);
}
