import { Duplex } from 'node:stream';

/**
 * Two connected in-memory streams: what one writes, the other reads (Node 22's
 * `stream.duplexPair()`, which Node 20 lacks). The local HTTP/2 reply runs a real HTTP/2 session
 * over such a pair: no socket, no file descriptor, nothing that keeps the process alive.
 */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (index: number): Duplex =>
    new Duplex({
      read() {
        // Data is pushed by the other end's write.
      },
      write(chunk: Buffer, _encoding, callback) {
        (ends[1 - index] as Duplex).push(chunk);
        callback();
      },
      final(callback) {
        (ends[1 - index] as Duplex).push(null);
        callback();
      },
      destroy(error, callback) {
        const other = ends[1 - index];
        if (other !== undefined && !other.destroyed) other.destroy();
        callback(error);
      },
    });
  ends.push(make(0), make(1));
  return [ends[0] as Duplex, ends[1] as Duplex];
}
