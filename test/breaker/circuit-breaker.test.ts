import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/breaker/circuit-breaker.js';
import { ADMITTED, REJECTED, type TransitionEvent } from '../../src/breaker/circuit-state.js';
import type { Clock } from '../../src/common/clock.js';
import { ManualClock } from '../support/manual-clock.js';

function setup(options = {}) {
  const clock = new ManualClock();
  const events: TransitionEvent[] = [];
  const breaker = new CircuitBreaker('openai', options, clock, (event) => events.push(event));
  const fail = (n: number) => {
    for (let i = 0; i < n; i++) breaker.onFailure(breaker.admit(), 'HTTP 500');
  };
  return { clock, breaker, events, fail };
}

describe('CircuitBreaker', () => {
  it('uses the documented defaults: 5 failures, 60 s, 3 successes', () => {
    const { breaker } = setup();
    expect([breaker.failureThreshold, breaker.recoveryTimeout, breaker.successThreshold]).toEqual([
      5, 60_000, 3,
    ]);
  });

  it('opens after 5 consecutive failures, not 4, and a success in between restarts the count', () => {
    const { breaker, fail, events } = setup();
    fail(4);
    breaker.onSuccess(breaker.admit());
    fail(4);
    expect(breaker.state).toBe('closed');
    fail(1);
    expect(breaker.state).toBe('open');
    expect(events).toEqual([
      expect.objectContaining({
        provider: 'openai',
        from: 'closed',
        to: 'open',
        reason: 'failure_threshold',
        detail: 'HTTP 500',
      }),
    ]);
    expect(breaker.admit()).toBe(REJECTED);
  });

  it('goes half-open after the recovery timeout, by its own unref-able timer, not a request', () => {
    const { breaker, fail, clock, events } = setup();
    fail(5);
    clock.advance(59_999);
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs()).toBe(1);
    clock.advance(1);
    expect(events.at(-1)).toMatchObject({ from: 'open', to: 'half_open', reason: 'recovery_timeout' });
    expect(breaker.state).toBe('half_open');
  });

  it("a timer that fires a little early (the event loop's cached time lags the clock) waits for the rest", () => {
    const clock = new ManualClock();
    // Timers fire 3 ms before the clock says they are due, as Node's may on a busy loop.
    const early: Clock = {
      now: () => clock.now(),
      wallNow: () => clock.wallNow(),
      setTimer: (fn, delayMs) => clock.setTimer(fn, delayMs > 3 ? delayMs - 3 : delayMs),
      clearTimer: (handle) => clock.clearTimer(handle),
    };
    const events: TransitionEvent[] = [];
    const breaker = new CircuitBreaker('openai', {}, early, (event) => events.push(event));
    breaker.forceOpen(200);
    clock.advance(197);
    expect(events.map((e) => e.to)).toEqual(['open']);
    clock.advance(3);
    expect(events.map((e) => e.to)).toEqual(['open', 'half_open']);
  });

  it('closes after 3 trial successes and admits at most 3 trials at once', () => {
    const { breaker, fail, clock, events } = setup();
    fail(5);
    clock.advance(60_000);
    const trials = [breaker.admit(), breaker.admit(), breaker.admit()];
    expect(trials.every((t) => t > 0)).toBe(true);
    expect(breaker.admit()).toBe(REJECTED);
    breaker.onSuccess(trials[0] as number);
    breaker.onSuccess(trials[1] as number);
    expect(breaker.state).toBe('half_open');
    breaker.onSuccess(trials[2] as number);
    expect(breaker.state).toBe('closed');
    expect(events.at(-1)).toMatchObject({ from: 'half_open', to: 'closed', reason: 'success_threshold' });
    expect(breaker.admit()).toBe(ADMITTED);
  });

  it('reopens on any trial failure, for a full recovery timeout', () => {
    const { breaker, fail, clock } = setup();
    fail(5);
    clock.advance(60_000);
    const a = breaker.admit();
    const b = breaker.admit();
    breaker.onSuccess(a);
    breaker.onFailure(b, 'HTTP 529');
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs()).toBe(60_000);
  });

  it('times out a trial that never settles, at the next admission, and ignores its late answer', () => {
    const { breaker, fail, clock, events } = setup({ trialTimeoutMs: 5_000 });
    fail(5);
    clock.advance(60_000);
    const stuck = breaker.admit();
    clock.advance(5_000);
    expect(breaker.admit()).toBe(REJECTED);
    expect(events.at(-1)).toMatchObject({ to: 'open', reason: 'trial_timeout' });
    clock.advance(60_000);
    breaker.onSuccess(stuck);
    expect(breaker.state).toBe('half_open');
    expect(breaker.consecutiveSuccesses).toBe(0);
  });

  it('ignores late outcomes of requests admitted before it opened', () => {
    const { breaker, fail, clock } = setup();
    const early = breaker.admit();
    fail(5);
    clock.advance(60_000);
    breaker.onFailure(early, 'late');
    expect(breaker.state).toBe('half_open');
  });

  it('applies thresholds changed at run time', () => {
    const { breaker, fail } = setup();
    breaker.failureThreshold = 2;
    fail(2);
    expect(breaker.state).toBe('open');
    expect(() => {
      breaker.successThreshold = 0;
    }).toThrow(/successThreshold must be an integer >= 1, got 0/);
  });

  it('reset() closes and clears counters; forceOpen() holds it open until reset', () => {
    const { breaker, fail, clock, events } = setup();
    fail(4);
    breaker.reset();
    fail(4);
    expect(breaker.state).toBe('closed');
    breaker.forceOpen();
    clock.advance(10 * 60_000);
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs()).toBe(Number.POSITIVE_INFINITY);
    breaker.onHealthCheckSuccess();
    expect(breaker.state).toBe('open');
    breaker.reset();
    expect(breaker.state).toBe('closed');
    expect(events.map((e) => `${e.from}>${e.to}:${e.reason}`)).toEqual([
      'closed>open:manual_open',
      'open>closed:manual_reset',
    ]);
  });

  it('a successful health check moves open to half-open, never to closed', () => {
    const { breaker, fail } = setup();
    fail(5);
    breaker.onHealthCheckSuccess();
    expect(breaker.state).toBe('half_open');
  });

  it('keeps a circuit open at least as long as the provider asked (retry-after)', () => {
    const { breaker, clock } = setup({ failureThreshold: 1 });
    breaker.onFailure(breaker.admit(), '429', 120_000);
    clock.advance(60_000);
    expect(breaker.state).toBe('open');
    clock.advance(60_000);
    expect(breaker.state).toBe('half_open');
  });

  it('leaves no timer behind once closed', () => {
    const { breaker, fail, clock } = setup();
    fail(5);
    expect(clock.pendingTimers).toBe(1);
    breaker.reset();
    expect(clock.pendingTimers).toBe(0);
  });

  it('frees a trial slot when a trial is canceled', () => {
    const { breaker, fail, clock } = setup({ successThreshold: 1 });
    fail(5);
    clock.advance(60_000);
    const trial = breaker.admit();
    expect(breaker.admit()).toBe(REJECTED);
    breaker.onIgnored(trial);
    expect(breaker.admit()).toBeGreaterThan(0);
  });
});

describe('CircuitBreaker.forceOpen(durationMs)', () => {
  it('holds the circuit open for exactly that long, not the recovery timeout', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker('openai', {}, clock);
    breaker.forceOpen(5_000);
    clock.advance(4_999);
    expect(breaker.state).toBe('open');
    clock.advance(1);
    expect(breaker.state).toBe('half_open');
  });
});

describe("an operator's hold", () => {
  it('is not ended early by a successful health check, timed or not', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker('openai', {}, clock);
    breaker.forceOpen(600_000);
    breaker.onHealthCheckSuccess();
    expect(breaker.state).toBe('open');
    expect(breaker.isForcedOpen).toBe(true);
    clock.advance(600_000);
    expect(breaker.state).toBe('half_open');
    expect(breaker.isForcedOpen).toBe(false);
  });
});
