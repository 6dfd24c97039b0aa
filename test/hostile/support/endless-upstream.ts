import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the upstream saw of one endless answer. */
export interface EndlessAnswer {
  /** Bytes handed to the kernel for this answer so far. */
  bytes: number;
  /** The client closed the connection (it stopped reading and let go). */
  closed: boolean;
}

export interface EndlessUpstream {
  url: string;
  answers: EndlessAnswer[];
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, '{"data":[{"id":"model"}]}');

/**
 * A loopback server whose every answer is endless: `GET /<status>` answers that status and then
 * writes as fast as the client reads, for ever. Counts what each answer sent.
 */
export async function startEndlessUpstream(): Promise<EndlessUpstream> {
  const answers: EndlessAnswer[] = [];
  const server: Server = createServer((req, res) => {
    const answer: EndlessAnswer = { bytes: 0, closed: false };
    answers.push(answer);
    res.writeHead(Number(req.url?.slice(1)) || 200, { 'content-type': 'application/json' });
    const pump = (): void => {
      while (!res.destroyed) {
        answer.bytes += CHUNK.length;
        if (!res.write(CHUNK)) return;
      }
    };
    res.on('drain', pump);
    res.on('close', () => {
      answer.closed = true;
    });
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
