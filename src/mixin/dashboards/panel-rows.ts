/**
 * The rows both dashboards share; they differ in the first row's title, the health table's link,
 * how requests are split and the overview's fleet row. A panel is one builder and one line here.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  circuitStateTimeline,
  healthTable,
  rejectedRate,
  rejectedTotal,
  transitionsPanel,
} from './panels-breakers.js';
import { budgetUse, failedSpendRate, spendRate, tokenRate } from './panels-cost.js';
import { openReplicas, trippedReplicas } from './panels-fleet.js';
import { durationHeatmap, durationQuantiles, ttfbQuantiles } from './panels-latency.js';
import { signalPanels } from './panels-signals.js';
import { failureRatio, rateLimitedRate, ratelimitHeadroom, requestRate } from './panels-traffic.js';
import { earlyWarningTimeline } from './panels-trend.js';
import type { View } from './view.js';

export interface RowChoices {
  breakerRowTitle: string;
  /** Dashboard the health table's provider names link to. */
  healthLinkUid: string;
  /** Labels and legend of the request-rate panel. */
  requestSplit: { labels: string[]; legend: string };
  /** The fleet row: which replicas tripped, and when (the overview's). */
  fleet: boolean;
}

export function addPanelRows(board: dashboard.DashboardBuilder, v: View, choices: RowChoices): void {
  board
    .withRow(new dashboard.RowBuilder(choices.breakerRowTitle))
    .withPanel(circuitStateTimeline(v))
    .withPanel(earlyWarningTimeline(v))
    .withPanel(healthTable(v, choices.healthLinkUid))
    .withPanel(transitionsPanel(v))
    .withPanel(rejectedRate(v))
    .withPanel(rejectedTotal(v));
  if (choices.fleet)
    board.withRow(new dashboard.RowBuilder('Fleet')).withPanel(trippedReplicas(v)).withPanel(openReplicas(v));
  board
    .withRow(new dashboard.RowBuilder('Traffic'))
    .withPanel(requestRate(v, choices.requestSplit.labels, choices.requestSplit.legend))
    .withPanel(failureRatio(v))
    .withRow(new dashboard.RowBuilder('Latency'))
    .withPanel(durationQuantiles(v))
    .withPanel(durationHeatmap(v))
    .withPanel(ttfbQuantiles(v))
    .withRow(new dashboard.RowBuilder('Rate limits'))
    .withPanel(ratelimitHeadroom(v))
    .withPanel(rateLimitedRate(v))
    .withRow(new dashboard.RowBuilder('Cost'))
    .withPanel(spendRate(v))
    .withPanel(failedSpendRate(v))
    .withPanel(budgetUse(v))
    .withPanel(tokenRate(v))
    .withRow(new dashboard.RowBuilder('Alert signals'));
  for (const panel of signalPanels(v)) board.withPanel(panel);
}
