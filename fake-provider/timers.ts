/**
 * Waits `ms`, or less when `signal` aborts (client gone, server closing). Resolves `true` when
 * the full time passed. The timer is unref'd and cleared on abort, so a fake server never keeps
 * a process alive and leaves no timer behind after `close()`.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    timer.unref();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
