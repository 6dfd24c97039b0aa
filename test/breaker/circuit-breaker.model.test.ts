import fc from 'fast-check';
import { describe, it } from 'vitest';
import { CircuitBreaker } from '../../src/breaker/circuit-breaker.js';
import { REJECTED } from '../../src/breaker/circuit-state.js';
import { ManualClock } from '../support/manual-clock.js';

/**
 * A reference model written straight from the rules, as plainly as possible:
 *   CLOSED    -> OPEN       after F consecutive failures
 *   OPEN      -> HALF_OPEN  once R ms have passed since it opened
 *   HALF_OPEN -> CLOSED     after S consecutive trial successes
 *   HALF_OPEN -> OPEN       after any trial failure, or a trial older than T ms
 * plus: at most S trials in flight; only live trials count while half-open; outcomes that
 * arrive while open change nothing.
 */
type ModelState = 'closed' | 'open' | 'half_open';
interface Ticket {
  trial: boolean;
  period: number; // which half-open period a trial belongs to
}

class Model {
  state: ModelState = 'closed';
  failures = 0;
  successes = 0;
  openedAt = 0;
  period = 0;
  live: Array<{ ticket: Ticket; start: number }> = [];
  constructor(
    readonly F: number,
    readonly R: number,
    readonly S: number,
    readonly T: number,
  ) {}

  tick(now: number): void {
    if (this.state === 'open' && now - this.openedAt >= this.R) this.toHalfOpen();
    if (this.state === 'half_open' && this.live.some((t) => now - t.start >= this.T)) this.toOpen(now);
  }
  toOpen(now: number): void {
    this.state = 'open';
    this.openedAt = now;
    this.live = [];
    this.successes = 0;
  }
  toHalfOpen(): void {
    this.state = 'half_open';
    this.period++;
    this.live = [];
    this.successes = 0;
  }
  toClosed(): void {
    this.state = 'closed';
    this.failures = 0;
    this.successes = 0;
    this.live = [];
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
  settle(ticket: Ticket, result: 'success' | 'failure' | 'ignored', now: number): void {
    if (this.state === 'closed') {
      if (result === 'success') this.failures = 0;
      if (result === 'failure' && ++this.failures >= this.F) this.toOpen(now);
      return;
    }
    this.tick(now);
    if (this.state !== 'half_open' || !this.isLive(ticket)) return;
    if (result === 'failure') this.toOpen(now);
    else if (result === 'success' && ++this.successes >= this.S) this.toClosed();
  }
}

const action = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'admit' as const }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      pick: fc.nat(),
      result: fc.constantFrom('success' as const, 'failure' as const, 'ignored' as const),
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
        // size 'max': fast-check's default size would cap sequences near ten steps, too short to reach
        // half-open often.
        fc.array(action, { minLength: 10, maxLength: 200, size: 'max' }),
        (F, R, S, T, actions) => {
          const clock = new ManualClock();
          const breaker = new CircuitBreaker(
            'p',
            { failureThreshold: F, recoveryTimeoutMs: R, successThreshold: S, trialTimeoutMs: T },
            clock,
          );
          const model = new Model(F, R, S, T);
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
              if (step.result === 'success') breaker.onSuccess(ticket.real);
              else if (step.result === 'failure') breaker.onFailure(ticket.real);
              else breaker.onIgnored(ticket.real);
              model.settle(ticket.model, step.result, clock.now());
            }
            model.tick(clock.now());
            same('state', breaker.state, model.state);
            same('trials in flight', breaker.trialsInFlight, model.live.length);
            if (model.state === 'closed')
              same('consecutive failures', breaker.consecutiveFailures, model.failures);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
