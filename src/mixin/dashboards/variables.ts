/**
 * Template variables: data source, then service -> job -> instance (-> provider), each narrowing
 * the next. Every query matches the user's selector, `job` and `instance`.
 *
 * Scraped (builtin names): `job` and `instance` are Prometheus' scrape labels; the service name
 * lives on `target_info` only, so a `service` variable narrows the job list rather than
 * appearing in every query. OTLP names: by the OTel -> Prometheus compatibility rules (see
 * README.md, "Dashboards and alerts"), `job` is service.namespace/service.name and `instance` is
 * service.instance.id, and `service.name` is not a `target_info` label, so `job` is the service.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { prometheusLabel, TARGET_INFO_SERIES } from '../../telemetry/metric-names.js';
import type { Mixin } from '../mixin.js';
import { L, type Matcher, metric, sel } from '../promql.js';
import { DATASOURCE } from './sdk.js';

const SERVICE_LABEL = prometheusLabel('service.name');

/** Matchers every query of a dashboard carries: the user's selector, then the job and instance drop-downs. */
export function scope(m: Mixin): Matcher[] {
  return [...m.selector, ['job', '=~', '$job'], ['instance', '=~', '$instance']];
}
export function providerScope(m: Mixin): Matcher[] {
  return [...scope(m), [L.provider, '=~', '$provider']];
}

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

function scrapedServiceAndJob(m: Mixin, up: string) {
  return [
    queryVariable(
      'service',
      'Service',
      `label_values(${sel(TARGET_INFO_SERIES, m.selector)}, ${SERVICE_LABEL})`,
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
      `label_values(${sel('', m.selector, [
        ['__name__', '=~', `${up}|${TARGET_INFO_SERIES}`],
        [SERVICE_LABEL, '=~', '$service'],
      ])}, job)`,
      'Prometheus job: usually one per service.',
    )
      .includeAll(true)
      .multi(true),
  ];
}

function pushedService(m: Mixin, up: string) {
  return [
    queryVariable(
      'job',
      'Service',
      `label_values(${sel(up, m.selector)}, job)`,
      'The job label, which OTLP ingestion builds from service.namespace/service.name.',
    )
      .includeAll(true)
      .multi(true),
  ];
}

export function variables(m: Mixin, withProvider: boolean) {
  const up = metric('up', m.naming);
  const pushed = m.naming === 'otlp';
  const list = [
    new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'),
    ...(pushed ? pushedService(m, up) : scrapedServiceAndJob(m, up)),
    queryVariable(
      'instance',
      'Instance',
      `label_values(${sel(up, m.selector, [['job', '=~', '$job']])}, instance)`,
      pushed ? 'The instance label: service.instance.id of each replica.' : 'Scrape target.',
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
        `label_values(${sel(up, scope(m))}, ${L.provider})`,
        'gen_ai.provider.name of the breaker to drill into.',
      ),
    );
  }
  return list;
}
