import type { Duplex } from 'node:stream';
import type { ErrorCode } from './http-error.js';

// A client that never reads may never let the answer's last byte leave: it is closed anyway.
const CLOSE_AFTER_MS = 1_000;

/**
 * Answers on a raw socket that has no ServerResponse (a malformed or timed-out request, a refused
 * upgrade) in the JSON shape of every other error, then closes the socket for good, as Node's own
 * server does. A half-close (`end()` alone) kept the socket of a client that neither reads nor
 * closes, one file descriptor each, for ever (docs/design.md, "The host never pays").
 */
export function answerAndClose(
  socket: Duplex,
  status: number,
  reason: string,
  code: ErrorCode,
  message: string,
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `cache-control: no-store\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
  setTimeout(() => socket.destroy(), CLOSE_AFTER_MS).unref();
}
