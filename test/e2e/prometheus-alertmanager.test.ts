/**
 * End to end, all real: Debian's Prometheus scrapes two instances of a service running the
 * plugin against fake providers, evaluates the shipped rules (test copy: shorter `for:`, see
 * README.md) and sends to Debian's Alertmanager, configured as the shipped example routes it,
 * whose webhook is a server in this test. One instance's OpenAI fails, then recovers.
 *
 * Two instances, each with a healthy Anthropic next to OpenAI, because the example's inhibit
 * rules suppress AiProviderCircuitOpen whenever AiProviderCircuitOpenOnMostInstances (one
 * instance of one is "most") or AiProviderAllProvidersUnavailable fires for the same target.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD } from '../../scripts/observability/alerts/recording-rules.js';
import { assertBuilt } from '../intercept/support/child-session.js';
import { report } from '../support/report.js';
import { renderAnnotation } from './support/annotations.js';
import { committedRules, JOB, SHORTENED_ALERTS } from './support/configs.js';
import {
  BUILTIN_DASHBOARDS,
  instanceAllReason,
  panelExpr,
  panelQueries,
  type Selection,
  substitute,
  variableQueries,
} from './support/panels.js';
import { OPENAI_OK, SERVICE_NAME, Stack } from './support/stack.js';
import { waitFor } from './support/wait.js';
import { findAlert, type Notification, type WebhookAlert } from './support/webhook.js';

const ALERT = 'AiProviderCircuitOpen';
const NOTIFY_TIMEOUT_MS = 45_000;

const PROVIDER_DASHBOARD = 'dashboards/provider-health-provider.json';

const stack = new Stack();
const timings: Record<string, number> = {};

// A start failure (a missing Debian package above all) is rethrown by every test, so each one
// FAILS with the reason: vitest would report a failed beforeAll's tests as skipped.
let startError: unknown;

function need<T>(value: T | undefined, what: string): T {
  if (startError !== undefined) throw startError;
  if (value === undefined) throw new Error(`${what} did not start`);
  return value;
}

const failing = () => need(stack.services.failing, 'the failing service');
const prometheus = () => need(stack.prometheus, 'Prometheus');
/** The drop-downs set to the failing instance's OpenAI, as someone looking into the outage would. */
const selection = (): Selection => ({
  service: SERVICE_NAME,
  job: JOB,
  instance: failing().instance,
  provider: 'openai',
});
const notifications = (): readonly Notification[] => need(stack.webhook, 'the webhook').notifications;

const isOurAlert = (status: WebhookAlert['status']) => (alert: WebhookAlert) =>
  alert.status === status &&
  alert.labels.alertname === ALERT &&
  alert.labels.instance === failing().instance &&
  alert.labels.gen_ai_provider_name === 'openai';

