import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

let appServer: Server | undefined;

export const appServerCommands: Record<string, Command> = {
  /** The service's own HTTP server (its port is what clients of the service reach), on loopback. */
  startAppServer: async () => {
    appServer ??= createServer((_req, res) => res.end('ok'));
    if (!appServer.listening)
      await new Promise<void>((resolve) => appServer?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;
  },
};
