/**
 * Heap soak: 200,000 provider requests through the wrapper, answered by a dispatcher without
 * the network (at the dispatch level: Node's fetch over such a dispatcher grows the heap by
 * ~600 bytes a request with or without the plugin, which would hide the plugin's own figure) (successes, provider errors that open the circuit, local
 * rejections while open, closing trials). The heap after GC must end within 2 MB of its start.
 */
import type { Dispatcher } from 'undici';
import { ProviderDispatcher } from '../../src/intercept/provider-dispatcher.js';
import { configureRegistry } from '../../src/providers/global-registry.js';

const registry = configureRegistry({ mode: 'enforce', providers: { openai: { hosts: ['127.0.0.1:4010'] } } });
const provider = registry.getProvider('openai');
if (provider === undefined) throw new Error('no provider');
provider.breaker.recoveryTimeout = 1;

let status = 200;
const body = Buffer.from('{"error":{"message":"x"}}');
const inner = {
  dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    queueMicrotask(() => {
      handler.onConnect?.(() => {});
      handler.onHeaders?.(
        status,
        [Buffer.from('content-type'), Buffer.from('application/json')],
        () => {},
        '',
      );
      handler.onData?.(body);
      handler.onComplete?.([]);
    });
    return true;
  },
};
// SOAK_BARE=1: the same soak without the wrapper, as a control.
const dispatcher = process.env.SOAK_BARE === '1' ? inner : new ProviderDispatcher(inner);
const COUNT = Number(process.env.SOAK_COUNT ?? 200_000);
const options = { origin: 'http://127.0.0.1:4010', path: '/v1/chat/completions', method: 'POST' };

/** One request as a legacy-API caller (Node's fetch, undici.request) makes it, to its end. */
function request(): Promise<void> {
  return new Promise((done) => {
    dispatcher.dispatch(options, {
      onConnect() {},
      onHeaders: () => true,
      onData: () => true,
      onComplete: () => done(),
      onError: () => done(),
    });
  });
}

async function batch(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    // Every 1000 requests, 20 provider errors: the circuit opens, rejects, then trials close it.
    status = i % 1000 < 20 ? 500 : 200;
    await request();
  }
}

const gc = globalThis.gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
await batch(5_000); // warm-up: JIT, lazy structures
const before = heap();
const started = Date.now();
await batch(COUNT);
const after = heap();
const m = provider.getHealthMetrics();
console.log(`\nsoak: ${COUNT} provider requests through the wrapper (no network)`);
console.log(
  `heap after GC: start ${(before / 1e6).toFixed(2)} MB, end ${(after / 1e6).toFixed(2)} MB, growth ${((after - before) / 1e6).toFixed(2)} MB (target <= 2), ${((Date.now() - started) / 1000).toFixed(1)} s; recorded ${m.totalRequests}, rejected ${m.rejectedRequests}`,
);
