import { describe, expect, it } from 'vitest';
import type { BreakerCoordinator, SharedState, TrialResult } from '../../src/breaker/breaker-coordinator.js';
import type { BreakerOptions } from '../../src/breaker/breaker-options.js';
import { CircuitBreaker } from '../../src/breaker/circuit-breaker.js';
import { ADMITTED, REJECTED, type TransitionEvent } from '../../src/breaker/circuit-state.js';
import { ManualClock } from '../support/manual-clock.js';

/**
 * The breaker's side of the fleet port, on a manual clock. The port here records what the breaker
 * tells it and hands out the trial slots a test gives it; the real one (src/fleet/breaker-link.ts)
 * is tested against Redis in test/fleet/.
 */
class RecordingCoordinator implements BreakerCoordinator {
  readonly calls: string[] = [];
  readonly slots: number[] = [];
  readonly trials = new Map<number, TrialResult>();

  failure(detail: string | undefined, minOpenMs: number): void {
    this.calls.push(`failure ${detail} ${minOpenMs}`);
  }
  success(): void {
    this.calls.push('success');
  }
  tripped(reason: 'slow_call_rate', detail: string): void {
    this.calls.push(`tripped ${reason} ${detail}`);
  }
  takeTrialSlot(id: number): number | undefined {
    const slot = this.slots.shift();
    this.calls.push(slot === undefined ? 'ask' : `slot ${id}`);
    return slot;
  }
  trialEnded(id: number, result: TrialResult): void {
    this.trials.set(id, result);
    this.calls.push(
      `trial ${id} ${result.outcome}${result.outcome === 'failure' ? ` ${result.reason}` : ''}`,
    );
  }
  reset(): void {
    this.calls.push('reset');
  }
  forceOpen(durationMs: number | undefined): void {
    this.calls.push(`forceOpen ${durationMs}`);
  }
  healthCheckSucceeded(): void {
    this.calls.push('healthCheck');
  }
}

function setup(options: Partial<BreakerOptions> = {}) {
  const clock = new ManualClock();
  const events: TransitionEvent[] = [];
  const breaker = new CircuitBreaker('openai', { trialTimeoutMs: 30_000, ...options }, clock, (e) =>
    events.push(e),
  );
  const fleet = new RecordingCoordinator();
  breaker.coordinate(fleet);
  return { clock, events, breaker, fleet };
}

const shared = (state: Partial<SharedState> & Pick<SharedState, 'state'>): SharedState => ({
  retryInMs: undefined,
  forced: false,
  counting: false,
  reason: 'fleet',
  detail: undefined,
  ...state,
});

