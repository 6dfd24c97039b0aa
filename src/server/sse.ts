import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventHub } from './event-hub.js';
import type { LiveEvent, SnapshotMessage } from './live-event.js';

export interface LiveStreamOptions {
  keepAliveMs: number;
  maxBufferedBytes: number;
}

/**
 * `GET /health/events` as Server-Sent Events: replays what the client missed (`Last-Event-ID`,
 * sent by browsers on reconnect, or `?since=`), then a snapshot, then live events, with a
 * comment line as keep-alive so proxies do not cut an idle stream.
 */
export function serveEventStream(
  req: IncomingMessage,
  res: ServerResponse,
  hub: EventHub,
  query: URLSearchParams,
  options: LiveStreamOptions,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // nginx buffers responses unless told otherwise; a live stream must not sit in a buffer.
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  res.socket?.setNoDelay(true);
  let closed = false;
  let unsubscribe = (): void => {};
  let keepAlive: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(keepAlive);
    unsubscribe();
  };
  // A consumer that does not read is dropped rather than buffered without bound: the client
  // reconnects with Last-Event-ID and gets the replay instead.
  const write = (chunk: string): void => {
    if (closed) return;
    if (res.writableLength > options.maxBufferedBytes) {
      stop();
      res.destroy();
      return;
    }
    res.write(chunk);
  };
  req.on('close', stop);
  res.on('close', stop);
  res.on('error', stop);

  write(`retry: 2000\n\n`);
  const from = resumeFrom(req, query);
  if (from !== undefined) for (const event of hub.since(from)) write(eventFrame(event));
  write(snapshotFrame(hub.snapshot()));
  unsubscribe = hub.subscribe({
    event: (event: LiveEvent) => write(eventFrame(event)),
    snapshot: (snapshot: SnapshotMessage) => write(snapshotFrame(snapshot)),
  });
  keepAlive = setInterval(() => write(': keep-alive\n\n'), options.keepAliveMs);
  keepAlive.unref();
}

/** The header a browser sends on reconnect wins over the query the page first connected with. */
export function resumeFrom(req: IncomingMessage, query: URLSearchParams): number | undefined {
  const header = req.headers['last-event-id'];
  const raw = typeof header === 'string' && header !== '' ? header : query.get('since');
  if (raw === null || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

// JSON.stringify never emits a raw newline, so each payload is exactly one `data:` line.
const eventFrame = (event: LiveEvent): string =>
  `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

const snapshotFrame = (snapshot: SnapshotMessage): string =>
  `event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`;