function awaitNotification(status: WebhookAlert['status']) {
  return waitFor(
    `a ${status} ${ALERT} notification at the webhook`,
    async () => {
      for (const p of stack.processes) p.assertRunning();
      return findAlert(notifications(), isOurAlert(status));
    },
    NOTIFY_TIMEOUT_MS,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\nnotifications: ${JSON.stringify(notifications())}\n${stack.logs()}`);
  });
}

describe('Prometheus + Alertmanager end to end', () => {
  beforeAll(async () => {
    try {
      assertBuilt();
      await stack.start();
    } catch (error) {
      startError = error;
    }
  }, 90_000);

  afterAll(async () => {
    await stack.close();
    report('e2e timings (ms):', timings);
  }, 30_000);

  it('fires AiProviderCircuitOpen for the failing instance and delivers it to the warning webhook', async () => {
    const service = failing();
    // A few 429s first (no trip: rate limiting does not count by default), for the rate-limit panels.
    service.openai.script([{ status: 429 }, { status: 429, type: 'insufficient_quota' }, { status: 429 }]);
    await waitFor(
      'the 429s scraped',
      async () => {
        const limited = await prometheus().query(
          `ai_provider_requests_total{instance="${service.instance}",ai_provider_outcome=~"rate_limited|quota_exhausted"}`,
        );
        return limited.length === 2 ? true : undefined;
      },
      15_000,
    );

    const outageAt = Date.now();
    service.openai.setDefault({ status: 500 });
    const { notification, alert } = await awaitNotification('firing');
    timings.outageToFiringNotification = notification.receivedAt - outageAt;

    expect(notification.path).toBe('/alerts/warning');
    expect(alert.labels).toMatchObject({ severity: 'warning', job: JOB });
    const rule = committedRules()
      .groups.flatMap((group) => group.rules)
      .find((r) => r.alert === ALERT);
    const expected = Object.fromEntries(
      Object.entries(rule?.annotations ?? {}).map(([key, text]) => [
        key,
        renderAnnotation(text, alert.labels),
      ]),
    );
    expect(Object.keys(expected).sort()).toEqual(['description', 'runbook_url', 'summary']);
    expect(alert.annotations).toEqual(expected);

    // Only the failing instance: the healthy one's circuit stayed closed.
    const firing = (await prometheus().activeAlerts()).filter(
      (a) => a.labels.alertname === ALERT && a.state === 'firing',
    );
    expect(firing.map((a) => a.labels.instance)).toEqual([service.instance]);
  }, 90_000);

  it('sends the resolved notification once the provider recovers and the circuit closes', async () => {
    const service = failing();
    const recoveredAt = Date.now();
    service.openai.setDefault(OPENAI_OK);
    const { notification } = await awaitNotification('resolved');
    timings.recoveryToResolvedNotification = notification.receivedAt - recoveredAt;
    expect(notification.path).toBe('/alerts/warning');
    expect(notification.status).toBe('resolved');

    const closed = await prometheus().query(
      `ai_provider_circuit_state{instance="${service.instance}",gen_ai_provider_name="openai",ai_provider_circuit_state="closed"} == 1`,
    );
    expect(closed).toHaveLength(1);
  }, 90_000);

  it('notified nothing else: the other breaker alerts (also with a 2s for:) did not match', () => {
    // One instance of two open is not "most"; Anthropic stayed up, so not "all providers".
    const names = new Set(notifications().flatMap((n) => n.alerts.map((a) => a.labels.alertname)));
    expect([...names]).toEqual([ALERT]);
    expect(SHORTENED_ALERTS).toContain(ALERT);
    expect(notifications().filter((n) => n.path !== '/alerts/warning')).toEqual([]);
  });

  describe('the provider dashboard tells the outage', () => {
    const value = async (title: string, refId = 'A'): Promise<number[]> =>
      (await prometheus().query(panelExpr(PROVIDER_DASHBOARD, title, refId, selection()))).map((s) =>
        Number(s.value[1]),
      );

    it('shows rejected requests, the 429s and the announced headroom', async () => {
      expect((await value('Saved in range'))[0]).toBeGreaterThan(0);
      const outcomes = await prometheus().query(
        panelExpr(PROVIDER_DASHBOARD, 'Requests by outcome', 'A', selection()),
      );
      expect(new Set(outcomes.map((s) => s.metric.ai_provider_outcome))).toEqual(
        new Set(['success', 'rate_limited', 'quota_exhausted', 'provider_error', 'rejected']),
      );
      // 420 of 500 requests and 21000 of 30000 tokens left, as the fake's headers announced.
      expect((await value('Rate-limit headroom')).sort((a, b) => a - b)).toEqual([0.7, 0.84]);
      expect(await value('Health status')).toEqual([0]);
    });

    // Transition series are exported at 0 before the first transition, so increase() counts the
    // first trip of a process (a series first seen at 1 would hide it, and the flapping alert with it).
    it('counts the trip in "Trips in 30m"', async () => {
      expect((await value('Trips in 30m'))[0]).toBeGreaterThanOrEqual(1);
    });
  });

  describe.each(BUILTIN_DASHBOARDS)('%s', (path) => {
    it('fills every variable drop-down with the selected value', async () => {
      const missing: string[] = [];
      for (const variable of variableQueries(path, selection())) {
        const values = await prometheus().labelValues(variable.label, variable.selector);
        if (!values.includes(selection()[variable.name]))
          missing.push(`${variable.name}: ${variable.selector} -> ${JSON.stringify(values)}`);
      }
      expect(missing).toEqual([]);
    });

    it('returns data for every target of every panel', async () => {
      const api = prometheus();
      // The baseline trails by the test copy's offset: data of the first seconds must age first.
      await waitFor(
        'the latency baseline recorded',
        async () => ((await api.query(RECORD.ttfbBaselineP95)).length > 0 ? true : undefined),
        20_000,
      );
      const queries = panelQueries(path);
      expect(queries.length).toBeGreaterThan(10);
      const empty: string[] = [];
      for (const query of queries) {
        const expr = substitute(query.expr, selection(), instanceAllReason(query) !== undefined);
        const result = await api.query(expr);
        if (result.length === 0) empty.push(`${query.id}: ${expr}`);
      }
      expect(empty).toEqual([]);
    }, 30_000);
  });
});
