/**
 * In-process cost per non-provider request: the wrapper around a dispatcher that answers
 * without the network, against that dispatcher alone, over many iterations, alternating.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { ProviderDispatcher } from '../../src/intercept/provider-dispatcher.js';
import { configureRegistry } from '../../src/providers/global-registry.js';

configureRegistry({ mode: 'enforce' });

type Handler = Dispatcher.DispatchHandler;
const inner = {
  dispatch(_options: Dispatcher.DispatchOptions, handler: Handler): boolean {
    handler.onComplete?.(null);
    return true;
  },
};
const wrapped = new ProviderDispatcher(inner);
const handler: Handler = { onComplete() {}, onError() {} };
// A few different non-provider origins, as a service would see: no single cached string.
const options = ['http://127.0.0.1:3000', 'https://api.internal.example', 'http://localhost:8080'].map(
  (origin) => ({ origin, path: '/x', method: 'GET' }) as Dispatcher.DispatchOptions,
);

const ITERATIONS = 2_000_000;
function loop(target: { dispatch: typeof inner.dispatch }): number {
  const started = performance.now();
  for (let i = 0; i < ITERATIONS; i++) target.dispatch(options[i % 3] as Dispatcher.DispatchOptions, handler);
  return ((performance.now() - started) * 1e6) / ITERATIONS;
}

const bare: number[] = [];
const viaWrapper: number[] = [];
for (let round = 0; round < 12; round++) {
  const first = round % 2 === 0;
  const a = first ? loop(inner) : loop(wrapped);
  const b = first ? loop(wrapped) : loop(inner);
  if (round < 2) continue; // warm-up rounds
  bare.push(first ? a : b);
  viaWrapper.push(first ? b : a);
}
const median = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1] as number;
const diffs = bare.map((b, i) => (viaWrapper[i] as number) - b);
console.log('\nin-process, non-provider request through the wrapper (ns per dispatch, median of 10 rounds)');
console.log(
  `unwrapped ${median(bare).toFixed(1)}   wrapped ${median(viaWrapper).toFixed(1)}   added ${median(diffs).toFixed(1)} (target <= 50)`,
);
