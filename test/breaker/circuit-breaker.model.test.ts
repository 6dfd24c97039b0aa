import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/breaker/circuit-breaker.js';
import { type CallTiming, REJECTED, type TransitionReason } from '../../src/breaker/circuit-state.js';
import { ManualClock } from '../support/manual-clock.js';

/**
 * A reference model written straight from the rules, as plainly as possible:
 *   CLOSED    -> OPEN       after F consecutive failures, or when at least a share `rate` of the
 *                           last N counted calls were slow (slow-call rule, on when D is finite)
 *   OPEN      -> HALF_OPEN  once R ms have passed since it opened
 *   HALF_OPEN -> CLOSED     after S consecutive trial successes
 *   HALF_OPEN -> OPEN       after any trial failure, a slow trial success, or a trial older than T ms
 * plus: at most S trials in flight; only live trials count while half-open; outcomes that
 * arrive while open change nothing. A call is slow when its time (time to headers when there
 * were any, else the whole duration) is above D; a call with no known time is not judged. Only
 * successes and failures count, only while closed, and closing empties the slow-call window.
 */
type ModelState = 'closed' | 'open' | 'half_open';
interface Ticket {
  trial: boolean;
  period: number; // which half-open period a trial belongs to
}
type Transition = `${ModelState}>${ModelState}:${TransitionReason}`;

class Model {
  state: ModelState = 'closed';
  failures = 0;
  successes = 0;
  openedAt = 0;
  period = 0;
  live: Array<{ ticket: Ticket; start: number }> = [];
  /** Slow marks of the last N counted calls while closed, oldest first. */
  window: boolean[] = [];
  transitions: Transition[] = [];
  constructor(
    readonly F: number,
    readonly R: number,
    readonly S: number,
    readonly T: number,
    readonly D: number,
    readonly rate: number,
    readonly N: number,
  ) {}

  tick(now: number): void {
    if (this.state === 'open' && now - this.openedAt >= this.R) this.toHalfOpen();
    if (this.state === 'half_open' && this.live.some((t) => now - t.start >= this.T))
      this.toOpen(now, 'trial_timeout');
  }
  move(to: ModelState, reason: TransitionReason): void {
    this.transitions.push(`${this.state}>${to}:${reason}`);
    this.state = to;
  }
  toOpen(now: number, reason: TransitionReason): void {
    this.move('open', reason);
    this.openedAt = now;
    this.live = [];
    this.successes = 0;
  }
  toHalfOpen(): void {
    this.move('half_open', 'recovery_timeout');
    this.period++;
    this.live = [];
    this.successes = 0;
  }
  toClosed(): void {
    this.move('closed', 'success_threshold');
    this.failures = 0;
    this.successes = 0;
    this.live = [];
    this.window = [];
  }
  admit(now: number): Ticket | 'rejected' {
    this.tick(now);
    if (this.state === 'closed') return { trial: false, period: this.period };
    if (this.state === 'open' || this.live.length >= this.S) return 'rejected';
    const ticket = { trial: true, period: this.period };
    this.live.push({ ticket, start: now });
    return ticket;
  }
  isLive(ticket: Ticket): boolean {
    const index = this.live.findIndex((t) => t.ticket === ticket);
    if (index < 0) return false;
    this.live.splice(index, 1);
    return true;
  }
  timeOf(call: CallTiming): number {
    return call.ttfbMs >= 0 ? call.ttfbMs : call.durationMs;
  }
  isSlow(call: CallTiming): boolean {
    return this.D !== Number.POSITIVE_INFINITY && this.timeOf(call) >= 0 && this.timeOf(call) > this.D;
  }
  count(call: CallTiming, now: number): void {
    if (this.D === Number.POSITIVE_INFINITY || this.timeOf(call) < 0) return;
    this.window.push(this.isSlow(call));
    if (this.window.length > this.N) this.window.shift();
    const slow = this.window.filter(Boolean).length;
    if (this.window.length === this.N && slow / this.N >= this.rate) this.toOpen(now, 'slow_call_rate');
  }
  settle(ticket: Ticket, result: 'success' | 'failure' | 'ignored', call: CallTiming, now: number): void {
    if (this.state === 'closed') {
      if (result === 'success') {
        this.failures = 0;
        this.count(call, now);
      }
      if (result === 'failure') {
        if (++this.failures >= this.F) this.toOpen(now, 'failure_threshold');
        else this.count(call, now);
      }
      return;
    }
    this.tick(now);
    if (this.state !== 'half_open' || !this.isLive(ticket)) return;
    if (result === 'failure') this.toOpen(now, 'half_open_failure');
    else if (result === 'success' && this.isSlow(call)) this.toOpen(now, 'half_open_slow_call');
    else if (result === 'success' && ++this.successes >= this.S) this.toClosed();
  }
  get slowInWindow(): number {
    return this.window.filter(Boolean).length;
  }
}

// How long a settled call took: right at the slow-call boundary (D - 1, D, D + 1) most often,
// since boundaries are where bugs live; sometimes anywhere, sometimes unknown. With headers the
// whole duration is longer than the time to headers, so judging the wrong one shows.
const callTime = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('boundary' as const),
      offset: fc.constantFrom(-1, 0, 1),
      headers: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('any' as const),
      ms: fc.integer({ min: 0, max: 60 }),
      headers: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'unknown' as const }) },
);
type CallTime = typeof callTime extends fc.Arbitrary<infer T> ? T : never;

