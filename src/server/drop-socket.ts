import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * Closes a live client's socket with a TCP reset. A plain close keeps whatever the kernel still
 * holds for a client that stopped reading (megabytes per socket on loopback) until it is sent or
 * times out; a reset frees it at once.
 */
export function dropSocket(socket: Duplex | null | undefined): void {
  if (socket === null || socket === undefined || socket.destroyed) return;
  try {
    (socket as Socket).resetAndDestroy();
  } catch {
    // Not a TCP socket (TLS, a test double): an ordinary destroy.
    socket.destroy();
  }
}
