import type { Dispatcher } from 'undici';

/** A handler as undici 6 (Node's bundled fetch) or undici 7 hands it to `dispatch`. */
export type AnyDispatchHandler = Dispatcher.DispatchHandler;
export type DispatchController = Dispatcher.DispatchController;
export type DispatchOptions = Dispatcher.DispatchOptions & { signal?: AbortSignal | null };

/** Anything with undici's `dispatch`: Node's bundled Agent, undici 7's, a ProxyAgent, a user's own. */
export interface DispatcherLike {
  dispatch(options: DispatchOptions, handler: AnyDispatchHandler): boolean;
  close?(...args: unknown[]): unknown;
  destroy?(...args: unknown[]): unknown;
}

/** undici 7 decides by `onRequestStart` whether a handler speaks the new API. */
export function usesNewHandlerApi(handler: AnyDispatchHandler): boolean {
  return typeof handler.onRequestStart === 'function';
}
