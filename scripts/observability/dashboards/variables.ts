/**
 * Template variables: data source, then service -> job -> instance (-> provider), each narrowing
 * the next. Every query matches `job` and `instance`; the service name lives on `target_info`
 * only, so it narrows the job list rather than appearing in every query.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  type PrometheusNaming,
  prometheusLabel,
  TARGET_INFO_SERIES,
} from '../../../src/telemetry/metric-names.js';
import { L, type Matcher, metric, sel } from '../promql.js';
import { DATASOURCE } from './sdk.js';

const SERVICE_LABEL = prometheusLabel('service.name');

/** Matchers every query carries. */
export const SCOPE: readonly Matcher[] = [
  ['job', '=~', '$job'],
  ['instance', '=~', '$instance'],
];
export const PROVIDER_SCOPE: readonly Matcher[] = [...SCOPE, [L.provider, '=~', '$provider']];

function queryVariable(name: string, label: string, query: string, description: string) {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .description(description)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}

export function variables(naming: PrometheusNaming, withProvider: boolean) {
  const up = metric('up', naming);
  const list = [
    new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'),
    queryVariable(
      'service',
      'Service',
      `label_values(${TARGET_INFO_SERIES}, ${SERVICE_LABEL})`,
      'service.name from the exporter resource (target_info); narrows the job list.',
    )
      .includeAll(true)
      .allValue('.*')
      .multi(true),
    // ai_provider_up has no service_name, so with "All" services (".*", which matches an absent
    // label) every job that exports the plugin is listed, even without target_info.
    queryVariable(
      'job',
      'Job',
      `label_values({__name__=~"${up}|${TARGET_INFO_SERIES}",${SERVICE_LABEL}=~"$service"}, job)`,
      'Prometheus job: usually one per service.',
    )
      .includeAll(true)
      .multi(true),
    queryVariable(
      'instance',
      'Instance',
      `label_values(${sel(up, [['job', '=~', '$job']])}, instance)`,
      'Scrape target.',
    )
      .includeAll(true)
      .allValue('.*')
      .multi(true),
  ];
  if (withProvider) {
    list.push(
      queryVariable(
        'provider',
        'Provider',
        `label_values(${sel(up, SCOPE)}, ${L.provider})`,
        'gen_ai.provider.name of the breaker to drill into.',
      ),
    );
  }
  return list;
}
