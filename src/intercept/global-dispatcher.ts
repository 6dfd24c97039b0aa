import { log } from '../common/log.js';
import { ProviderDispatcher, unwrapDispatcher } from './provider-dispatcher.js';
import type { DispatcherLike } from './undici-types.js';

// Node's bundled fetch (undici 6) and undici 7 both read the global dispatcher from this
// symbol on every call; wrapping what it holds is how fetch and undici calls are observed.
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
type GlobalWithDispatcher = typeof globalThis & { [GLOBAL_DISPATCHER]?: DispatcherLike };

const RECHECK_MS = 1000;
let watchdog: NodeJS.Timeout | undefined;
let warnedRewrap = false;

/** Wraps a dispatcher so requests through it to providers are admitted and observed (idempotent). */
export function wrapDispatcher<T extends DispatcherLike>(dispatcher: T): T {
  if (unwrapDispatcher(dispatcher) !== undefined) return dispatcher;
  // The wrapper answers every call a dispatcher answers; callers keep the type they passed in.
  return new ProviderDispatcher(dispatcher) as unknown as T;
}

function current(): DispatcherLike | undefined {
  return (globalThis as GlobalWithDispatcher)[GLOBAL_DISPATCHER];
}

/**
 * Makes sure Node's own fetch dispatcher exists (constructing a Request loads Node's bundled
 * undici, which creates its Agent), then wraps whatever the global dispatcher is. Never
 * replaces it: a user's proxy or TLS settings survive.
 */
export function installGlobalDispatcher(): void {
  if (current() === undefined && typeof Request === 'function') {
    try {
      new Request('http://localhost/');
    } catch {
      // Only the side effect (Node creating its dispatcher) matters.
    }
  }
  rewrapIfNeeded();
  // An app that calls setGlobalDispatcher after the preload replaces our wrapper; undici
  // defines the property non-configurable, so a setter cannot catch it. Check right after
  // start-up (the app's synchronous setup) and then every second; unref'd.
  setImmediate(rewrapIfNeeded).unref();
  watchdog ??= setInterval(rewrapIfNeeded, RECHECK_MS).unref();
}

export function uninstallGlobalDispatcher(): void {
  if (watchdog !== undefined) clearInterval(watchdog);
  watchdog = undefined;
  const inner = unwrapDispatcher(current());
  if (inner !== undefined) (globalThis as GlobalWithDispatcher)[GLOBAL_DISPATCHER] = inner;
}

function rewrapIfNeeded(): void {
  const dispatcher = current();
  if (dispatcher === undefined || unwrapDispatcher(dispatcher) !== undefined) return;
  const isReplacement = installed;
  (globalThis as GlobalWithDispatcher)[GLOBAL_DISPATCHER] = wrapDispatcher(dispatcher);
  installed = true;
  if (isReplacement && !warnedRewrap) {
    warnedRewrap = true;
    log(
      'warn',
      'the global dispatcher was replaced after provider-health loaded (setGlobalDispatcher); it has been wrapped again. Requests sent between the two are not observed: call wrapDispatcher() on your dispatcher before setting it to close that gap.',
    );
  }
}
let installed = false;
