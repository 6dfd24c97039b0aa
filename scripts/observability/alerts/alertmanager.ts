/**
 * An example Alertmanager configuration for these alerts: routes by `severity` to webhook
 * receivers and keeps one page per incident through inhibition.
 */
import { L } from '../promql.js';
import { ALERT } from './alert-rules.js';

/** Where the example's webhooks post; a local receiver such as alertmanager-webhook-logger. */
export const WEBHOOK_BASE = 'http://127.0.0.1:5001/alerts';

export function alertmanagerExample() {
  return {
    route: {
      receiver: 'warning-webhook',
      group_by: ['alertname', 'job', L.provider],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        {
          receiver: 'critical-webhook',
          matchers: ['severity="critical"'],
          group_wait: '10s',
          repeat_interval: '1h',
        },
        { receiver: 'warning-webhook', matchers: ['severity="warning"'] },
      ],
    },
    receivers: [
      {
        name: 'critical-webhook',
        webhook_configs: [{ url: `${WEBHOOK_BASE}/critical`, send_resolved: true }],
      },
      { name: 'warning-webhook', webhook_configs: [{ url: `${WEBHOOK_BASE}/warning`, send_resolved: true }] },
    ],
    inhibit_rules: [
      // An instance that can reach no provider needs one page, not one per provider.
      {
        source_matchers: [`alertname="${ALERT.allProvidersUnavailable}"`],
        target_matchers: [`alertname="${ALERT.circuitOpen}"`],
        equal: ['job', 'instance'],
      },
      // A provider down for the whole service: the per-instance alerts add nothing.
      {
        source_matchers: [`alertname="${ALERT.circuitOpenOnMostInstances}"`],
        target_matchers: [`alertname="${ALERT.circuitOpen}"`],
        equal: ['job', L.provider],
      },
    ],
  };
}
