/**
 * Every query of the committed dashboards, with Grafana's variables replaced as Grafana would
 * for one selected job, instance and provider.
 */
import type { PrometheusNaming } from '../../../src/telemetry/metric-names.js';
import { dataPanels, loadDashboard, type VariableJson } from '../../mixin/dashboards/load.js';

/** The overview and the provider drill-down of one naming variant, as committed. */
export function dashboardsOf(naming: PrometheusNaming): [overview: string, provider: string] {
  const suffix = naming === 'builtin' ? '' : `-${naming}`;
  return [
    `dashboards/provider-health-overview${suffix}.json`,
    `dashboards/provider-health-provider${suffix}.json`,
  ];
}

/** What a user picked in the dashboard's variable drop-downs. */
export interface Selection {
  service: string;
  job: string;
  instance: string;
  provider: string;
}

export interface PanelQuery {
  /** `dashboard title / panel title / refId`, for messages. */
  id: string;
  /** `panel title/refId`: the key of INSTANCE_ALL_TARGETS. */
  key: string;
  expr: string;
}

/**
 * Targets evaluated with Instance = All rather than the selected instance, each with why.
 * Not a data exception: they must return data too, but only in the selection they are meant for.
 */
export const INSTANCE_ALL_TARGETS: Readonly<Record<string, string>> = {
  'TTFB p95 vs baseline/B':
    'the baseline is recorded per job (job_provider:…:p95_rate1d_offset1h has no instance label); ' +
    'the panel description says it shows with all instances selected',
};

// Grafana's window for rate() with a 1s scrape interval would be a few seconds; 10s keeps two
// samples in every window even when a scrape is late on a busy machine.
const RATE_INTERVAL = '10s';
// The dashboard's time range: longer than the whole run, so "in range" counts all of it.
const RANGE = '5m';
// Grafana's step for a 5m range: the scrape and evaluation interval of the run.
const INTERVAL = '1s';
/** Grafana's instance variable value for "All" (its `allValue`). */
const ALL = '.*';

/** How Grafana escapes one selected value for a `=~` matcher (prometheusSpecialRegexEscape). */
export function grafanaRegex(value: string): string {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]'+?.()|]/g, '\\\\$&');
}

export function panelQueries(path: string): PanelQuery[] {
  const dashboard = loadDashboard(path);
  return dataPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      id: `${dashboard.title} / ${panel.title ?? '(untitled)'} / ${target.refId ?? '?'}`,
      key: `${panel.title ?? ''}/${target.refId ?? ''}`,
      expr: target.expr ?? '',
    })),
  );
}

export const instanceAllReason = (query: PanelQuery): string | undefined => INSTANCE_ALL_TARGETS[query.key];

/** Replaces Grafana's variables; throws on one it does not know, so a new variable is noticed. */
export function substitute(expr: string, selection: Selection, instanceAll = false): string {
  const result = expr
    .replaceAll('$__rate_interval', RATE_INTERVAL)
    .replaceAll('$__range', RANGE)
    .replaceAll('$__interval', INTERVAL)
    .replace(/\$service\b/g, grafanaRegex(selection.service))
    .replace(/\$job\b/g, grafanaRegex(selection.job))
    .replace(/\$instance\b/g, instanceAll ? ALL : grafanaRegex(selection.instance))
    .replace(/\$provider\b/g, grafanaRegex(selection.provider));
  if (result.includes('$')) throw new Error(`unknown Grafana variable left in: ${result}`);
  return result;
}

export interface VariableQuery {
  name: keyof Selection;
  label: string;
  selector: string;
}

/** The `label_values(selector, label)` variables, which fill the drop-downs from Prometheus. */
export function variableQueries(path: string, selection: Selection): VariableQuery[] {
  return loadDashboard(path).templating.list.flatMap((variable: VariableJson) => {
    const match =
      variable.type === 'query' ? /^label_values\((.*),\s*(\w+)\)$/.exec(variable.query ?? '') : null;
    if (!match?.[1] || !match[2]) return [];
    if (!(variable.name in selection)) throw new Error(`unknown dashboard variable ${variable.name}`);
    return [
      { name: variable.name as keyof Selection, label: match[2], selector: substitute(match[1], selection) },
    ];
  });
}

/** One panel target by title and refId, with the selection substituted: for checks of its values. */
export function panelExpr(
  path: string,
  title: string,
  refId: string,
  selection: Selection,
  instanceAll = false,
): string {
  const query = panelQueries(path).find((q) => q.key === `${title}/${refId}`);
  if (query === undefined) throw new Error(`${path} has no panel "${title}" with target ${refId}`);
  return substitute(query.expr, selection, instanceAll);
}
