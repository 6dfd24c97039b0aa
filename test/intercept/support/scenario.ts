import { afterAll, beforeAll, expect, vi } from 'vitest';
import { EVENTUALLY } from '../../support/waits.js';
import { assertBuilt, type ChildOptions, ChildSession } from './child-session.js';
import { closeFakes, type Fakes, fakeEnv, startFakes } from './fakes.js';
import type { CallResult, ProviderView } from './types.js';

export interface Scenario {
  readonly fakes: Fakes;
  readonly child: ChildSession;
  call(client: string, target: string, extra?: Record<string, unknown>): Promise<CallResult>;
  view(name: string): Promise<ProviderView>;
  /** Five provider errors through fetch: the circuit opens (enforce) or would (observe). */
  trip(target: 'openai' | 'anthropic' | 'fal'): Promise<void>;
  /** Waits for a state the circuit reaches on its own (its timer), up to the hang deadline. */
  waitForState(name: string, wanted: string): Promise<void>;
}

/** One fake set and one child for a describe block; the child is reused by its tests. */
export function useScenario(options: Omit<ChildOptions, 'env'> & { env?: Record<string, string> }): Scenario {
  const holder: { fakes?: Fakes; child?: ChildSession } = {};
  beforeAll(async () => {
    assertBuilt();
    holder.fakes = await startFakes();
    holder.child = await ChildSession.start({ ...options, env: fakeEnv(holder.fakes, options.env) });
  });
  afterAll(async () => {
    await holder.child?.close();
    await closeFakes(holder.fakes);
  });
  const scenario: Scenario = {
    get fakes() {
      if (holder.fakes === undefined) throw new Error('scenario not started');
      return holder.fakes;
    },
    get child() {
      if (holder.child === undefined) throw new Error('scenario not started');
      return holder.child;
    },
    async call(client, target, extra = {}) {
      const [result] = await scenario.child.call<CallResult[]>('call', { client, target, n: 1, ...extra });
      if (result === undefined) throw new Error('no result');
      return result;
    },
    view: (name) => scenario.child.call<ProviderView>('provider', { name }),
    async trip(target) {
      scenario.fakes[target].script([
        { status: 500 },
        { status: 500 },
        { status: 500 },
        { status: 500 },
        { status: 500 },
      ]);
      await scenario.child.call('call', { client: 'fetch', target, n: 5 });
    },
    waitForState: (name, wanted) =>
      vi.waitFor(async () => expect((await scenario.view(name)).state).toBe(wanted), EVENTUALLY),
  };
  return scenario;
}
