import { logOnce } from './log.js';

/**
 * Calls a callback the plugin does not own (a subscriber of the event surface, a user's status
 * callback) so that nothing it does reaches the caller: a throw of any value is logged once and
 * swallowed, and a returned promise that rejects is caught (an `async` callback would otherwise
 * end the process through an unhandled rejection). Two positional arguments, no argument array:
 * this runs on the request path.
 */
export function callSafely<A, B>(kind: string, callback: (a: A, b: B) => unknown, a: A, b: B): void {
  try {
    const result: unknown = callback(a, b);
    if (result !== undefined && isThenable(result)) {
      result.then(undefined, (error: unknown) => reportFailure(kind, callback, error));
    }
  } catch (error) {
    reportFailure(kind, callback, error);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return (
      (typeof value === 'object' || typeof value === 'function') &&
      value !== null &&
      typeof (value as { then?: unknown }).then === 'function'
    );
  } catch {
    // A hostile object whose `then` getter throws: treated as a plain value.
    return false;
  }
}

function reportFailure(kind: string, callback: (...args: never[]) => unknown, error: unknown): void {
  let name = '';
  try {
    name = typeof callback.name === 'string' ? callback.name.slice(0, 60) : '';
  } catch {
    // An exotic function object: the kind alone keys the message.
  }
  logOnce(`callback:${kind}:${name}`, `a ${kind} callback threw or rejected; it is skipped`, error);
}
