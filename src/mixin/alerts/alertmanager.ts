/**
 * An example Alertmanager configuration for these alerts: routes by `severity` to webhook
 * receivers and keeps one page per incident through inhibition.
 */
import type { Mixin } from '../mixin.js';
import { L } from '../promql.js';
import { allProvidersUnavailable, circuitOpen, circuitOpenOnMostInstances } from './catalog.js';

/** Where the example's webhooks post; a local receiver such as alertmanager-webhook-logger. */
export const WEBHOOK_BASE = 'http://127.0.0.1:5001/alerts';

/** Groups by alert, service and provider: the labels every alert's summary names. */
export function alertmanagerExample(m: Mixin) {
  return {
    route: {
      receiver: 'warning-webhook',
      group_by: ['alertname', ...m.service, L.provider],
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
        source_matchers: [`alertname="${allProvidersUnavailable.alert}"`],
        target_matchers: [`alertname="${circuitOpen.alert}"`],
        equal: [...m.service, 'instance'],
      },
      // A provider down for the whole service: the per-instance alerts add nothing.
      {
        source_matchers: [`alertname="${circuitOpenOnMostInstances.alert}"`],
        target_matchers: [`alertname="${circuitOpen.alert}"`],
        equal: [...m.service, L.provider],
      },
    ],
  };
}
