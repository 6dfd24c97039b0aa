/** The plugin's early warning (ai_provider.degrading): which providers trend towards an outage, and on what. */
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import { by, L, metric, sel } from '../promql.js';
import { DATASOURCE, query, valueMappings } from './sdk.js';
import { tpl, type View } from './view.js';

const mappings = valueMappings([
  ['quiet', 'green'],
  ['warning', 'orange'],
]);

export function earlyWarningTimeline(v: View) {
  const name = metric('degrading', v.naming);
  return new statetimeline.PanelBuilder()
    .title('Early warning')
    .description(
      "The plugin's early warning per signal: failures or times to first byte trending up against the provider's learned baseline while its circuit is still closed (health degraded, reason trend; what AiProviderDegradingTrend evaluates). It never rejects a request.",
    )
    .datasource(DATASOURCE)
    .unit('none')
    .mappings(mappings)
    .withTarget(
      query('A', `max ${by([...v.split, L.trendSignal])} (${sel(name, v.scope)})`, {
        legend: `${v.legend} ${tpl(L.trendSignal)}`,
      }),
    )
    .span(24)
    .height(6);
}
