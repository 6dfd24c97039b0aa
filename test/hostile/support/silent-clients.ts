import { connect, type Socket } from 'node:net';

/**
 * `count` connections to `url` that send the start of a request and then neither finish it nor
 * read: the clients of a slowloris, or of a service that leaks sockets. Resolves once each has
 * connected or been refused.
 */
export async function openSilentClients(url: string, count: number): Promise<Socket[]> {
  const { hostname, port } = new URL(url);
  const sockets: Socket[] = [];
  const settled: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(Number(port), hostname);
    socket.on('error', () => {});
    sockets.push(socket);
    settled.push(
      new Promise<void>((resolve) => {
        socket.once('connect', () => {
          socket.write(`GET /health HTTP/1.1\r\nhost: ${hostname}:${port}\r\n`);
          socket.pause();
          resolve();
        });
        socket.once('close', () => resolve());
      }),
    );
  }
  await Promise.all(settled);
  return sockets;
}
