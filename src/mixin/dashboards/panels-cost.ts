/**
 * Cost panels (docs/design.md, "Token usage and cost"): spend at the configured prices, the
 * share spent on failed calls, budget use, and tokens by type. Empty without prices or usage.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { by, L, metric, sel } from '../promql.js';
import { withThresholdLine } from './panels-traffic.js';
import { DATASOURCE, query } from './sdk.js';
import { tpl, type View } from './view.js';

export function spendRate(v: View) {
  const name = metric('cost', v.naming);
  const labels = [...v.split, L.responseModel, L.requestModel];
  return new timeseries.PanelBuilder()
    .title('Spend per hour')
    .description(
      'What the calls cost per hour at the configured prices (providers.<name>.prices, in the configured currency), by model. No built-in prices: empty until prices are configured.',
    )
    .datasource(DATASOURCE)
    .unit('short')
    .fillOpacity(30)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .withTarget(
      query('A', `sum ${by(labels)} (rate(${sel(name, v.scope)}[$__rate_interval])) * 3600`, {
        legend: `${v.legend} ${tpl(L.responseModel)}${tpl(L.requestModel)}`,
      }),
    )
    .span(12)
    .height(8);
}

export function failedSpendRate(v: View) {
  const name = metric('cost', v.naming);
  return new timeseries.PanelBuilder()
    .title('Spend by outcome per hour')
    .description(
      'Spend per hour by the outcome of the request that spent it: every series but success is money spent on calls that failed (tokens billed for a stream cut off, an answer a status rule made a failure).',
    )
    .datasource(DATASOURCE)
    .unit('short')
    .withTarget(
      query(
        'A',
        `sum ${by([...v.split, L.outcome])} (rate(${sel(name, v.scope)}[$__rate_interval])) * 3600`,
        { legend: `${v.legend} ${tpl(L.outcome)}` },
      ),
    )
    .span(12)
    .height(8);
}

export function budgetUse(v: View) {
  const spent = sel(metric('budgetSpent', v.naming), v.scope);
  const limit = sel(metric('budgetLimit', v.naming), v.scope);
  const panel = new timeseries.PanelBuilder()
    .title('Budget used')
    .description(
      "Share of each provider's budget spent within its window (providers.<name>.budget), per instance. At 100% the provider is degraded (reason budget); with budgetAction reject its requests are answered locally. Dashed line: what AiProviderBudgetExhausted evaluates.",
    )
    .datasource(DATASOURCE)
    .unit('percentunit')
    .min(0)
    .withTarget(
      query(
        'A',
        `max ${by([...v.split, 'instance'])} (${spent}) / max ${by([...v.split, 'instance'])} (${limit})`,
        {
          legend: `${v.legend} ${tpl('instance')}`,
        },
      ),
    )
    .span(12)
    .height(8);
  return withThresholdLine(panel, 1);
}

export function tokenRate(v: View) {
  const name = metric('tokenUsage', v.naming, 'sum');
  return new timeseries.PanelBuilder()
    .title('Tokens per second')
    .description(
      'Input and output tokens per second, as the responses report them (gen_ai.client.token.usage; off with tokenUsageMetric: false).',
    )
    .datasource(DATASOURCE)
    .unit('short')
    .withTarget(
      query('A', `sum ${by([...v.split, L.tokenType])} (rate(${sel(name, v.scope)}[$__rate_interval]))`, {
        legend: `${v.legend} ${tpl(L.tokenType)}`,
      }),
    )
    .span(12)
    .height(8);
}
