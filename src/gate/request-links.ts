import type { RequestObservation } from './request-observation.js';

/**
 * Which observation a client's own request object belongs to, so span hooks read the request's
 * one classification instead of classifying again: a span and the metric always agree.
 * `'rejected'` and `'budget_exceeded'` mark a request the gate answered locally (an open
 * circuit, a spent budget): the outcome it was recorded with.
 *
 * On globalThis under Symbol.for: the preload (CommonJS build) observes requests, while a
 * service may build its instrumentation config from the ESM build.
 */
export type RequestLink = RequestObservation | 'rejected' | 'budget_exceeded';

interface Links {
  readonly byRequest: WeakMap<object, RequestLink>;
  /** The observation whose request is being handed to the wrapped dispatcher right now. */
  dispatching: RequestObservation | undefined;
  /** Who wants the next node:http request's link (see awaitNextLink). */
  waiting: ((link: RequestLink) => void) | undefined;
}

const KEY = Symbol.for('provider-health.requestLinks');
type GlobalWithLinks = typeof globalThis & { [KEY]?: Links };

const holder = globalThis as GlobalWithLinks;
holder[KEY] ??= { byRequest: new WeakMap(), dispatching: undefined, waiting: undefined };
const shared: Links = holder[KEY];

export function linkRequest(request: object, link: RequestLink): void {
  shared.byRequest.set(request, link);
}

export function linkOf(request: object): RequestLink | undefined {
  return shared.byRequest.get(request);
}

/**
 * undici creates its request object inside the wrapped dispatcher's `dispatch`, synchronously
 * (and publishes `undici:request:create` from there): the observation dispatched at that moment
 * is the one that request belongs to.
 */
export function setDispatching(observation: RequestObservation | undefined): void {
  shared.dispatching = observation;
}

export function dispatchingNow(): RequestObservation | undefined {
  return shared.dispatching;
}

/**
 * instrumentation-http starts a span before it calls `http.request()`, which admits the request
 * (src/intercept/http-agent.ts) synchronously inside that call. A span processor that saw such a
 * span start asks for the link of the request admitted next; `announceLink` hands it over. The
 * asker clears a claim nobody took before the end of the current turn.
 */
export function awaitNextLink(callback: ((link: RequestLink) => void) | undefined): void {
  shared.waiting = callback;
}

export function announceLink(link: RequestLink): void {
  const waiting = shared.waiting;
  if (waiting === undefined) return;
  shared.waiting = undefined;
  waiting(link);
}
