/** Incident shapes, each a function of time since it began, laid over healthy traffic. */
import { type Conditions, type Incident, MINUTE, NORMAL, SECOND } from './traffic.js';

export interface Shape {
  name: string;
  /** How long the incident lasts. */
  lastsMs: number;
  /** What the provider does at `sinceMs` into the incident. */
  at: Incident extends (t: number, ...rest: infer R) => Conditions
    ? (sinceMs: number, ...rest: R) => Conditions
    : never;
}

const ramp = (sinceMs: number, overMs: number): number => Math.min(1, Math.max(0, sinceMs / overMs));

export const SHAPES: readonly Shape[] = [
  {
    name: 'sudden outage',
    lastsMs: 10 * MINUTE,
    at: () => ({ latency: 1, failure: 1, failureKind: 'connection_error' }),
  },
  {
    name: 'slow ramp of errors',
    // From nothing to 60% of requests failing (HTTP 503) over 20 minutes.
    lastsMs: 30 * MINUTE,
    at: (since) => ({ latency: 1, failure: 0.6 * ramp(since, 20 * MINUTE), failureKind: 'provider_error' }),
  },
  {
    name: 'latency creep, then errors',
    // Times to first byte grow to 4x over 15 minutes, then requests start timing out (to 50%).
    lastsMs: 25 * MINUTE,
    at: (since) => ({
      latency: 1 + 3 * ramp(since, 15 * MINUTE),
      failure: 0.5 * ramp(since - 15 * MINUTE, 5 * MINUTE),
      failureKind: 'timeout',
    }),
  },
  {
    name: 'flapping',
    // 45 s of failures every 5 minutes, four times.
    lastsMs: 20 * MINUTE,
    at: (since) =>
      since % (5 * MINUTE) < 45 * SECOND ? { latency: 1, failure: 1, failureKind: 'provider_error' } : NORMAL,
  },
  {
    name: 'regional brownout',
    // One of two endpoints (half the requests) fails 40% of its requests and is twice as slow.
    lastsMs: 20 * MINUTE,
    at: (_since, random) =>
      random.next() < 0.5 ? { latency: 2, failure: 0.4, failureKind: 'provider_error' } : NORMAL,
  },
];
