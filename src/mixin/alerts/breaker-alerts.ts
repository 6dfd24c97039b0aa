/** Alerts on breaker state: open on one instance, on most, on every provider; flapping. */
import { durationMinutes } from '../config/durations.js';
import type { Mixin } from '../mixin.js';
import { L, sel } from '../promql.js';
import { type AlertDefinition, pct } from './alert.js';
import { recordNames } from './recording-rules.js';
import {
  ANTHROPIC,
  alwaysClosed,
  between,
  forMinutes,
  OPENAI,
  openDuring,
  pendingAndFiring,
} from './scenario-kit.js';
import { label, VALUE } from './templates.js';
import { circuit, transitions } from './test-series.js';

const P = label(L.provider);
const JOB = label('job');
const INSTANCE = label('instance');
const R = (m: Mixin) => recordNames(m.thresholds);

const CIRCUIT_OPEN = 'AiProviderCircuitOpen';
export const circuitOpen: AlertDefinition = {
  alert: CIRCUIT_OPEN,
  severity: 'warning',
  defaultFor: '2m',
  expr: (m) => `${sel(R(m).notClosed, m.selector)} == 1`,
  summary: () => `Circuit for ${P} is open on instances of ${JOB}.`,
  description: (m) =>
    `The circuit breaker for ${P} on ${INSTANCE} (job ${JOB}) has been open or half-open for more than ${m.forOf(CIRCUIT_OPEN)}: its requests are answered locally (a 400 no client retries) instead of reaching the provider.`,
  scenarios(m, t) {
    const f = forMinutes(m, CIRCUIT_OPEN);
    const [A, B] = [t.at('a'), t.at('b')];
    const start = 5;
    const end = start + f + 6;
    const minutes = end + 10;
    return [
      {
        name: `open on one instance for ${end - start + 1} minutes`,
        minutes,
        series: [
          ...circuit(m.naming, A, OPENAI, openDuring(start, end), minutes),
          ...circuit(m.naming, B, OPENAI, alwaysClosed, minutes),
        ],
        ...pendingAndFiring(start, f),
        firing: [{ labels: { ...A, [L.provider]: OPENAI } }],
        resolvedAt: end + 3,
      },
    ];
  },
};

const MOST_INSTANCES = 'AiProviderCircuitOpenOnMostInstances';
export const circuitOpenOnMostInstances: AlertDefinition = {
  alert: MOST_INSTANCES,
  severity: 'warning',
  defaultFor: '2m',
  expr: (m) => `${sel(R(m).notClosedShare, m.selector)} > ${m.thresholds.mostInstancesShare}`,
  summary: () => `Circuit for ${P} is open on most instances of ${JOB}.`,
  description: (m) =>
    `The circuit for ${P} has been open or half-open on ${VALUE.percentage} of the instances of ${JOB} for more than ${m.forOf(MOST_INSTANCES)} (alerting above ${pct(m.thresholds.mostInstancesShare)}): the provider is failing for the service, not for one instance.`,
  scenarios(m, t) {
    const f = forMinutes(m, MOST_INSTANCES);
    const instances = [t.at('a'), t.at('b'), t.at('c')];
    // Three instances: just above the share for OpenAI, at or below it for Anthropic.
    const above = Math.floor(m.thresholds.mostInstancesShare * 3) + 1;
    const atOrBelow = above - 1;
    const start = 5;
    const end = start + f + 6;
    const minutes = end + 10;
    const stateOf = (i: number, openCount: number) => (i < openCount ? openDuring(start, end) : alwaysClosed);
    return [
      {
        name: `open on ${above} of 3 instances for openai, ${atOrBelow} of 3 for anthropic`,
        minutes,
        series: instances.flatMap((target, i) => [
          ...circuit(m.naming, target, OPENAI, stateOf(i, above), minutes),
          ...circuit(m.naming, target, ANTHROPIC, stateOf(i, atOrBelow), minutes),
        ]),
        ...pendingAndFiring(start, f),
        firing: [{ labels: { ...t.service, [L.provider]: OPENAI }, value: above / 3 }],
        resolvedAt: end + 3,
      },
    ];
  },
};

