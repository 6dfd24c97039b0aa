/** The overview dashboard: every breaker of the selected services at once. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PrometheusNaming } from '../../../src/telemetry/metric-names.js';
import { L } from '../promql.js';
import { addPanelRows } from './panel-rows.js';
import { type Dashboard, finish } from './sdk.js';
import { SCOPE, variables } from './variables.js';
import { tpl, type View } from './view.js';

export function overview(
  naming: PrometheusNaming,
  uid: string,
  drillDownUid: string,
  title: string,
): Dashboard {
  const v: View = { naming, scope: SCOPE, split: [L.provider], legend: tpl(L.provider) };
  const board = new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(
      'Circuit breakers, outcomes and latency of calls to AI providers. Generated from src/telemetry/metric-names.ts.',
    )
    .tags(['provider-health', 'ai-provider', 'circuit-breaker'])
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .link(
      new dashboard.DashboardLinkBuilder('provider-health')
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags(['provider-health'])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
    );
  for (const variable of variables(naming, false)) board.withVariable(variable);
  addPanelRows(board, v, {
    breakerRowTitle: 'Breakers',
    healthLinkUid: drillDownUid,
    requestSplit: { labels: [L.provider, L.outcome], legend: `${tpl(L.provider)} ${tpl(L.outcome)}` },
  });
  return finish(board);
}
