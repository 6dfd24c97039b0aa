import { afterAll, beforeAll, expect, vi } from 'vitest';
import { EVENTUALLY } from '../../support/waits.js';
import { assertBuilt, type ChildOptions, ChildSession } from './child-session.js';
import {
  closeFakes,
  DEFAULT_FAKES,
  type FakeKey,
  type FakeSpec,
  type Fakes,
  fakeSetEnv,
  startFakeSet,
} from './fakes.js';
import type { CallResult, ProviderView } from './types.js';

export interface Scenario<K extends string = FakeKey> {
  readonly fakes: Fakes<K>;
  readonly child: ChildSession;
  call(client: string, target: string, extra?: Record<string, unknown>): Promise<CallResult>;
  view(name: string): Promise<ProviderView>;
  /** Five provider errors through fetch: the circuit opens (enforce) or would (observe). */
  trip(target: 'openai' | 'anthropic' | 'fal'): Promise<void>;
  /** Waits for a state the circuit reaches on its own (its timer), up to the hang deadline. */
  waitForState(name: string, wanted: string): Promise<void>;
}

type ScenarioOptions = Omit<ChildOptions, 'env'> & { env?: Record<string, string> };

/**
 * One fake set (the default one: openai, anthropic, fal and a server that is no provider, or
 * `fakes`) and one child for a describe block; the child is reused by its tests.
 */
export function useScenario(options: ScenarioOptions): Scenario;
export function useScenario<K extends string>(
  options: ScenarioOptions & { fakes: Record<K, FakeSpec> },
): Scenario<K>;
export function useScenario<K extends string>(
  options: ScenarioOptions & { fakes?: Record<K, FakeSpec> },
): Scenario<K> {
  const specs = (options.fakes ?? DEFAULT_FAKES) as Record<K, FakeSpec>;
  const holder: { fakes?: Fakes<K>; child?: ChildSession } = {};
  beforeAll(async () => {
    assertBuilt();
    holder.fakes = await startFakeSet(specs);
    const { fakes: _fakes, ...childOptions } = options;
    holder.child = await ChildSession.start({
      ...childOptions,
      env: fakeSetEnv(holder.fakes, specs, options.env),
    });
  });
  afterAll(async () => {
    await holder.child?.close();
    await closeFakes(holder.fakes);
  });
  const scenario: Scenario<K> = {
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
      const fake = (scenario.fakes as Partial<Fakes<string>>)[target];
      if (fake === undefined) throw new Error(`no fake ${target} in this scenario`);
      fake.script([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }]);
      await scenario.child.call('call', { client: 'fetch', target, n: 5 });
    },
    waitForState: (name, wanted) =>
      vi.waitFor(async () => expect((await scenario.view(name)).state).toBe(wanted), EVENTUALLY),
  };
  return scenario;
}
