import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/breaker/circuit-breaker.js';
import type { CallTiming, TransitionEvent } from '../../src/breaker/circuit-state.js';
import { SlowCallWindow } from '../../src/breaker/slow-call-window.js';
import { ManualClock } from '../support/manual-clock.js';

const fast: CallTiming = { ttfbMs: 200, durationMs: 9_000 };
const slow: CallTiming = { ttfbMs: 3_000, durationMs: 3_010 };
const hung: CallTiming = { ttfbMs: -1, durationMs: 30_000 };

function setup(options = {}) {
  const clock = new ManualClock();
  const events: TransitionEvent[] = [];
  const breaker = new CircuitBreaker(
    'openai',
    { slowCallDurationMs: 2_000, slowCallRate: 0.5, slowCallMinCalls: 4, ...options },
    clock,
    (event) => events.push(event),
  );
  const calls = (...timings: CallTiming[]) => {
    for (const call of timings) breaker.onSuccess(breaker.admit(), call);
  };
  return { clock, breaker, events, calls };
}

describe('the slow-call rule', () => {
  it('is off by default: no call is judged, however slow', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker('openai', {}, clock);
    expect(breaker.slowCallDuration).toBe(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 100; i++) breaker.onSuccess(breaker.admit(), hung);
    expect(breaker.state).toBe('closed');
    expect(breaker.slowCallsInWindow).toBe(0);
  });

  it('opens once half of the last 4 calls were slower than 2 s, with its own reason', () => {
    const { breaker, calls, events } = setup();
    calls(slow, fast, fast);
    expect(breaker.state).toBe('closed');
    calls(slow);
    expect(breaker.state).toBe('open');
    expect(events).toEqual([
      expect.objectContaining({
        from: 'closed',
        to: 'open',
        reason: 'slow_call_rate',
        detail: '2 of the last 4 calls slower than 2000 ms',
      }),
    ]);
  });

  it('judges time to first byte when headers came (a stream), else the whole duration', () => {
    const { breaker, calls } = setup({ slowCallRate: 1, slowCallMinCalls: 2 });
    // A 9 s stream whose headers came in 200 ms is not slow.
    calls(fast, fast);
    expect(breaker.state).toBe('closed');
    // No headers for 30 s (a timeout) is.
    breaker.onFailure(breaker.admit(), 'timeout', 0, hung);
    calls(hung);
    expect(breaker.state).toBe('open');
  });

  it('counts only the last slowCallMinCalls calls: older slow calls drop out', () => {
    const { breaker, calls } = setup();
    calls(slow, fast, fast, fast, fast, slow, fast);
    expect(breaker.slowCallsInWindow).toBe(1);
    expect(breaker.state).toBe('closed');
  });

  it('reopens on a slow trial, and starts an empty window when it closes', () => {
    const { breaker, calls, clock, events } = setup({ successThreshold: 1 });
    calls(slow, slow, slow, slow);
    clock.advance(60_000);
    breaker.onSuccess(breaker.admit(), slow);
    expect(events.at(-1)).toMatchObject({
      from: 'half_open',
      to: 'open',
      reason: 'half_open_slow_call',
      detail: 'trial took 3000 ms, slower than 2000 ms',
    });
    clock.advance(60_000);
    breaker.onSuccess(breaker.admit(), fast);
    expect(breaker.state).toBe('closed');
    calls(slow, slow, slow);
    expect(breaker.state).toBe('closed');
  });

  it('can be tuned and turned off at run time; bad values are refused', () => {
    const { breaker, calls } = setup();
    calls(slow);
    breaker.slowCallDuration = Number.POSITIVE_INFINITY;
    calls(slow, slow, slow, slow);
    expect(breaker.state).toBe('closed');
    breaker.slowCallDuration = 5_000;
    calls(slow, slow, slow, slow);
    expect(breaker.state).toBe('closed');
    expect(() => {
      breaker.slowCallRate = 0;
    }).toThrow(/slowCallRate must be a number above 0 and at most 1, got 0/);
    expect(() => {
      breaker.slowCallDuration = -1;
    }).toThrow(/slowCallDuration must be a number of milliseconds >= 0/);
    expect(() => {
      breaker.slowCallMinCalls = 1.5;
    }).toThrow(/slowCallMinCalls must be an integer >= 1/);
  });
});

describe('SlowCallWindow', () => {
  it('trips exactly when slow / size >= rate, for every size and share, rounding included', () => {
    const rates = new Set<number>();
    for (let n = 1; n <= 40; n++) for (let k = 1; k <= n; k++) rates.add(k / n);
    for (let r = 0.05; r <= 1; r += 0.05) rates.add(r);
    rates.add(0.7);
    rates.add(0.1 + 0.2);
    for (let size = 1; size <= 40; size++) {
      for (const rate of rates) {
        for (let slow = 0; slow <= size; slow++) {
          const window = new SlowCallWindow(size, rate);
          let tripped = false;
          for (let i = 0; i < size; i++) tripped = window.add(i < slow);
          if (tripped !== slow / size >= rate) throw new Error(`size ${size}, rate ${rate}, slow ${slow}`);
        }
      }
    }
  });
});
