import { getCircuitOpenError } from 'provider-health';
import { type CallOptions, client, falFetches, socketsCreated, type Target } from './clients.js';
import { providerView, rejectedOf, totalOf } from './provider-view.js';
import { type Args, type Command, type ErrorInfo, errorInfo, num, str } from './runtime.js';
import { matrixClient } from './sdk-clients.js';

export interface CallResult {
  /** Wall time of this one call, in the child. */
  ms: number;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  error?: ErrorInfo;
  /** Local rejections the plugin recorded during this call (more than 1: the SDK retried). */
  rejected: number;
  /** Requests the plugin recorded for the provider during this call. */
  recorded: number;
  /** Sockets axios' agent created during this call. */
  sockets: number;
  /** fetch calls the fal client made during this call (retries included), with their times. */
  falFetchMs: number[];
  /** What `getCircuitOpenError()` found in the error the caller got; absent when it found nothing. */
  circuitOpen?: { provider: string; retryAfterMs: number | null };
}

function providerOf(clientName: string, target: Target): string {
  if (clientName === 'openai-sdk') return 'openai';
  if (clientName === 'anthropic-sdk') return 'anthropic';
  if (clientName === 'fal-sdk') return 'fal';
  return matrixClient(clientName)?.provider ?? target;
}

/** One call of one client; the client is invoked synchronously, before the first await. */
export async function callOnce(
  clientName: string,
  target: Target,
  options: CallOptions,
  abortAfterMs?: number,
) {
  const provider = providerOf(clientName, target);
  const run = client(clientName, target);
  const before = { rejected: rejectedOf(provider), total: totalOf(provider), sockets: socketsCreated };
  const falBefore = falFetches.length;
  const controller = new AbortController();
  const timer = abortAfterMs === undefined ? undefined : setTimeout(() => controller.abort(), abortAfterMs);
  const result: Partial<CallResult> = {};
  const started = performance.now();
  try {
    Object.assign(result, await run({ ...options, signal: controller.signal }));
  } catch (error) {
    result.error = errorInfo(error);
    const open = getCircuitOpenError(error);
    if (open !== undefined)
      result.circuitOpen = {
        provider: open.provider,
        retryAfterMs: Number.isFinite(open.retryAfterMs) ? open.retryAfterMs : null,
      };
  }
  result.ms = performance.now() - started;
  clearTimeout(timer);
  // Recording happens when the body ends or fails; let those callbacks run first.
  await new Promise((resolve) => setImmediate(resolve));
  result.rejected = rejectedOf(provider) - before.rejected;
  result.recorded = totalOf(provider) - before.total;
  result.sockets = socketsCreated - before.sockets;
  result.falFetchMs = falFetches.slice(falBefore);
  return result as CallResult;
}

export const callCommands: Record<string, Command> = {
  ping: () => ({ pid: process.pid }),

  /**
   * `n` calls of one client: `{ client, target?, n?, retries?, stream?, timeoutMs?, abortAfterMs?,
   * parallel? }`, one after the other, or all at once with `parallel` (then each call's
   * `rejected` and `recorded` overlap the others': read the provider's view instead).
   */
  call: async (args: Args) => {
    const clientName = str(args, 'client');
    const target = (args.target ?? 'openai') as Target;
    const options: CallOptions = {
      retries: args.retries === true,
      stream: args.stream === true,
      timeoutMs: typeof args.timeoutMs === 'number' ? args.timeoutMs : undefined,
    };
    const abortAfterMs = typeof args.abortAfterMs === 'number' ? args.abortAfterMs : undefined;
    const n = num(args, 'n', 1);
    if (args.parallel === true)
      return Promise.all(
        Array.from({ length: n }, () => callOnce(clientName, target, options, abortAfterMs)),
      );
    const results: CallResult[] = [];
    for (let i = 0; i < n; i++) results.push(await callOnce(clientName, target, options, abortAfterMs));
    return results;
  },

  provider: (args: Args) => providerView(str(args, 'name')),

  sleep: (args: Args) => new Promise((resolve) => setTimeout(resolve, num(args, 'ms'))),
};
