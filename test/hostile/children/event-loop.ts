import http from 'node:http';
import http2 from 'node:http2';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { execute, getProvider } from 'provider-health';
import * as undici from 'undici';
import { requestUrl, type Target } from '../../intercept/children/clients.js';
import { type Args, type Command, num, str } from '../../intercept/children/runtime.js';

type Attempt = () => Promise<unknown>;

/** One request of a client that retries at once, whatever happened: errors are swallowed. */
function attempt(client: string, target: Target): Attempt {
  const url = requestUrl(target);
  switch (client) {
    case 'fetch':
      return async () => (await fetch(url, { method: 'POST', body: '{}' })).arrayBuffer();
    case 'undici-request':
      return async () => (await undici.request(url, { method: 'POST', body: '{}' })).body.arrayBuffer();
    case 'http':
      return () =>
        new Promise<void>((resolve) => {
          const req = http.request(url, { method: 'POST' }, (res) => {
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', () => resolve());
          req.end('{}');
        });
    case 'execute':
      // The explicit API: the same provider, its answer awaited by a loop that retries at once.
      return () => execute(target, () => fetch(url, { method: 'POST', body: '{}' }));
    case 'http2':
      return () =>
        new Promise<void>((resolve) => {
          const session = http2.connect(new URL(url).origin);
          session.on('error', () => resolve());
          const stream = session.request({ ':method': 'POST', ':path': new URL(url).pathname });
          stream.on('error', () => undefined);
          stream.on('close', () => {
            session.close();
            resolve();
          });
          stream.resume();
          stream.end('{}');
        });
    default:
      throw new Error(`unknown client ${client}`);
  }
}

export interface RetryLoopResult {
  /** Requests the loop made. */
  attempts: number;
  /** How often a 5 ms interval timer ran during the loop (0: the loop never yielded to timers). */
  ticks: number;
  /** The longest time between two of those ticks, or the whole loop when there were none, ms. */
  longestTickGapMs: number;
  /** The longest event-loop delay perf_hooks saw, ms. */
  maxDelayMs: number;
  loopMs: number;
}

export const loopCommands: Record<string, Command> = {
  /** Holds a provider's circuit open (forceOpen): until a reset, or for `ms`. */
  forceOpen: (args: Args) => {
    const provider = getProvider(str(args, 'name'));
    if (provider === undefined) throw new Error('no such provider');
    provider.breaker.forceOpen(typeof args.ms === 'number' ? args.ms : undefined);
  },

  /**
   * A service retrying at once for `ms`: `{ client, target, ms }`. The loop checks the time
   * between awaits, so it ends even when the event loop never turns.
   */
  retryLoop: (args: Args): Promise<RetryLoopResult> => {
    const run = attempt(str(args, 'client'), (args.target ?? 'openai') as Target);
    const ms = num(args, 'ms');
    return measureLoop(async (started) => {
      let attempts = 0;
      while (performance.now() - started < ms) {
        try {
          await run();
        } catch {
          // A service that retries at once, whatever the error.
        }
        attempts++;
      }
      return attempts;
    });
  },

  /** The control: the same measurement while the process only waits, `{ ms }`. */
  idleLoop: (args: Args): Promise<RetryLoopResult> =>
    measureLoop(async () => {
      await new Promise((resolve) => setTimeout(resolve, num(args, 'ms')));
      return 0;
    }),
};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Runs `body` while a 5 ms interval timer and perf_hooks watch the event loop. A full garbage
 * collection first, so that one left over from earlier work does not land in the window.
 */
async function measureLoop(body: (started: number) => Promise<number>): Promise<RetryLoopResult> {
  gc();
  const delay = monitorEventLoopDelay({ resolution: 5 });
  let ticks = 0;
  let lastTick = performance.now();
  let longestTickGapMs = 0;
  const started = lastTick;
  const timer = setInterval(() => {
    const now = performance.now();
    longestTickGapMs = Math.max(longestTickGapMs, now - lastTick);
    lastTick = now;
    ticks++;
  }, 5);
  delay.enable();
  const attempts = await body(started);
  const ended = performance.now();
  delay.disable();
  clearInterval(timer);
  longestTickGapMs = Math.max(longestTickGapMs, ended - lastTick);
  return { attempts, ticks, longestTickGapMs, maxDelayMs: delay.max / 1e6, loopMs: ended - started };
}
