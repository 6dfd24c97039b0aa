import http from 'node:http';
import { createRequire } from 'node:module';
import { getProvider, healthMonitor } from 'provider-health';
import * as undici from 'undici';
// Not (yet) exported from the package entry: see the report. The source copy shares the
// registry and the wrapper's brand (both on globalThis / Symbol.for) with the preloaded build.
import { wrapDispatcher } from '../../../src/intercept/index.js';
import { callOnce } from './calls.js';
import { requestUrl, type Target } from './clients.js';
import { blockedAttempts } from './loopback-guard.js';
import { totalOf } from './provider-view.js';
import { type Args, type Command, errorInfo, num, str } from './runtime.js';

const WRAPPED = Symbol.for('provider-health.wrappedDispatcher');
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
const HTTP_PATCHED = Symbol.for('provider-health.httpAgentPatched');

type Dispatcher = undici.Dispatcher & { [WRAPPED]?: Dispatcher };

function globalDispatcher(): Dispatcher | undefined {
  return (globalThis as unknown as Record<symbol, Dispatcher | undefined>)[GLOBAL_DISPATCHER];
}

/** How the process looks: is the global dispatcher wrapped, over what; is node:http patched. */
function dispatcherInfo() {
  const current = globalDispatcher();
  const inner = current?.[WRAPPED];
  return {
    wrapped: inner !== undefined,
    doubleWrapped: inner?.[WRAPPED] !== undefined,
    innerIsNpmUndici: inner instanceof undici.Agent,
    httpPatched: (http.Agent.prototype as unknown as Record<symbol, unknown>)[HTTP_PATCHED] !== undefined,
  };
}

function provider(args: Args) {
  const found = getProvider(str(args, 'name'));
  if (found === undefined) throw new Error(`no provider ${String(args.name)}`);
  return found;
}

/** Races a promise against a guard: a silent hang becomes a visible failure. */
function guarded<T>(promise: Promise<T>, ms = 3_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms (hang)`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

async function requestThrough(dispatcher: undici.Dispatcher, via: string, target: Target) {
  const url = requestUrl(target);
  if (via === 'fetch') {
    // Node's global fetch takes an npm-undici dispatcher: its types differ only nominally.
    const res = await fetch(url, { method: 'POST', body: '{}', dispatcher } as RequestInit);
    await res.arrayBuffer();
    return res.status;
  }
  const res = await undici.request(url, { method: 'POST', body: '{}', dispatcher });
  await res.body.arrayBuffer();
  return res.statusCode;
}

export const probeCommands: Record<string, Command> = {
  reset: (args: Args) => provider(args).reset(),

  /** Per-provider recovery timeout, at run time (applies from the next opening). */
  setRecovery: (args: Args) => {
    provider(args).breaker.recoveryTimeout = num(args, 'ms');
  },

  dispatcherInfo,

  /** Outcome counts a provider recorded (its stats window). */
  outcomes: (args: Args) => {
    const stats = provider(args).stats;
    const names = [
      'success',
      'provider_error',
      'timeout',
      'connection_error',
      'canceled',
      'rejected',
    ] as const;
    return Object.fromEntries(names.map((name) => [name, stats.count(name)]));
  },

  /** DNS lookups and connections beyond loopback that the guard stopped (expected: none). */
  blocked: () => [...blockedAttempts],

  /** Loads the preload from the running app, by import (ESM build) and/or require (CJS build). */
  loadPlugin: async (args: Args) => {
    // A string specifier: the entry has no types (it only runs start()).
    const entry: string = 'provider-health/register';
    if (args.esm !== false) await import(entry);
    if (args.cjs === true) createRequire(import.meta.url)(entry);
  },

  /**
   * The app replaces undici's global dispatcher after the preload, optionally wrapping it itself.
   * With `thenCall` (a client name), the dispatcher is inspected and that client's call to openai
   * started in the same synchronous step, before the plugin's periodic check can run.
   */
  setGlobalDispatcher: async (args: Args) => {
    const agent = new undici.Agent();
    undici.setGlobalDispatcher(args.wrap === true ? wrapDispatcher(agent) : agent);
    if (typeof args.thenCall !== 'string') return undefined;
    const info = dispatcherInfo();
    const call = callOnce(args.thenCall, 'openai', { retries: false });
    return { info, call: await call };
  },

  /** One request with its own `dispatcher` option; returns what the plugin recorded for it. */
  ownDispatcher: async (args: Args) => {
    const target = (args.target ?? 'openai') as Target;
    const agent = new undici.Agent();
    const dispatcher = args.wrap === true ? wrapDispatcher(agent) : agent;
    const before = totalOf(target);
    const status = await guarded(requestThrough(dispatcher, str(args, 'via'), target));
    await agent.close();
    return { status, recorded: totalOf(target) - before };
  },

  /**
   * undici 7 interceptors composed onto the global dispatcher: their handlers speak undici 7's new
   * handler API. Returns status or error, guarded against a hang.
   */
  composed: async (args: Args) => {
    const target = (args.target ?? 'openai') as Target;
    const current = globalDispatcher();
    if (current === undefined) throw new Error('no global dispatcher');
    // 400 listed: the local reply's status, so the interceptor throws from its callback on it (as
    // undici's RetryHandler does for a status it will not retry), which the reply must survive.
    const dispatcher = current.compose(
      undici.interceptors.retry({ maxRetries: 0, statusCodes: [400, 500, 502, 503, 504, 429] }),
    );
    const before = totalOf(target);
    try {
      const status = await guarded(requestThrough(dispatcher, str(args, 'via'), target));
      return { status, recorded: totalOf(target) - before };
    } catch (error) {
      return { error: errorInfo(error), recorded: totalOf(target) - before };
    }
  },

  throwingStatusCallback: () => {
    healthMonitor.addStatusCallback(() => {
      throw new Error('a status callback that throws');
    });
  },

  /** Makes the plugin's own admission or recording throw, as an internal bug would. */
  breakProvider: (args: Args) => {
    const target = provider(args);
    const failure = () => {
      throw new Error('internal failure injected by the test');
    };
    if (args.part === 'admit') target.admit = failure;
    else {
      target.record = failure;
      target.recordRequest = failure;
    }
  },
};
