import { connect, type Socket } from 'node:net';

/**
 * `count` connections to `url` that send the start of a request and then neither finish it nor
 * read: the clients of a slowloris, or of a service that leaks sockets. With `path`, each sends
 * a whole GET of it instead and then never reads the answer. Resolves once each has connected or
 * been refused.
 */
export async function openSilentClients(url: string, count: number, path?: string): Promise<Socket[]> {
  const { hostname, port } = new URL(url);
  const request =
    path === undefined
      ? `GET /health HTTP/1.1\r\nhost: ${hostname}:${port}\r\n`
      : `GET ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\n\r\n`;
  const sockets: Socket[] = [];
  const settled: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(Number(port), hostname);
    socket.on('error', () => {});
    sockets.push(socket);
    settled.push(
      new Promise<void>((resolve) => {
        socket.once('connect', () => {
          socket.write(request);
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
