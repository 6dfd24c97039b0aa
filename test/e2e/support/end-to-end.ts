/**
 * End to end, all real: Debian's Prometheus gets the metrics of two instances of a service
 * running the plugin against fake providers (scraped, or pushed over OTLP and remote-written),
 * evaluates the shipped rules (test copy: shorter `for:`, see README.md) and sends to Debian's
 * Alertmanager, configured as the shipped example routes it, whose webhook is a server in this
 * test. One instance's OpenAI fails, then recovers.
 *
 * Two instances, each with a healthy Anthropic next to OpenAI, because the example's inhibit
 * rules suppress AiProviderCircuitOpen whenever AiProviderCircuitOpenOnMostInstances (one
 * instance of one is "most") or AiProviderAllProvidersUnavailable fires for the same target.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { recordNames } from '../../../src/mixin/alerts/recording-rules.js';
import { DEFAULT_THRESHOLDS } from '../../../src/mixin/config/thresholds.js';
import { prometheusName } from '../../../src/telemetry/metric-names.js';
import { assertBuilt } from '../../intercept/support/child-session.js';
import { promtoolTest } from '../../mixin/alerts/promtool-checks.js';
import { ROOT } from '../../mixin/dashboards/load.js';
import { unitTestPath } from '../../mixin/defaults.js';
import { renderAnnotation } from './annotations.js';
import { committedRules, SHORTENED_ALERTS } from './configs.js';
import {
  dashboardsOf,
  instanceAllReason,
  panelExpr,
  panelQueries,
  type Selection,
  substitute,
  variableQueries,
} from './panels.js';
import type { PrometheusApi } from './prometheus-api.js';
import { OPENAI_OK, SERVICE_NAME, Stack, type Transport } from './stack.js';
import { waitFor } from './wait.js';
import { findAlert, type Notification, type WebhookAlert } from './webhook.js';

const ALERT = 'AiProviderCircuitOpen';
const RECORD = recordNames(DEFAULT_THRESHOLDS);
const NOTIFY_TIMEOUT_MS = 45_000;

/** `name{a="b",…}` of a promtool input series -> its name and label names. */
function nameAndKeys(series: string): { name: string; keys: string[] } {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}$/.exec(series);
  if (!match?.[1]) throw new Error(`unexpected input series ${series}`);
  const keys = [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((m) => m[1] ?? '');
  return { name: match[1], keys: keys.sort() };
}

export interface EndToEnd {
  stack: Stack;
  prometheus(): PrometheusApi;
  /** The drop-downs set to the failing instance's OpenAI, as someone looking into the outage would. */
  selection(): Selection;
}

/**
 * The scenario, its alert checks and its dashboard checks, for one transport. The stack starts
 * before the file's first test and stops after its last, so a test file may add checks of its own.
 */
