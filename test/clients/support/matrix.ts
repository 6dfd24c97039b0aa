import { expect } from 'vitest';
import type { FakeProvider } from '../../../fake-provider/index.js';
import type { FakeSpec } from '../../intercept/support/fakes.js';
import { HELD_OPEN_MS, median } from '../../intercept/support/fakes.js';
import type { Scenario } from '../../intercept/support/scenario.js';
import { type CallResult, mentionsOpenCircuit } from '../../intercept/support/types.js';

/** One provider of the matrix: its fake, the plugin's name for it, and the clients that call it. */
export interface MatrixGroup {
  /** Key of the fake in the set (`FAKE_<KEY>_URL` in the child). */
  fake: string;
  spec: FakeSpec & { provider: string };
  clients: readonly string[];
}

/** The fake set for a list of groups, keyed as the child's clients expect. */
export function fakesOf(groups: readonly MatrixGroup[]): Record<string, FakeSpec> {
  return Object.fromEntries(groups.map((g) => [g.fake, g.spec]));
}

// While open every call must fail within this, median of a batch of 5 (README, "Compatibility").
export const FAIL_FAST_MS = 100;
/** Short, so that the test waits little; only set once nothing else races the timer. */
const SHORT_RECOVERY_MS = 300;
const BATCH = 5;

export interface CallArgs {
  n?: number;
  retries?: boolean;
  timeoutMs?: number;
  abortAfterMs?: number;
  parallel?: boolean;
  target?: string;
}

export class MatrixRun {
  constructor(
    private readonly s: Scenario<string>,
    readonly client: string,
    readonly group: MatrixGroup,
  ) {}

  get provider(): string {
    return this.group.spec.provider;
  }

  get fake(): FakeProvider {
    const fake = this.s.fakes[this.group.fake];
    if (fake === undefined) throw new Error(`no fake ${this.group.fake}`);
    return fake;
  }

  call(args: CallArgs = {}): Promise<CallResult[]> {
    // Plain HTTP clients (axios) are told which fake to call; SDK clients know theirs.
    return this.s.child.call<CallResult[]>('call', {
      client: this.client,
      target: this.group.fake,
      n: 1,
      ...args,
    });
  }

  state(): Promise<string> {
    return this.s.view(this.provider).then((view) => view.state);
  }

  outcomes(): Promise<Record<string, number>> {
    return this.s.child.call('outcomes', { name: this.provider });
  }

  /** A fresh start: closed circuit, empty fake with `behaviour` as its default. */
  async start(behaviour: Parameters<FakeProvider['setDefault']>[0]): Promise<void> {
    this.fake.reset();
    this.fake.setDefault(behaviour);
    await this.s.child.call('reset', { name: this.provider });
  }

  /**
   * Five provider errors through the client, one attempt each: each is recorded on the
   * provider, the fourth leaves the circuit closed, the fifth opens it.
   */
  async trip(): Promise<void> {
    await this.start({ status: 500 });
    const failures = [...(await this.call({ n: 4 }))];
    expect(await this.state()).toBe('closed');
    failures.push(...(await this.call({ n: 1 })));
    expect(await this.state()).toBe('open');
    for (const r of failures) {
      expect(r.error !== undefined || (r.status ?? 0) >= 500, JSON.stringify(r)).toBe(true);
      expect(r.recorded, `${this.client} recorded ${r.recorded} requests for one call`).toBe(1);
      // The provider's own error is never taken for the circuit's.
      expect(r.circuitOpen).toBeUndefined();
    }
    expect(this.fake.requestCount).toBe(5);
  }

  /**
   * While open, with the client's default retries: every call fails fast, recognised by
   * getCircuitOpenError(), with one rejection recorded (no retry), nothing sent, and the
   * circuit's text in the caller's message (`inMessage`; else anywhere in the error's chain). A
   * busy machine can slow one batch: the median counts as slow only if three batches say so.
   * Returns every batch's median and the last batch.
   */
  async rejectWhileOpen(inMessage = true): Promise<{ medians: number[]; calls: CallResult[] }> {
    const sent = this.fake.requestCount;
    const medians: number[] = [];
    let calls: CallResult[] = [];
    for (let batch = 0; batch < 3; batch++) {
      calls = await this.call({ n: BATCH, retries: true });
      expect(this.fake.requestCount, `${this.client}: requests reached the provider while open`).toBe(sent);
      for (const r of calls) this.expectRejected(r, inMessage);
      medians.push(median(calls.map((r) => r.ms)));
      if (Math.min(...medians) < FAIL_FAST_MS) break;
    }
    expect(Math.min(...medians), `${this.client}: median fail-fast time per batch ${medians}`).toBeLessThan(
      FAIL_FAST_MS,
    );
    return { medians, calls };
  }

  expectRejected(r: CallResult, inMessage = true): void {
    expect(r.error, `${this.client} got no error while open: ${JSON.stringify(r)}`).toBeDefined();
    const text = `circuit breaker open for provider ${this.provider}`;
    if (inMessage) expect(r.error?.message).toContain(text);
    else expect(mentionsOpenCircuit(r, this.provider), JSON.stringify(r.error)).toBe(true);
    expect(r.rejected, `${this.client}: local rejections in one call (more than 1: it retried)`).toBe(1);
    expect(r.circuitOpen?.provider).toBe(this.provider);
    expect(r.circuitOpen?.retryAfterMs).toBeGreaterThan(0);
  }

  /**
   * Recovery, by the breaker's own timer: opened again through the client with a short recovery
   * timeout, the circuit goes half-open without a request, and three trials through the client
   * close it.
   */
  async recover(): Promise<void> {
    const sent = this.fake.requestCount;
    await this.s.child.call('reset', { name: this.provider });
    await this.s.child.call('setRecovery', { name: this.provider, ms: SHORT_RECOVERY_MS });
    this.fake.setDefault({ status: 500 });
    const failures = await this.call({ n: 5 });
    for (const r of failures) expect(r.error !== undefined || (r.status ?? 0) >= 500).toBe(true);
    this.fake.setDefault({ kind: 'ok' });
    await this.s.waitForState(this.provider, 'half_open');
    expect(this.fake.requestCount).toBe(sent + 5);
    const trials = await this.call({ n: 3 });
    expect(trials.map((r) => r.error)).toEqual([undefined, undefined, undefined]);
    expect(await this.state()).toBe('closed');
    expect(this.fake.requestCount).toBe(sent + 8);
    // Held open again for whatever the next test trips.
    await this.s.child.call('setRecovery', { name: this.provider, ms: HELD_OPEN_MS });
  }
}
