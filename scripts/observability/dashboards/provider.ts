/** The drill-down dashboard: one provider, split by instance, outcome and status code. */
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
  board
    .withRow(new dashboard.RowBuilder('Breaker'))
    .withPanel(circuitStateTimeline(v))
    .withPanel(healthTable(v, uid))
    .withPanel(transitionsPanel(v))
    .withPanel(rejectedRate(v))
    .withPanel(rejectedTotal(v))
    .withRow(new dashboard.RowBuilder('Traffic'))
    .withPanel(requestRate(v, [L.outcome, L.statusCode], `${tpl(L.outcome)} ${tpl(L.statusCode)}`))
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
