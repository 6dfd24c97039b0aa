/** The drill-down dashboard: one provider, split by instance, outcome and status code. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PrometheusNaming } from '../../../src/telemetry/metric-names.js';
import { L } from '../promql.js';
import { addPanelRows } from './panel-rows.js';
import { type Dashboard, finish } from './sdk.js';
import { PROVIDER_SCOPE, variables } from './variables.js';
import { tpl, type View } from './view.js';

export function providerDrillDown(
  naming: PrometheusNaming,
  uid: string,
  overviewUid: string,
  title: string,
): Dashboard {
  const v: View = { naming, scope: PROVIDER_SCOPE, split: ['instance'], legend: tpl('instance') };
  const board = new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(
      'One AI provider across the selected instances. Generated from src/telemetry/metric-names.ts.',
    )
    .tags(['provider-health', 'ai-provider', 'circuit-breaker'])
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .link(
      new dashboard.DashboardLinkBuilder('Overview')
        .type(dashboard.DashboardLinkType.Link)
        .url(`/d/${overviewUid}`)
        .includeVars(true)
        .keepTime(true),
    );
  for (const variable of variables(naming, true)) board.withVariable(variable);
  addPanelRows(board, v, {
    breakerRowTitle: 'Breaker',
    healthLinkUid: uid,
    requestSplit: { labels: [L.outcome, L.statusCode], legend: `${tpl(L.outcome)} ${tpl(L.statusCode)}` },
  });
  return finish(board);
}