function timingOf(time: CallTime, D: number, bodyMs: number): CallTiming {
  if (time.kind === 'unknown') return { ttfbMs: -1, durationMs: -1 };
  const ms = time.kind === 'boundary' ? (Number.isFinite(D) ? D : 20) + time.offset : time.ms;
  return time.headers ? { ttfbMs: ms, durationMs: ms + bodyMs } : { ttfbMs: -1, durationMs: ms };
}

const action = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'admit' as const }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      pick: fc.nat(),
      result: fc.constantFrom('success' as const, 'failure' as const, 'ignored' as const),
      time: callTime,
      bodyMs: fc.integer({ min: 1, max: 50 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 40 }) }),
  },
  // Jump to just before, onto, or just past the model's next deadline: boundaries are where bugs live.
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('boundary' as const), offset: fc.constantFrom(-1, 0, 1) }),
  },
);

/** The model's next time-driven move (end of recovery, or the oldest trial's timeout), if any. */
function nextDeadline(model: Model): number | undefined {
  if (model.state === 'open') return model.openedAt + model.R;
  const oldest = model.live[0];
  return model.state === 'half_open' && oldest !== undefined ? oldest.start + model.T : undefined;
}

// The slow-call rule: off, or on with a duration; a window of 1 to 6 calls; a rate that is
// mostly an exact share of the window (k / N, so "at least" lands on its boundary) and
// sometimes one between two shares.
const slowCallRule = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ D: Number.POSITIVE_INFINITY, N: 20, rate: 0.5 }) },
  {
    weight: 4,
    arbitrary: fc
      .record({
        D: fc.integer({ min: 0, max: 30 }),
        N: fc.integer({ min: 1, max: 6 }),
        k: fc.integer({ min: 1, max: 6 }),
        between: fc.boolean(),
      })
      .map(({ D, N, k, between }) => {
        const share = Math.min(k, N) / N;
        return { D, N, rate: between ? Math.min(1, share + 0.5 / N) : share };
      }),
  },
);

/**
 * A plain comparison: expect() costs far more than the breaker step it checks, and this runs about
 * half a million times; fast-check reports the failing sequence, shrunk, with this message.
 */
function same<T>(what: string, actual: T, expected: T): void {
  if (actual !== expected) throw new Error(`${what}: breaker ${String(actual)}, model ${String(expected)}`);
}

describe('CircuitBreaker against the reference model', () => {
  it('never diverges over thousands of random sequences', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        // Small times and steps so sequences land exactly on the boundaries (>= vs >).
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 80 }),
        slowCallRule,
        // size 'max': fast-check's default size would cap sequences near ten steps, too short to reach
        // half-open often.
        fc.array(action, { minLength: 10, maxLength: 200, size: 'max' }),
        (F, R, S, T, { D, N, rate }, actions) => {
          const clock = new ManualClock();
          const seen: Transition[] = [];
          const breaker = new CircuitBreaker(
            'p',
            {
              failureThreshold: F,
              recoveryTimeoutMs: R,
              successThreshold: S,
              trialTimeoutMs: T,
              slowCallDurationMs: D,
              slowCallRate: rate,
              slowCallMinCalls: N,
            },
            clock,
            (event) => seen.push(`${event.from}>${event.to}:${event.reason}`),
          );
          const model = new Model(F, R, S, T, D, rate, N);
          const outstanding: Array<{ real: number; model: Ticket }> = [];
          for (const step of actions) {
            if (step.kind === 'advance') clock.advance(step.ms);
            else if (step.kind === 'boundary') {
              const deadline = nextDeadline(model);
              if (deadline !== undefined) clock.advance(Math.max(0, deadline + step.offset - clock.now()));
            } else if (step.kind === 'admit') {
              const real = breaker.admit();
              const expected = model.admit(clock.now());
              same('rejected', real === REJECTED, expected === 'rejected');
              if (expected !== 'rejected') {
                same('trial', real > 0, expected.trial);
                outstanding.push({ real, model: expected });
              }
            } else if (outstanding.length > 0) {
              const [ticket] = outstanding.splice(step.pick % outstanding.length, 1);
              if (ticket === undefined) continue;
              const call = timingOf(step.time, D, step.bodyMs);
              if (step.result === 'success') breaker.onSuccess(ticket.real, call);
              else if (step.result === 'failure') breaker.onFailure(ticket.real, undefined, 0, call);
              else breaker.onIgnored(ticket.real);
              model.settle(ticket.model, step.result, call, clock.now());
            }
            model.tick(clock.now());
            same('state', breaker.state, model.state);
            same('trials in flight', breaker.trialsInFlight, model.live.length);
            // Cheap per step (the lists only grow); the whole lists are compared at the end.
            same('transitions', seen.length, model.transitions.length);
            same('last transition', seen.at(-1), model.transitions.at(-1));
            if (model.state === 'closed') {
              same('consecutive failures', breaker.consecutiveFailures, model.failures);
              same('slow calls in the window', breaker.slowCallsInWindow, model.slowInWindow);
            }
          }
          expect(seen).toEqual(model.transitions);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
