import { describe, expect, it } from 'vitest';
import { HELD_OPEN_MS, median } from './support/fakes.js';
import { useScenario } from './support/scenario.js';
import { type CallResult, mentionsOpenCircuit } from './support/types.js';

type Target = 'openai' | 'anthropic' | 'fal';
interface Case {
  client: string;
  target: Target;
}

// Every client the issue names, each against the provider it speaks to; the plain HTTP
// clients use the openai provider (reset in between).
const CASES: Case[] = [
  { client: 'openai-sdk', target: 'openai' },
  { client: 'anthropic-sdk', target: 'anthropic' },
  { client: 'fal-sdk', target: 'fal' },
  { client: 'axios', target: 'openai' },
  { client: 'fetch', target: 'openai' },
  { client: 'undici-request', target: 'openai' },
  { client: 'undici-fetch', target: 'openai' },
];

const PRELOADS = ['require', 'import', 'node-options'] as const;

/**
 * "Fails fast", as a bound well clear of what a slow rejection would cost: the first retry wait
 * of every SDK here is at least 375 ms (openai 6.49 and @anthropic-ai/sdk 1.16: 0.5 s less up to
 * 25 % jitter, client.js calculateDefaultRetryTimeoutMillis; @fal-ai/client 1.10 fal.run: 500 ms
 * ± 25 %, src/client.js and src/retry.js), and a network call to a provider that is down waits for
 * its connect or response timeout. The median of a batch stays far below this even on a busy machine.
 */
const FAIL_FAST_MS = 200;

/** Short, so that the test waits little; only used once nothing else races the timer. */
const SHORT_RECOVERY_MS = 300;

describe.each(PRELOADS)('circuit lifecycle, plugin loaded with %s', (preload) => {
  const s = useScenario({ preload });

  const call = (c: Case, n: number, retries: boolean) =>
    s.child.call<CallResult[]>('call', { client: c.client, target: c.target, n, retries });
  const state = async (name: string) => (await s.view(name)).state;
  const failed = (r: CallResult) => r.error?.status ?? r.status;

  it.each(CASES)(
    '$client: opens after 5 failures, fails fast without the network, closes after the trials',
    async (c) => {
      s.fakes[c.target].reset();
      await s.child.call('reset', { name: c.target });
      const fake = s.fakes[c.target];
      // Held open while the open state is examined: however long the calls below take, no trial starts.
      await s.child.call('setRecovery', { name: c.target, ms: HELD_OPEN_MS });

      // Closed: five provider errors, the fifth opens the circuit. No retries here, so 5 calls = 5 failures.
      fake.setDefault({ status: 500 });
      const failures = await call(c, 4, false);
      expect(failures.map(failed)).toEqual([500, 500, 500, 500]);
      expect(await state(c.target)).toBe('closed');
      expect((await call(c, 1, false)).map(failed)).toEqual([500]);
      expect(await state(c.target)).toBe('open');
      expect(fake.requestCount).toBe(5);

      // Open: answered locally. The SDKs keep their default retries to show they do not use them.
      const rejections = await call(c, 15, true);
      expect(fake.requestCount).toBe(5);
      for (const r of rejections) {
        expect(r.sockets).toBe(0);
        if (c.client === 'axios') {
          expect(r.error).toMatchObject({ code: 'ERR_CIRCUIT_OPEN' });
        } else {
          // One local reply for every client: a 400 none of them retries (README, "Compatibility").
          expect(failed(r)).toBe(400);
          expect(mentionsOpenCircuit(r, c.target)).toBe(true);
        }
      }
      // One rejection recorded per call: the SDK did not retry.
      expect(rejections.map((r) => r.rejected)).toEqual(rejections.map(() => 1));
      // Fail-fast: the median of a batch of rejected calls, each timed in the child (the first one
      // warms the path up and is left out).
      expect(median(rejections.slice(1).map((r) => r.ms))).toBeLessThan(FAIL_FAST_MS);
      expect(await state(c.target)).toBe('open');

      // Recovery, by the breaker's own timer: opened again with a short recovery timeout, the
      // circuit goes half-open without a request, and three successful trials close it.
      await s.child.call('reset', { name: c.target });
      await s.child.call('setRecovery', { name: c.target, ms: SHORT_RECOVERY_MS });
      expect((await call(c, 5, false)).map(failed)).toEqual([500, 500, 500, 500, 500]);
      fake.setDefault({ kind: 'ok' });
      await s.waitForState(c.target, 'half_open');
      expect(fake.requestCount).toBe(10);
      const trials = await call(c, 3, false);
      expect(trials.map((r) => r.error)).toEqual([undefined, undefined, undefined]);
      expect(await state(c.target)).toBe('closed');
      expect(fake.requestCount).toBe(13);
    },
  );
});
