import { logOnce } from '../common/log.js';
import { admitRequest, providerForOrigin } from '../gate/admission-gate.js';
import { setDispatching } from '../gate/request-links.js';
import { RequestObservation } from '../gate/request-observation.js';
import { getRegistry } from '../providers/global-registry.js';
import { LegacyObservingHandler } from './legacy-handler.js';
import { replyLocally } from './local-reply.js';
import { ObservingHandler } from './observing-handler.js';
import { answerWithError } from './rejection-policy.js';
import {
  type AnyDispatchHandler,
  type DispatcherLike,
  type DispatchOptions,
  usesNewHandlerApi,
} from './undici-types.js';

const WRAPPED = Symbol.for('provider-health.wrappedDispatcher');
type ApiMethod = (this: unknown, ...args: unknown[]) => unknown;

/**
 * A dispatcher that keeps the one it wraps (Node's bundled Agent, a user's ProxyAgent, TLS
 * settings…) and hands every request to it. Requests to a provider's origin are admitted
 * by its breaker first and observed to the end of their body; any other request costs one
 * Map lookup and passes straight through (no handler conversion, unlike undici's compose()).
 */
export class ProviderDispatcher {
  readonly [WRAPPED]: DispatcherLike;

  constructor(readonly inner: DispatcherLike) {
    this[WRAPPED] = inner;
  }

  dispatch(options: DispatchOptions, handler: AnyDispatchHandler): boolean {
    const registry = getRegistry();
    const origin = options.origin;
    const provider = providerForOrigin(registry, typeof origin === 'string' ? origin : String(origin));
    if (provider === undefined) return this.inner.dispatch(options, handler);
    let observation: RequestObservation | undefined;
    let observed: AnyDispatchHandler = handler;
    try {
      const admitted = admitRequest(
        registry,
        provider,
        String(options.method ?? 'GET'),
        String(origin),
        options.path,
        options.signal,
      );
      if (!(admitted instanceof RequestObservation)) {
        const asError = answerWithError(registry.rejectWith, options.headers, false);
        replyLocally(handler, provider, admitted, asError ? 'error' : 'response');
        return true;
      }
      observation = admitted;
      observation.requestHeaders = options.headers;
      observation.transport = 'fetch';
      observed = usesNewHandlerApi(handler)
        ? new ObservingHandler(handler, observation)
        : new LegacyObservingHandler(handler, observation);
    } catch (error) {
      logOnce('dispatch', 'provider-health could not observe a request; it passes through untouched', error);
      observation = undefined;
      observed = handler;
    }
    setDispatching(observation);
    try {
      return this.inner.dispatch(options, observed);
    } catch (error) {
      // A dispatcher that throws instead of calling onError: the request still ends here, so
      // its outcome is recorded and a half-open trial slot is not held until the trial timeout.
      observation?.finish(error);
      throw error;
    } finally {
      setDispatching(undefined);
    }
  }

  close(...args: unknown[]): unknown {
    return this.inner.close?.(...args);
  }

  destroy(...args: unknown[]): unknown {
    return this.inner.destroy?.(...args);
  }

  // undici's request/stream/pipeline/connect/upgrade/compose call `this.dispatch`: borrowing the
  // wrapped dispatcher's own methods with `this` bound here sends them through the breaker too.
  request(...args: unknown[]): unknown {
    return this.borrow('request', args);
  }
  stream(...args: unknown[]): unknown {
    return this.borrow('stream', args);
  }
  pipeline(...args: unknown[]): unknown {
    return this.borrow('pipeline', args);
  }
  connect(...args: unknown[]): unknown {
    return this.borrow('connect', args);
  }
  upgrade(...args: unknown[]): unknown {
    return this.borrow('upgrade', args);
  }
  compose(...args: unknown[]): unknown {
    return this.borrow('compose', args);
  }

  // Connection events come from the wrapped dispatcher; listeners go straight to it.
  on(event: string | symbol, listener: (...args: unknown[]) => void): this {
    this.borrow('on', [event, listener]);
    return this;
  }
  once(event: string | symbol, listener: (...args: unknown[]) => void): this {
    this.borrow('once', [event, listener]);
    return this;
  }
  off(event: string | symbol, listener: (...args: unknown[]) => void): this {
    this.borrow('off', [event, listener]);
    return this;
  }

  private borrow(name: string, args: unknown[]): unknown {
    const method = (this.inner as unknown as Record<string, ApiMethod | undefined>)[name];
    if (typeof method !== 'function') throw new TypeError(`the wrapped dispatcher has no ${name}()`);
    const self = name === 'on' || name === 'once' || name === 'off' ? this.inner : this;
    return method.apply(self, args);
  }
}

/** The dispatcher inside a ProviderDispatcher, or undefined if `value` is not one. */
export function unwrapDispatcher(value: unknown): DispatcherLike | undefined {
  return typeof value === 'object' && value !== null
    ? (value as { [WRAPPED]?: DispatcherLike })[WRAPPED]
    : undefined;
}
