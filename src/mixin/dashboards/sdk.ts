/**
 * Thin helpers over @grafana/grafana-foundation-sdk: the data source reference every panel and
 * query shares, Prometheus queries, thresholds and value mappings, and the final touches the
 * SDK leaves to the caller (panel ids, annotation list, schema version).
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';

/** Every panel and query reads the data source the `datasource` variable selects. */
// Grafana's variable syntax, not a JavaScript template.
export const DATASOURCE = { type: 'prometheus', uid: ['$', '{datasource}'].join('') } as const;

/**
 * Grafana 10.0's schema version. The SDK stamps its own (newer) one; declaring 10.0's makes
 * newer Grafana run its migrations on import instead of trusting fields Grafana 10 never wrote.
 */
export const SCHEMA_VERSION = 38;

export interface QueryOptions {
  legend?: string;
  instant?: boolean;
  format?: 'time_series' | 'table' | 'heatmap';
}

export function query(refId: string, expr: string, options: QueryOptions = {}): DataqueryBuilder {
  const q = new DataqueryBuilder().refId(refId).datasource(DATASOURCE).expr(expr);
  if (options.legend !== undefined) q.legendFormat(options.legend);
  if (options.instant) q.instant();
  else q.range();
  if (options.format) q.format(options.format as never);
  return q;
}

export function thresholds(steps: readonly (readonly [value: number | null, color: string])[]) {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));
}

/** Numeric code -> text and colour, for one-hot states folded into one number. */
export function valueMappings(
  texts: readonly (readonly [text: string, color: string])[],
): dashboard.ValueMapping[] {
  return [
    {
      type: dashboard.MappingType.ValueToText,
      options: Object.fromEntries(
        texts.map(([text, color], index) => [String(index), { text, color, index }]),
      ),
    },
  ];
}

export type PanelBuilder = cog.Builder<dashboard.Panel>;
export type Dashboard = dashboard.Dashboard & { uid: string };

/** Stable ids in layout order; Grafana needs them unique for links and "view panel". */
function numberPanels(board: dashboard.Dashboard): void {
  let id = 1;
  for (const panel of board.panels ?? []) panel.id = id++;
}

export function finish(builder: dashboard.DashboardBuilder): Dashboard {
  const board = builder.build();
  if (!board.uid) throw new Error('dashboard without uid');
  numberPanels(board);
  board.schemaVersion = SCHEMA_VERSION;
  // Grafana 10 expects a list here; the built-in one shows alert and annotation events.
  board.annotations = {
    list: [
      {
        builtIn: 1,
        datasource: { type: 'grafana', uid: '-- Grafana --' },
        enable: true,
        hide: true,
        iconColor: 'rgba(0, 211, 255, 1)',
        name: 'Annotations & Alerts',
        type: 'dashboard',
      },
    ],
  };
  return { ...board, uid: board.uid };
}
