import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ChildSession, type Preload } from './support/child-session.js';
import {
  closeFakes,
  type Fakes,
  fakeEnv,
  median,
  RECOVERY_MS,
  resetFakes,
  sleep,
  startFakes,
} from './support/fakes.js';
import { type CallResult, mentionsOpenCircuit, type ProviderView } from './support/types.js';

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

const PRELOADS: Preload[] = ['require', 'import', 'node-options'];

describe.each(PRELOADS)('circuit lifecycle, plugin loaded with %s', (preload) => {
  let fakes: Fakes;
  let child: ChildSession;

  beforeAll(async () => {
    assertBuilt();
    fakes = await startFakes();
    child = await ChildSession.start({ preload, env: fakeEnv(fakes) });
  });
  afterAll(async () => {
    await child?.close();
    await closeFakes(fakes);
  });

  const call = (c: Case, n: number, retries: boolean) =>
    child.call<CallResult[]>('call', { client: c.client, target: c.target, n, retries });
  const state = async (name: string) => (await child.call<ProviderView>('provider', { name })).state;
  const failed = (r: CallResult) => r.error?.status ?? r.status;
  const waitForState = async (name: string, wanted: string, withinMs: number) => {
    const deadline = Date.now() + withinMs;
    while ((await state(name)) !== wanted) {
      if (Date.now() > deadline) throw new Error(`${name} did not become ${wanted} within ${withinMs} ms`);
      await sleep(25);
    }
  };

  it.each(CASES)(
    '$client: opens after 5 failures, fails fast without the network, closes after the trials',
    async (c) => {
      resetFakes(fakes);
      await child.call('reset', { name: c.target });
      const fake = fakes[c.target];

      const recoveryMs = RECOVERY_MS;
      await child.call('setRecovery', { name: c.target, ms: recoveryMs });

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
      // Fail-fast: the median of a batch of rejected calls, each timed in the child. A machine busy
      // with other work can slow one batch; the path is slow only if three batches say so.
      let fastestBatch = median(rejections.slice(1).map((r) => r.ms));
      for (let batch = 0; batch < 2 && fastestBatch >= 5; batch++) {
        const more = await call(c, 15, true);
        fastestBatch = Math.min(fastestBatch, median(more.slice(1).map((r) => r.ms)));
      }
      expect(fastestBatch).toBeLessThan(5);

      // After the recovery timeout: three successful trials close it.
      fake.setDefault({ kind: 'ok' });
      await waitForState(c.target, 'half_open', recoveryMs + 2_000);
      const trials = await call(c, 3, false);
      expect(trials.map((r) => r.error)).toEqual([undefined, undefined, undefined]);
      expect(await state(c.target)).toBe('closed');
      expect(fake.requestCount).toBe(8);
    },
  );
});