const ALL_PROVIDERS = 'AiProviderAllProvidersUnavailable';
export const allProvidersUnavailable: AlertDefinition = {
  alert: ALL_PROVIDERS,
  severity: 'critical',
  defaultFor: '2m',
  expr: (m) => `min by (${[...m.service, 'instance'].join(', ')}) (${sel(R(m).notClosed, m.selector)}) == 1`,
  summary: () => `No AI provider is reachable from instances of ${JOB}.`,
  description: (m) =>
    `Every provider circuit on ${INSTANCE} (job ${JOB}) has been open or half-open for more than ${m.forOf(ALL_PROVIDERS)}: no AI request from this instance can succeed, fallbacks included.`,
  scenarios(m, t) {
    const f = forMinutes(m, ALL_PROVIDERS);
    const [A, B] = [t.at('a'), t.at('b')];
    const start = 5;
    const end = start + f + 6;
    const minutes = end + 10;
    const halfOpenOnce = (s: number): 'open' | 'half_open' | 'closed' =>
      between(start, end)(s) ? (s === start + 1 ? 'half_open' : 'open') : 'closed';
    return [
      {
        name: 'both providers open (one half-open a while) on one instance, one of two on another',
        minutes,
        series: [
          ...circuit(m.naming, A, OPENAI, openDuring(start, end), minutes),
          ...circuit(m.naming, A, ANTHROPIC, halfOpenOnce, minutes),
          ...circuit(m.naming, B, OPENAI, openDuring(start, end), minutes),
          ...circuit(m.naming, B, ANTHROPIC, alwaysClosed, minutes),
        ],
        ...pendingAndFiring(start, f),
        firing: [{ labels: A }],
        resolvedAt: end + 3,
      },
    ];
  },
};

const FLAPPING = 'AiProviderCircuitFlapping';
export const circuitFlapping: AlertDefinition = {
  alert: FLAPPING,
  severity: 'warning',
  defaultFor: '5m',
  expr: (m) => `${sel(R(m).trips, m.selector)} >= ${m.thresholds.flappingTrips}`,
  summary: () => `Circuit for ${P} is flapping on instances of ${JOB}.`,
  description: (m) =>
    `The circuit for ${P} on ${INSTANCE} (job ${JOB}) went from closed to open at least ${m.thresholds.flappingTrips} times in ${m.thresholds.flappingWindow}: the provider fails intermittently, or the thresholds are too tight for its error rate.`,
  scenarios(m, t) {
    const f = forMinutes(m, FLAPPING);
    const trips = m.thresholds.flappingTrips;
    const window = durationMinutes(m.thresholds.flappingWindow);
    // A train of trips dense enough that any window holds one more than needed, whatever the edges.
    const gap = Math.max(1, Math.min(5, Math.floor((window - 2) / (trips + 1))));
    const first = 5;
    const nth = first + (trips - 1) * gap;
    const { pendingAt, firesAt } = pendingAndFiring(nth, f);
    const last = first + Math.ceil((firesAt + 1 - first) / gap) * gap;
    const resolvedAt = last + window + 2;
    const minutes = resolvedAt + 3;
    const isTrip = (s: number) => s >= first && s <= last && (s - first) % gap === 0;
    const after = (s: number, by: number) => (gap >= 3 ? isTrip(s - by) : isTrip(s));
    const [A, B] = [t.at('a'), t.at('b')];
    const once = (s: number) => (s === first ? 1 : 0);
    return [
      {
        name: `a trip every ${gap} minutes; a provider that stays down does not flap`,
        minutes,
        series: [
          transitions(m.naming, A, OPENAI, 'closed', 'open', (s) => (isTrip(s) ? 1 : 0), minutes),
          transitions(m.naming, A, OPENAI, 'open', 'half_open', (s) => (after(s, 1) ? 1 : 0), minutes),
          transitions(m.naming, A, OPENAI, 'half_open', 'closed', (s) => (after(s, 2) ? 1 : 0), minutes),
          transitions(m.naming, B, OPENAI, 'closed', 'open', once, minutes),
          transitions(
            m.naming,
            B,
            OPENAI,
            'open',
            'half_open',
            (s) => (s > first && s % 2 === 0 ? 1 : 0),
            minutes,
          ),
          transitions(
            m.naming,
            B,
            OPENAI,
            'half_open',
            'open',
            (s) => (s > first && s % 2 === 1 ? 1 : 0),
            minutes,
          ),
        ],
        pendingAt,
        firesAt,
        firing: [{ labels: { ...A, [L.provider]: OPENAI } }],
        resolvedAt,
      },
    ];
  },
};