export function describeEndToEnd(transport: Transport): EndToEnd {
  const stack = new Stack(transport);
  const [OVERVIEW_DASHBOARD, PROVIDER_DASHBOARD] = dashboardsOf(stack.naming);
  const timings: Record<string, number> = {};
  /** When the outage began and its notification arrived (ms since the epoch), for the fleet row. */
  const moments: { outageAt?: number; firingAt?: number } = {};

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
  const selection = (): Selection => ({
    service: SERVICE_NAME,
    job: stack.job,
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
        stack.assertHealthy();
        return findAlert(notifications(), isOurAlert(status));
      },
      NOTIFY_TIMEOUT_MS,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nnotifications: ${JSON.stringify(notifications())}\n${stack.logs()}`);
    });
  }

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
    console.info(`e2e timings (${transport}, ms):`, JSON.stringify(timings));
  }, 30_000);

  describe(`Prometheus + Alertmanager end to end (${transport === 'scrape' ? 'scraped' : 'OTLP, remote-written'})`, () => {
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
      moments.outageAt = outageAt;
      service.openai.setDefault({ status: 500 });
      const { notification, alert } = await awaitNotification('firing');
      timings.outageToFiringNotification = notification.receivedAt - outageAt;
      moments.firingAt = notification.receivedAt;

      expect(notification.path).toBe('/alerts/warning');
      expect(alert.labels).toMatchObject({ severity: 'warning', job: stack.job });
      const rule = committedRules(stack.naming)
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
        `${prometheusName('circuitState', stack.naming)}{instance="${service.instance}",gen_ai_provider_name="openai",ai_provider_circuit_state="closed"} == 1`,
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

    describe("the overview's fleet row names the replica that tripped, and when", () => {
      const overview = (title: string, refId: string) =>
        prometheus().query(panelExpr(OVERVIEW_DASHBOARD, title, refId, selection(), true));

      it('lists the failing instance only, closed again, tripped once between the outage and the notification', async () => {
        const [now, lastTrip, trips] = await Promise.all(
          ['A', 'B', 'C'].map((refId) => overview('Tripped replicas', refId)),
        );
        const instances = (samples: Awaited<ReturnType<typeof overview>>) =>
          samples.map((s) => s.metric.instance);
        for (const samples of [now, lastTrip, trips])
          expect(instances(samples ?? [])).toEqual([failing().instance]);
        expect(Number(now?.[0]?.value[1])).toBe(0); // closed again
        expect(Number(trips?.[0]?.value[1])).toBe(1);
        const trippedAt = Number(lastTrip?.[0]?.value[1]);
        // To within the evaluation interval (1s) and the scrape that saw the trip (1s).
        expect(trippedAt).toBeGreaterThanOrEqual((moments.outageAt ?? Number.NaN) - 2_000);
        expect(trippedAt).toBeLessThanOrEqual(moments.firingAt ?? Number.NaN);
      });

      it('counted one replica with the circuit open during the outage, none now', async () => {
        const series = await overview('Replicas with the circuit open', 'A');
        const openai = series.find((s) => s.metric.gen_ai_provider_name === 'openai');
        expect(Number(openai?.value[1])).toBe(0);
        const during = await prometheus().query(
          `max_over_time((${panelExpr(OVERVIEW_DASHBOARD, 'Replicas with the circuit open', 'A', selection(), true)})[5m:1s])`,
        );
        expect(during.map((s) => [s.metric.gen_ai_provider_name, Number(s.value[1])]).sort()).toEqual([
          ['anthropic', 0],
          ['openai', 1],
        ]);
      });
    });

    describe.each([OVERVIEW_DASHBOARD, PROVIDER_DASHBOARD])('%s', (path) => {
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
        console.info(
          `${path} (${transport}): ${queries.length - empty.length} of ${queries.length} panel queries returned data`,
        );
        expect(empty).toEqual([]);
      }, 30_000);
    });
  });

  describe(`the ${stack.naming} promtool tests, against this data`, () => {
    const testFile = join(ROOT, unitTestPath(stack.naming));

    it('every input series has a name and a label set that the real data has', async () => {
      const tests = (
        parse(readFileSync(testFile, 'utf8')) as { tests: { input_series: { series: string }[] }[] }
      ).tests;
      const wanted = tests.flatMap((t) => t.input_series.map((s) => nameAndKeys(s.series)));
      const real = new Map<string, Set<string>>();
      for (const labels of await prometheus().series('{__name__=~"ai_provider_.+|up"}')) {
        const { __name__: name = '', ...rest } = labels;
        real.set(name, (real.get(name) ?? new Set()).add(Object.keys(rest).sort().join(',')));
      }
      const missing = wanted.filter(({ name, keys }) => !real.get(name)?.has(keys.join(',')));
      console.info(
        `${stack.naming} promtool input series checked against the real data: ${wanted.length}, of ${new Set(wanted.map((w) => w.name)).size} metrics`,
      );
      expect(new Set(wanted.map((w) => w.name)).size).toBeGreaterThanOrEqual(5);
      expect(missing, JSON.stringify([...real].map(([n, k]) => [n, [...k]]))).toEqual([]);
    });

    it('they pass: every alert pending, then firing with its labels and annotations, then resolved', () => {
      const result = promtoolTest(testFile);
      expect(result.status, result.output).toBe(0);
      expect(result.output).toContain('SUCCESS');
    });
  });

  return { stack, prometheus, selection };
}
