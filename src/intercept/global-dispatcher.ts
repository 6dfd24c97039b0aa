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
 * Wraps the global dispatcher, now if there is one, else at the moment the first undici copy
 * sets it. Never creates one and never replaces it: non-provider requests keep exactly the
 * dispatcher they would have without the plugin (a user's proxy or TLS settings, and the Agent
 * of whichever undici loads first: Node's bundled one for the first fetch, npm undici's for its
 * own requests when the app loads it first).
 */
export function installGlobalDispatcher(): void {
  if (current() === undefined && !hookFirstDispatcher()) forceBundledDispatcher();
  rewrapIfNeeded();
  // An app that calls setGlobalDispatcher after the preload replaces our wrapper; undici
  // defines the property non-configurable, so a setter cannot catch it. Check right after
  // start-up (the app's synchronous setup) and then every second; unref'd.
  setImmediate(rewrapIfNeeded).unref();
  watchdog ??= setInterval(rewrapIfNeeded, RECHECK_MS).unref();
}

const HOOKED = Symbol.for('provider-health.dispatcherDefineHook');
type DefineProperty = typeof Object.defineProperty;
type HookedDefine = DefineProperty & { [HOOKED]?: DefineProperty };

/**
 * Both undici copies (Node's bundled one when fetch is first used, npm undici when it is first
 * loaded) create their Agent only if the global slot is empty, and set it with
 * `Object.defineProperty(globalThis, Symbol.for('undici.globalDispatcher.1'), …)`. Until the
 * first one does, `Object.defineProperty` forwards to the original and wraps that one value on
 * its way in, so even the very first request goes through the wrapper; then the original is
 * put back. Filling the slot ourselves instead (constructing a Request made Node's bundled undici
 * create its Agent) made npm undici 7 run its requests on Node's undici 6 Agent, which keeps a
 * connection pool per origin for ever. False when the original cannot be replaced (a frozen
 * `Object`).
 */
function hookFirstDispatcher(): boolean {
  const original = Object.defineProperty as HookedDefine;
  if (original[HOOKED] !== undefined) return true;
  const hooked = function defineProperty(target: object, key: PropertyKey, attributes: PropertyDescriptor) {
    if (key === GLOBAL_DISPATCHER && target === globalThis && hasValue(attributes)) {
      unhookFirstDispatcher();
      const value: unknown = attributes.value;
      if (isDispatcher(value)) {
        installed = true;
        return original(target, key, { ...attributes, value: wrapDispatcher(value) });
      }
    }
    return original(target, key, attributes);
  } as HookedDefine;
  hooked[HOOKED] = original;
  try {
    Object.defineProperty = hooked;
    return Object.defineProperty === hooked;
  } catch {
    return false;
  }
}

function unhookFirstDispatcher(): void {
  const original = (Object.defineProperty as HookedDefine)[HOOKED];
  if (original === undefined) return;
  try {
    Object.defineProperty = original;
  } catch {
    // Frozen since: the hook stays, forwarding everything; it wraps nothing twice.
  }
}

function hasValue(attributes: unknown): attributes is PropertyDescriptor {
  try {
    return typeof attributes === 'object' && attributes !== null && 'value' in attributes;
  } catch {
    return false;
  }
}

function isDispatcher(value: unknown): value is DispatcherLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { dispatch?: unknown }).dispatch === 'function' &&
    unwrapDispatcher(value) === undefined
  );
}

/** The fallback where the hook cannot be set: have Node's bundled undici create its Agent now. */
function forceBundledDispatcher(): void {
  if (typeof Request !== 'function') return;
  try {
    new Request('http://localhost/');
  } catch {
    // Only the side effect (Node creating its dispatcher) matters.
  }
}

export function uninstallGlobalDispatcher(): void {
  unhookFirstDispatcher();
  if (watchdog !== undefined) clearInterval(watchdog);
  watchdog = undefined;
  const inner = unwrapDispatcher(current());
  if (inner !== undefined) (globalThis as GlobalWithDispatcher)[GLOBAL_DISPATCHER] = inner;
}

function rewrapIfNeeded(): void {
  const dispatcher = current();
  if (dispatcher === undefined || unwrapDispatcher(dispatcher) !== undefined) return;
  const isReplacement = installed;
  unhookFirstDispatcher();
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