describe('a breaker sharing a fleet', () => {
  it('reports every failure while closed, and opens itself at once when its own run reaches the threshold', () => {
    const { breaker, fleet, events, clock } = setup();
    for (let i = 0; i < 4; i++) breaker.onFailure(breaker.admit(), 'HTTP 503');
    expect(breaker.state).toBe('closed');
    expect(events).toEqual([]);
    breaker.onFailure(breaker.admit(), 'HTTP 503', 90_000);
    expect(events).toEqual([expect.objectContaining({ to: 'open', reason: 'failure_threshold' })]);
    expect(breaker.retryAfterMs(clock.now())).toBe(90_000);
    expect(fleet.calls).toEqual([...Array(4).fill('failure HTTP 503 0'), 'failure HTTP 503 90000']);
  });

  it("a fleet count back at 0 (a success elsewhere) ends this replica's run of failures", () => {
    const { breaker, fleet, events } = setup();
    for (let i = 0; i < 4; i++) breaker.onFailure(breaker.admit(), 'HTTP 503');
    breaker.applyShared(shared({ state: 'closed', counting: true }));
    breaker.onFailure(breaker.admit(), 'HTTP 503');
    expect(events.at(-1)).toMatchObject({ to: 'open' });
    breaker.reset();
    for (let i = 0; i < 4; i++) breaker.onFailure(breaker.admit(), 'HTTP 503');
    breaker.applyShared(shared({ state: 'closed', counting: false }));
    for (let i = 0; i < 4; i++) breaker.onFailure(breaker.admit(), 'HTTP 503');
    expect(breaker.state).toBe('closed');
    expect(fleet.calls.filter((c) => c.startsWith('failure'))).toHaveLength(13);
  });

  it('reports successes only while the fleet counts failures', () => {
    const { breaker, fleet } = setup();
    breaker.onSuccess(breaker.admit());
    expect(fleet.calls).toEqual([]);
    breaker.applyShared(shared({ state: 'closed', counting: true }));
    breaker.onSuccess(breaker.admit());
    breaker.applyShared(shared({ state: 'closed', counting: false }));
    breaker.onSuccess(breaker.admit());
    // Its own failure: a success after it must reset the count, before the fleet says so.
    breaker.onFailure(breaker.admit(), 'HTTP 503');
    breaker.onSuccess(breaker.admit());
    expect(fleet.calls).toEqual(['success', 'failure HTTP 503 0', 'success']);
  });

  it('opens for the duration the fleet gives, from now, with the reason and detail given', () => {
    const { breaker, clock, events } = setup();
    breaker.applyShared(shared({ state: 'open', retryInMs: 45_000, detail: 'failure_threshold by web-2' }));
    expect(events.at(-1)).toMatchObject({
      from: 'closed',
      to: 'open',
      reason: 'fleet',
      detail: 'failure_threshold by web-2',
    });
    expect(events.at(-1)?.nextTrialAt).toBe(clock.wallNow() + 45_000);
    expect(breaker.admit()).toBe(REJECTED);
    // Already open: only the time moves, no second event.
    breaker.applyShared(shared({ state: 'open', retryInMs: 10_000, reason: 'half_open_failure' }));
    expect(events).toHaveLength(1);
    expect(breaker.retryAfterMs()).toBe(10_000);
    clock.advance(10_000);
    expect(breaker.state).toBe('half_open');
  });

  it('held open by the fleet with no end: forced, no trial time', () => {
    const { breaker, clock } = setup();
    breaker.applyShared(shared({ state: 'open', forced: true, reason: 'manual_open' }));
    expect(breaker.isForcedOpen).toBe(true);
    expect(breaker.retryAfterMs()).toBe(Number.POSITIVE_INFINITY);
    expect(breaker.nextTrialAt).toBeUndefined();
    clock.advance(10 * 60_000);
    expect(breaker.state).toBe('open');
    breaker.applyShared(shared({ state: 'closed', reason: 'manual_reset' }));
    expect(breaker.state).toBe('closed');
    expect(breaker.isForcedOpen).toBe(false);
  });

  it('half-open: admits a trial only under a fleet slot, and its timeout runs from the slot’s grant', () => {
    const { breaker, clock, fleet, events } = setup();
    breaker.applyShared(shared({ state: 'half_open' }));
    expect(breaker.admit()).toBe(REJECTED);
    expect(fleet.calls).toEqual(['ask']);
    fleet.slots.push(clock.now() - 29_000);
    const trial = breaker.admit();
    expect(trial).toBeGreaterThan(0);
    clock.advance(999);
    expect(breaker.state).toBe('half_open');
    clock.advance(1);
    expect(breaker.state).toBe('open');
    expect(fleet.trials.get(trial)).toMatchObject({ outcome: 'failure', reason: 'trial_timeout' });
    expect(events.at(-1)).toMatchObject({ to: 'open', reason: 'trial_timeout' });
  });

  it('reports trial outcomes; a success waits for the fleet to close it, a failure reopens at once', () => {
    const { breaker, clock, fleet, events } = setup();
    breaker.applyShared(shared({ state: 'half_open' }));
    fleet.slots.push(clock.now(), clock.now(), clock.now());
    const [a, b, c] = [breaker.admit(), breaker.admit(), breaker.admit()];
    breaker.onSuccess(a);
    breaker.onIgnored(b);
    expect(breaker.state).toBe('half_open');
    expect(fleet.trials.get(a)).toEqual({ outcome: 'success' });
    expect(fleet.trials.get(b)).toEqual({ outcome: 'ignored' });
    breaker.onFailure(c, 'HTTP 500', 5_000);
    expect(fleet.trials.get(c)).toMatchObject({
      outcome: 'failure',
      reason: 'half_open_failure',
      minOpenMs: 5_000,
    });
    expect(events.at(-1)).toMatchObject({ from: 'half_open', to: 'open', reason: 'half_open_failure' });
    // A request admitted before the circuit opened says nothing: not reported.
    breaker.onSuccess(ADMITTED);
    expect(fleet.trials.size).toBe(3);
  });

  it("the slow-call rule judges this replica's calls: its opening is made here and offered to the fleet", () => {
    const slow = { slowCallDurationMs: 1_000, slowCallRate: 0.5, slowCallMinCalls: 4 };
    const { breaker, fleet, events } = setup(slow);
    const quick = { durationMs: 200, ttfbMs: 100 };
    const late = { durationMs: 3_000, ttfbMs: 2_000 };
    breaker.onSuccess(breaker.admit(), quick);
    breaker.onSuccess(breaker.admit(), late);
    breaker.onSuccess(breaker.admit(), quick);
    expect(breaker.state).toBe('closed');
    // A slow failure is a slow call too; the failure itself goes to the fleet as always.
    breaker.onFailure(breaker.admit(), 'HTTP 503', 0, late);
    expect(events).toEqual([expect.objectContaining({ to: 'open', reason: 'slow_call_rate' })]);
    expect(fleet.calls).toEqual([
      'failure HTTP 503 0',
      'tripped slow_call_rate 2 of the last 4 calls slower than 1000 ms',
    ]);
  });

  it('a slow trial is a trial failure, reported to the fleet as half_open_slow_call', () => {
    const { breaker, clock, fleet, events } = setup({ slowCallDurationMs: 1_000 });
    breaker.applyShared(shared({ state: 'half_open' }));
    fleet.slots.push(clock.now());
    const trial = breaker.admit();
    breaker.onSuccess(trial, { durationMs: 1_500, ttfbMs: 1_200 });
    expect(fleet.trials.get(trial)).toEqual({
      outcome: 'failure',
      reason: 'half_open_slow_call',
      minOpenMs: 0,
      detail: 'trial took 1200 ms, slower than 1000 ms',
    });
    expect(events.at(-1)).toMatchObject({ from: 'half_open', to: 'open', reason: 'half_open_slow_call' });
  });

  it('operator actions apply here at once and go to the fleet', () => {
    const { breaker, fleet } = setup();
    breaker.forceOpen(60_000);
    expect(breaker.state).toBe('open');
    breaker.onHealthCheckSuccess();
    expect(breaker.state).toBe('open');
    breaker.reset();
    expect(breaker.state).toBe('closed');
    breaker.applyShared(shared({ state: 'open', retryInMs: 30_000 }));
    breaker.onHealthCheckSuccess();
    expect(breaker.state).toBe('half_open');
    expect(fleet.calls).toEqual(['forceOpen 60000', 'reset', 'healthCheck']);
  });

  it('without the fleet again, it decides alone at once: its own failures counted meanwhile trip it', () => {
    const { breaker, fleet, events } = setup();
    for (let i = 0; i < 4; i++) breaker.onFailure(breaker.admit(), 'HTTP 503');
    breaker.coordinate(undefined);
    breaker.onFailure(breaker.admit(), 'HTTP 503');
    expect(events.at(-1)).toMatchObject({ to: 'open', reason: 'failure_threshold' });
    expect(fleet.calls).toHaveLength(4);
  });
});
