/** Reads committed dashboards and walks their panels, queries and variables. */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PrometheusNaming } from '../../../src/telemetry/metric-names.js';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface Target {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}

export interface PanelJson {
  id?: number;
  type: string;
  title?: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: Target[];
}

export interface VariableJson {
  name: string;
  type: string;
  query?: string;
  datasource?: { uid?: string };
}

export interface DashboardJson {
  uid: string;
  title: string;
  schemaVersion: number;
  __inputs?: unknown;
  panels: PanelJson[];
  templating: { list: VariableJson[] };
}

/** A dashboard by its repository-relative path (or an absolute one, for generated files). */
export function loadDashboard(path: string): DashboardJson {
  return JSON.parse(readFileSync(isAbsolute(path) ? path : join(ROOT, path), 'utf8')) as DashboardJson;
}

export const namingOf = (path: string): PrometheusNaming => (path.includes('-otlp') ? 'otlp' : 'builtin');

export const dataPanels = (d: DashboardJson): PanelJson[] => d.panels.filter((p) => p.type !== 'row');

export function expressions(d: DashboardJson): string[] {
  return dataPanels(d).flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));
}

/** The series selector inside a Grafana `label_values(selector, label)` variable query. */
export function variableSelectors(d: DashboardJson): string[] {
  return d.templating.list.flatMap((v) => {
    const match = v.type === 'query' ? /^label_values\((.*),\s*\w+\)$/.exec(v.query ?? '') : null;
    return match?.[1] ? [match[1]] : [];
  });
}

/** Concrete values for Grafana's variables so that promtool can parse an expression. */
export function substituteVariables(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__range', '6h')
    .replaceAll('$__interval', '30s')
    .replace(/\$(service|job|instance|provider)\b/g, '.+');
}
