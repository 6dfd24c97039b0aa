/**
 * Fleet: which replicas (`instance`) have which provider's circuit open, and when each tripped.
 * The one fleet alert (AiProviderCircuitOpenOnMostInstances) says "most"; these say which.
 */
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { groupings } from '../alerts/recording-rules.js';
import { by, L, metric, on, sel } from '../promql.js';
import { circuitCode, circuitMappings } from './panels-breakers.js';
import { DATASOURCE, query } from './sdk.js';
import { tpl, type View } from './view.js';

const notClosed = (v: View) =>
  sel(metric('circuitState', v.naming), v.scope, [[L.circuitState, '=~', 'open|half_open']]);

const trips = (v: View) =>
  sel(metric('circuitTransitions', v.naming), v.scope, [
    [L.circuitFrom, '=', 'closed'],
    [L.circuitTo, '=', 'open'],
  ]);

export function openReplicas(v: View) {
  const { perBreaker, perProvider } = groupings(v.m);
  return new timeseries.PanelBuilder()
    .title('Replicas with the circuit open')
    .description(
      "Instances whose breaker for the provider is open or half-open, per job: one line per provider. Compare with the job's instance count: above half, AiProviderCircuitOpenOnMostInstances fires.",
    )
    .datasource(DATASOURCE)
    .unit('short')
    .decimals(0)
    .min(0)
    .withTarget(
      query('A', `sum ${by(perProvider)} (max ${by(perBreaker)} (${notClosed(v)}))`, {
        legend: `${tpl(L.provider)} (${tpl('job')})`,
      }),
    )
    .span(12)
    .height(8);
}

export function trippedReplicas(v: View) {
  const { perBreaker } = groupings(v.m);
  const tripped = `round(sum ${by(perBreaker)} (increase(${trips(v)}[$__range]))) > 0`;
  const openNow = `max ${by(perBreaker)} (${notClosed(v)}) == 1`;
  // The first sample at the counter's final value is the last trip: `@ end()` reads that value.
  const lastTrip = `1000 * max ${by(perBreaker)} (min_over_time((timestamp(${trips(v)}) and ${trips(v)} == ${trips(v)} @ end())[$__range:$__interval])) and ${on(perBreaker)} (${tripped})`;
  const cell = { type: 'color-background', mode: 'basic' };
  return new table.PanelBuilder()
    .title('Tripped replicas')
    .description(
      'Every breaker that tripped (closed -> open) in the time range or is open now: its instance, provider, state now, when it last tripped (to within the panel interval) and how often.',
    )
    .datasource(DATASOURCE)
    .unit('none')
    .withTarget(
      query('A', `(${circuitCode(v)}) and ${on(perBreaker)} (${tripped} or ${openNow})`, {
        instant: true,
        format: 'table',
      }),
    )
    .withTarget(query('B', lastTrip, { instant: true, format: 'table' }))
    .withTarget(query('C', tripped, { instant: true, format: 'table' }))
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({
      id: 'organize',
      options: {
        excludeByName: { Time: true },
        renameByName: { 'Value #A': 'Circuit now', 'Value #B': 'Last trip', 'Value #C': 'Trips in range' },
      },
    })
    .overrideByName('Circuit now', [
      { id: 'mappings', value: circuitMappings },
      { id: 'custom.cellOptions', value: cell },
    ])
    .overrideByName('Last trip', [{ id: 'unit', value: 'dateTimeAsIso' }])
    .overrideByName('Trips in range', [{ id: 'decimals', value: 0 }])
    .span(12)
    .height(8);
}
