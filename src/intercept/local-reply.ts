import { CircuitOpenError } from '../breaker/circuit-open-error.js';
import type { RejectWith } from '../config/options.js';
import type { Provider } from '../providers/provider.js';
import { rawHeaders, syntheticResponse } from './synthetic-response.js';
import { type AnyDispatchHandler, type DispatchController, usesNewHandlerApi } from './undici-types.js';

/** A controller for a reply that has no socket behind it: abort only marks it. */
class LocalController implements DispatchController {
  aborted = false;
  paused = false;
  reason: Error | null = null;
  abort(reason: Error): void {
    this.aborted = true;
    this.reason = reason;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
}

/**
 * Answers a dispatch locally while the circuit is open: no socket, no DNS. Delivered on a
 * microtask, like undici's MockAgent does, so `dispatch` has returned before callbacks run;
 * the caller may still abort in between, and then sees its abort instead.
 */
export function replyLocally(handler: AnyDispatchHandler, provider: Provider, rejectWith: RejectWith): void {
  const retryAfterMs = provider.breaker.retryAfterMs();
  queueMicrotask(() => {
    if (usesNewHandlerApi(handler)) replyNewApi(handler, provider, retryAfterMs, rejectWith);
    else replyLegacyApi(handler, provider, retryAfterMs, rejectWith);
  });
}

function replyLegacyApi(
  handler: AnyDispatchHandler,
  provider: Provider,
  retryAfterMs: number,
  rejectWith: RejectWith,
): void {
  let abortReason: Error | undefined;
  let aborted = false;
  handler.onConnect?.((reason?: Error) => {
    aborted = true;
    abortReason = reason;
  });
  if (aborted) {
    handler.onError?.(abortReason ?? new Error('aborted'));
    return;
  }
  if (rejectWith === 'error') {
    handler.onError?.(new CircuitOpenError(provider.name, retryAfterMs));
    return;
  }
  const reply = syntheticResponse(provider, retryAfterMs);
  handler.onHeaders?.(reply.status, rawHeaders(reply.headers), () => {}, reply.statusText);
  if (aborted) {
    handler.onError?.(abortReason ?? new Error('aborted'));
    return;
  }
  handler.onData?.(reply.body);
  handler.onComplete?.([]);
}

function replyNewApi(
  handler: AnyDispatchHandler,
  provider: Provider,
  retryAfterMs: number,
  rejectWith: RejectWith,
): void {
  const controller = new LocalController();
  handler.onRequestStart?.(controller, {});
  if (controller.aborted) {
    handler.onResponseError?.(controller, controller.reason ?? new Error('aborted'));
    return;
  }
  if (rejectWith === 'error') {
    handler.onResponseError?.(controller, new CircuitOpenError(provider.name, retryAfterMs));
    return;
  }
  const reply = syntheticResponse(provider, retryAfterMs);
  handler.onResponseStart?.(controller, reply.status, reply.headers, reply.statusText);
  if (controller.aborted) {
    handler.onResponseError?.(controller, controller.reason ?? new Error('aborted'));
    return;
  }
  handler.onResponseData?.(controller, reply.body);
  handler.onResponseEnd?.(controller, {});
}
