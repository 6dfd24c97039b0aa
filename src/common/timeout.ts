import { logOnce } from './log.js';

/**
 * Waits for `work` at most `ms`, on an unref'd timer (the wait itself never keeps the process
 * alive), and never rejects: a failed or slow flush is one log line, not an error for the host.
 */
export async function withTimeout(work: Promise<unknown>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
    timer.unref();
  });
  try {
    const result = await Promise.race([work.then(() => 'done' as const), expired]);
    if (result === 'timeout')
      logOnce(`otel:${what}:timeout`, `${what} did not finish within ${ms} ms; gave up`);
  } catch (error) {
    logOnce(`otel:${what}:error`, `${what} failed`, error);
  } finally {
    clearTimeout(timer);
  }
}
