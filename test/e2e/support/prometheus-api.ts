/** The parts of Prometheus' and Alertmanager's HTTP APIs the test reads. */
import { fetchJson } from './wait.js';

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

async function api<T>(url: string): Promise<T> {
  const answer = await fetchJson<ApiAnswer<T>>(url);
  if (answer.status !== 'success') throw new Error(`${url}: ${answer.error}`);
  return answer.data;
}

export interface PrometheusApi {
  readonly url: string;
  /** Instant query; throws on a PromQL error, so a broken panel query fails loudly. */
  query(expr: string): Promise<Sample[]>;
  /** Values of `label` on the series `selector` matches, as Grafana's `label_values` reads them. */
  labelValues(label: string, selector: string): Promise<string[]>;
  activeAlerts(): Promise<{ labels: Record<string, string>; state: string }[]>;
  /** Label sets of every series `selector` matches, over all stored time. */
  series(selector: string): Promise<Record<string, string>[]>;
  /** The Alertmanager URLs the notifier sends to now (none until its discovery first runs). */
  alertmanagers(): Promise<string[]>;
}

export function prometheusApi(url: string): PrometheusApi {
  return {
    url,
    async query(expr) {
      const data = await api<{ resultType: string; result: Sample[] }>(
        `${url}/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      return data.result;
    },
    labelValues: (label, selector) =>
      api<string[]>(`${url}/api/v1/label/${label}/values?match[]=${encodeURIComponent(selector)}`),
    series: (selector) =>
      api<Record<string, string>[]>(`${url}/api/v1/series?match[]=${encodeURIComponent(selector)}`),
    async activeAlerts() {
      const data = await api<{ alerts: { labels: Record<string, string>; state: string }[] }>(
        `${url}/api/v1/alerts`,
      );
      return data.alerts;
    },
    async alertmanagers() {
      const data = await api<{ activeAlertmanagers: { url: string }[] }>(`${url}/api/v1/alertmanagers`);
      return data.activeAlertmanagers.map((am) => am.url);
    },
  };
}
