import type { Socket } from 'node:net';
import { getRegistry, startHealthServer } from 'provider-health';
import { type Args, type Command, num, str } from '../../intercept/children/runtime.js';

type Running = Awaited<ReturnType<typeof startHealthServer>>;
let running: Running | undefined;
const sockets = new Set<Socket>();
/** Bytes written to live clients' sockets while each transition was being announced. */
const writtenDuringTransition: number[] = [];

const bytesWritten = (): number => {
  let total = 0;
  for (const socket of sockets) total += socket.bytesWritten;
  return total;
};

export const liveServerCommands: Record<string, Command> = {
  /**
   * The service mounts the health server itself (public API), on loopback. Transition listeners
   * subscribed before and after it bracket its own: what it writes while a transition is being
   * announced is what a provider request pays.
   */
  startLiveServer: async (args: Args) => {
    const events = getRegistry().events;
    let before = 0;
    events.on('transition', () => {
      before = bytesWritten();
    });
    running = await startHealthServer(getRegistry(), {
      port: 0,
      maxInFlightBytes: num(args, 'maxInFlightBytes'),
    });
    events.on('transition', () => {
      writtenDuringTransition.push(bytesWritten() - before);
    });
    running.server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    return running.url;
  },

  liveClients: () => running?.handler.events.subscriberCount ?? 0,

  writtenDuringTransition: () => writtenDuringTransition,

  /** `pairs` times: force a provider open, then reset it (4 events each), yielding now and then. */
  storm: async (args: Args) => {
    const provider = getRegistry().getProvider(str(args, 'name'));
    if (provider === undefined) throw new Error('no such provider');
    for (let i = 0; i < num(args, 'pairs'); i++) {
      provider.breaker.forceOpen();
      provider.reset();
      if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
  },
};
