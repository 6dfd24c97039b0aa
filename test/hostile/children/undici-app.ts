/**
 * A service that loads npm undici before anything touches fetch (its first import), so that
 * without the plugin undici's requests run on undici's own Agent. Same runtime as the other
 * children (test/intercept/children/runtime.ts).
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as undici from 'undici';
import { type Args, type Command, env, num, serve } from '../../intercept/children/runtime.js';

const WRAPPED = Symbol.for('provider-health.wrappedDispatcher');
type Dispatcher = undici.Dispatcher & { [WRAPPED]?: undici.Dispatcher };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const commands: Record<string, Command> = {
  ping: () => ({ pid: process.pid }),

  /** Which Agent undici's global dispatcher is, under the plugin's wrapper if there is one. */
  transport: () => {
    const current = undici.getGlobalDispatcher() as Dispatcher;
    const inner = current[WRAPPED] ?? current;
    return { wrapped: current[WRAPPED] !== undefined, npmUndiciAgent: inner instanceof undici.Agent };
  },

  /** `n` undici.request calls to `url` (default: the openai fake): statuses and a response header. */
  requests: async (args: Args) => {
    const url = typeof args.url === 'string' ? args.url : `${env('FAKE_OPENAI_URL')}/v1/chat/completions`;
    const results: Array<{ status: number; circuit?: string }> = [];
    for (let i = 0; i < num(args, 'n', 1); i++) {
      const res = await undici.request(url, { method: 'POST', body: '{}' });
      await res.body.dump();
      const circuit = res.headers['x-provider-health'];
      results.push({ status: res.statusCode, ...(typeof circuit === 'string' ? { circuit } : {}) });
    }
    return results;
  },

  /**
   * `requests` undici.request calls spread over `origins` loopback origins on `port`, `width` at
   * a time (127.0.1.0 and up: nothing listens there, so each is refused at once); the heap
   * growth after garbage collection, in MB.
   */
  originSoak: async (args: Args) => {
    const port = num(args, 'port');
    const origins = num(args, 'origins');
    const total = num(args, 'requests');
    const before = heapAfterGc();
    let next = 0;
    let failed = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const n = next++ % origins;
        try {
          const res = await undici.request(`http://127.0.${1 + (n >> 8)}.${n & 255}:${port}/`);
          await res.body.dump();
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: num(args, 'width', 50) }, worker));
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { heapGrowthMb: (heapAfterGc() - before) / 1e6, failed };
  },
};

serve(commands);
