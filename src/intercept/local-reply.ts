import { type LocalAnswer, localAnswerError } from '../common/circuit-open-error.js';
import { logOnce } from '../common/log.js';
import type { RejectWith } from '../config/options.js';
import type { Provider } from '../providers/provider.js';
import { syntheticResponse } from './synthetic-response.js';
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
 * Answers a dispatch locally while the circuit is open or the budget is spent: no socket, no DNS. Delivered on a
 * macrotask (setImmediate), so `dispatch` has returned before callbacks run and the caller may
 * still abort in between (it then sees its abort instead). Not on a microtask: a service that
 * retries at once would then chain rejection after rejection without the event loop ever
 * turning, and its timers, sockets and own endpoints would freeze for as long as the circuit
 * stays open (docs/design.md, "The host never pays"). A real request always costs at least one
 * turn of the loop; so does this answer.
 */
export function replyLocally(
  handler: AnyDispatchHandler,
  provider: Provider,
  answer: LocalAnswer,
  rejectWith: RejectWith,
): void {
  setImmediate(() => {
    const controller = new LocalController();
    const settled = { done: false };
    try {
      if (usesNewHandlerApi(handler)) replyNewApi(handler, controller, settled, provider, answer, rejectWith);
      else replyLegacyApi(handler, settled, provider, answer, rejectWith);
    } catch (error) {
      // A handler may throw from a callback (undici 7's RetryHandler throws its RequestRetryError
      // from onResponseEnd by design). undici aborts such a request and hands the error to the
      // handler's error callback, even after the end; uncaught here, it crashed the process.
      failHandler(handler, controller, settled, error);
    }
  });
}

function failHandler(
  handler: AnyDispatchHandler,
  controller: LocalController,
  settled: { done: boolean },
  error: unknown,
): void {
  const reason = error instanceof Error ? error : new Error(String(error));
  try {
    // The handler's error callback itself threw: like undici, do not call it twice.
    if (settled.done) throw reason;
    settled.done = true;
    // As undici does: the request is aborted with the error (handlers check controller.aborted).
    controller.abort(reason);
    if (usesNewHandlerApi(handler)) handler.onResponseError?.(controller, reason);
    else handler.onError?.(reason);
  } catch (failure) {
    logOnce('local-reply', 'a request handler threw while the local reply was delivered', failure);
  }
}

function replyLegacyApi(
  handler: AnyDispatchHandler,
  settled: { done: boolean },
  provider: Provider,
  answer: LocalAnswer,
  rejectWith: RejectWith,
): void {
  let abortReason: Error | undefined;
  let aborted = false;
  handler.onConnect?.((reason?: Error) => {
    aborted = true;
    abortReason = reason;
  });
  if (aborted) {
    settled.done = true;
    handler.onError?.(abortReason ?? new Error('aborted'));
    return;
  }
  if (rejectWith === 'error') {
    settled.done = true;
    handler.onError?.(localAnswerError(answer));
    return;
  }
  const reply = syntheticResponse(provider, answer);
  handler.onHeaders?.(reply.status, reply.rawHeaders, () => {}, reply.statusText);
  if (aborted) {
    settled.done = true;
    handler.onError?.(abortReason ?? new Error('aborted'));
    return;
  }
  handler.onData?.(Buffer.from(reply.body));
  handler.onComplete?.([]);
}

function replyNewApi(
  handler: AnyDispatchHandler,
  controller: LocalController,
  settled: { done: boolean },
  provider: Provider,
  answer: LocalAnswer,
  rejectWith: RejectWith,
): void {
  handler.onRequestStart?.(controller, {});
  if (controller.aborted) {
    settled.done = true;
    handler.onResponseError?.(controller, controller.reason ?? new Error('aborted'));
    return;
  }
  if (rejectWith === 'error') {
    settled.done = true;
    handler.onResponseError?.(controller, localAnswerError(answer));
    return;
  }
  const reply = syntheticResponse(provider, answer);
  handler.onResponseStart?.(controller, reply.status, reply.headers, reply.statusText);
  if (controller.aborted) {
    settled.done = true;
    handler.onResponseError?.(controller, controller.reason ?? new Error('aborted'));
    return;
  }
  handler.onResponseData?.(controller, Buffer.from(reply.body));
  handler.onResponseEnd?.(controller, {});
}
