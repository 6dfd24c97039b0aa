import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRegistry } from 'provider-health';
import { type Args, type Command, str } from '../../intercept/children/runtime.js';

export const processCommands: Record<string, Command> = {
  /** Resident memory and heap, bytes. */
  memory: () => {
    const { rss, heapUsed } = process.memoryUsage();
    return { rss, heapUsed };
  },

  /** The provider the app's own copy of the plugin (ESM build) maps a host to, if any. */
  providerFor: (args: Args) => getRegistry().providerForHost(str(args, 'host'), 443)?.name ?? null,

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
