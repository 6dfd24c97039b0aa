import { readdirSync } from 'node:fs';
import type { Command } from '../../intercept/children/runtime.js';

export const processCommands: Record<string, Command> = {
  /** Resident memory and heap, bytes. */
  memory: () => {
    const { rss, heapUsed } = process.memoryUsage();
    return { rss, heapUsed };
  },

  /** Open file descriptors of this process (Linux: /proc/self/fd). */
  fileCount: () => readdirSync('/proc/self/fd').length,
};
