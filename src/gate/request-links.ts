import type { RequestObservation } from './request-observation.js';

/**
 * Which observation a client's own request object belongs to, so span hooks read the request's
 * one classification instead of classifying again: a span and the metric always agree.
 * `'rejected'` marks a request the gate answered locally.
 *
 * On globalThis under Symbol.for: the preload (CommonJS build) observes requests, while a
 * service may build its instrumentation config from the ESM build.
 */
export type RequestLink = RequestObservation | 'rejected';

interface Links {
  readonly byRequest: WeakMap<object, RequestLink>;
  /** The observation whose request is being handed to the wrapped dispatcher right now. */
  dispatching: RequestObservation | undefined;
}

const KEY = Symbol.for('provider-health.requestLinks');
type GlobalWithLinks = typeof globalThis & { [KEY]?: Links };

const holder = globalThis as GlobalWithLinks;
holder[KEY] ??= { byRequest: new WeakMap(), dispatching: undefined };
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
