import * as workerThreads from 'node:worker_threads';

/**
 * Whether this is Node's own module-loader thread (the one that runs `--import` hooks such as
 * tsx's), not one of the application's threads. Node runs `--require` and `--import` preloads
 * there too; a plugin started there would print every message twice and compete with the
 * application for its ports. Node 22.14 and later say so (`isInternalThread`); before, it is the
 * one worker without a `parentPort`, which every worker the application starts has.
 */
export function isLoaderThread(): boolean {
  const internal = (workerThreads as { isInternalThread?: boolean }).isInternalThread;
  if (typeof internal === 'boolean') return internal;
  return !workerThreads.isMainThread && workerThreads.parentPort === null;
}
