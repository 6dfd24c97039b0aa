/** A provider's budget (providers.<name>.budget) spent on an instance: it is degraded or rejecting. */
import { by, L, metric, sel } from '../promql.js';
import type { AlertDefinition } from './alert.js';
import { groupings } from './recording-rules.js';
import { ANTHROPIC, between, forMinutes, OPENAI, pendingAndFiring } from './scenario-kit.js';
import { label } from './templates.js';
import { budget } from './test-series.js';

const P = label(L.provider);
const JOB = label('job');
const INSTANCE = label('instance');

const EXHAUSTED = 'AiProviderBudgetExhausted';
export const budgetExhausted: AlertDefinition = {
  alert: EXHAUSTED,
  severity: 'warning',
  defaultFor: '5m',
  expr(m) {
    const { perBreaker } = groupings(m);
    const spent = sel(metric('budgetSpent', m.naming), m.selector);
    const limit = sel(metric('budgetLimit', m.naming), m.selector);
    return `max ${by(perBreaker)} (${spent}) >= max ${by(perBreaker)} (${limit})`;
  },
  summary: () => `${P} has spent its budget for ${JOB}.`,
  description: (m) =>
    `${P} on ${INSTANCE} (job ${JOB}) has spent its configured budget for the window (providers.<name>.budget) for more than ${m.forOf(EXHAUSTED)}: it is degraded (reason budget) and pickHealthy() ranks it after healthy providers; with budgetAction reject its requests are answered locally (outcome budget_exceeded) until the window frees up.`,
  scenarios(m, t) {
    const f = forMinutes(m, EXHAUSTED);
    const A = t.at('a');
    const start = 5;
    const end = start + f + 6;
    const minutes = end + 10;
    const n = m.naming;
    // Spend climbs to the limit of 50, stays there, then leaves the window; Anthropic stays under.
    const spent = (s: number) => (between(start, end)(s) ? 50 : s < start ? 10 * (s / start) : 20);
    return [
      {
        name: `budget of 50 spent for ${end - start + 1} minutes; a provider under its budget does not fire`,
        minutes,
        series: [
          budget(n, 'budgetSpent', A, OPENAI, spent, minutes),
          budget(n, 'budgetLimit', A, OPENAI, () => 50, minutes),
          budget(n, 'budgetSpent', A, ANTHROPIC, () => 49, minutes),
          budget(n, 'budgetLimit', A, ANTHROPIC, () => 50, minutes),
        ],
        ...pendingAndFiring(start, f),
        firing: [{ labels: { ...A, [L.provider]: OPENAI }, value: 50 }],
        resolvedAt: end + 3,
      },
    ];
  },
};
