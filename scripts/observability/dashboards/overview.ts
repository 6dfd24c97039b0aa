/** The overview dashboard: every breaker of the selected services at once. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PrometheusNaming } from '../../../src/telemetry/metric-names.js';
import { L } from '../promql.js';
import {
  circuitStateTimeline,
  healthTable,
  rejectedRate,
  rejectedTotal,
  transitionsPanel,
} from './panels-breakers.js';
import { durationHeatmap, durationQuantiles, ttfbQuantiles } from './panels-latency.js';
import { signalPanels } from './panels-signals.js';
import { failureRatio, rateLimitedRate, ratelimitHeadroom, requestRate } from './panels-traffic.js';
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
  board
    .withRow(new dashboard.RowBuilder('Breakers'))
    .withPanel(circuitStateTimeline(v))
    .withPanel(healthTable(v, drillDownUid))
    .withPanel(transitionsPanel(v))
    .withPanel(rejectedRate(v))
    .withPanel(rejectedTotal(v))
    .withRow(new dashboard.RowBuilder('Traffic'))
    .withPanel(requestRate(v, [L.provider, L.outcome], `${tpl(L.provider)} ${tpl(L.outcome)}`))
    .withPanel(failureRatio(v))
    .withRow(new dashboard.RowBuilder('Latency'))
    .withPanel(durationQuantiles(v))
    .withPanel(durationHeatmap(v))
    .withPanel(ttfbQuantiles(v))
    .withRow(new dashboard.RowBuilder('Rate limits'))
    .withPanel(ratelimitHeadroom(v))
    .withPanel(rateLimitedRate(v))
    .withRow(new dashboard.RowBuilder('Alert signals'));
  for (const panel of signalPanels(v)) board.withPanel(panel);
  return finish(board);
}
