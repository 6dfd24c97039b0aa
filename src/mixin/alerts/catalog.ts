/**
 * Every alert, in the order of the rule file. Adding one is one entry here (its definition says
 * its rule, severity, default `for:` and promtool scenarios) plus its section in docs/runbooks.md.
 */
import { metricsAbsent } from './absence-alert.js';
import type { AlertDefinition } from './alert.js';
import {
  allProvidersUnavailable,
  circuitFlapping,
  circuitOpen,
  circuitOpenOnMostInstances,
} from './breaker-alerts.js';
import { budgetExhausted } from './budget-alerts.js';
import { highFailureRate, latencyDegraded, rateLimited } from './traffic-alerts.js';
import { degradingTrend } from './trend-alerts.js';

export const ALERTS: readonly AlertDefinition[] = [
  circuitOpen,
  circuitOpenOnMostInstances,
  allProvidersUnavailable,
  circuitFlapping,
  degradingTrend,
  highFailureRate,
  latencyDegraded,
  rateLimited,
  budgetExhausted,
  metricsAbsent,
];

export const ALERT_NAMES: readonly string[] = ALERTS.map((a) => a.alert);

export {
  allProvidersUnavailable,
  budgetExhausted,
  circuitFlapping,
  circuitOpen,
  circuitOpenOnMostInstances,
  degradingTrend,
  highFailureRate,
  latencyDegraded,
  metricsAbsent,
  rateLimited,
};
