import type { IncomingMessage, ServerResponse } from 'node:http';
import { dropSocket } from './drop-socket.js';
import type { EventHub, LiveFrame } from './event-hub.js';
import type { LiveEvent } from './live-event.js';

export interface LiveStreamOptions {
  keepAliveMs: number;
  maxBufferedBytes: number;
  maxInFlightBytes: number;
}

// After a stream has ended (its byte budget spent), a client that does not close its side by
// then is reset: it is not reading.
const END_GRACE_MS = 2_000;

/**
 * `GET /health/events` as Server-Sent Events: replays what the client missed (`Last-Event-ID`,
 * sent by browsers on reconnect, or `?since=`), then a snapshot, then live events, with a
 * comment line as keep-alive so proxies do not cut an idle stream.
 *
 * What a client that stopped reading can cost is bounded twice. Bytes queued in the process
 * above `maxBufferedBytes` drop it. And SSE has no way back to tell what the client has read,
 * so a stream ends after `maxInFlightBytes`: a reading client reconnects (EventSource does so by
 * itself) and resumes from its Last-Event-ID without missing anything, while one that does not
 * read never holds more than that in socket buffers, the kernel's included.
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
  let sent = 0;
  let unsubscribe = (): void => {};
  let keepAlive: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(keepAlive);
    unsubscribe();
  };
  const end = (): void => {
    stop();
    const socket = res.socket;
    res.end();
    socket?.end();
    const reset = setTimeout(() => dropSocket(socket), END_GRACE_MS);
    reset.unref();
    socket?.once('close', () => clearTimeout(reset));
  };
  const write = (chunk: string): void => {
    if (closed) return;
    if (res.writableLength > options.maxBufferedBytes) {
      stop();
      dropSocket(res.socket);
      return;
    }
    res.write(chunk);
    sent += Buffer.byteLength(chunk);
    if (sent >= options.maxInFlightBytes) end();
  };
  req.on('close', stop);
  res.on('close', stop);
  res.on('error', stop);

  write(`retry: 2000\n\n`);
  const from = resumeFrom(req, query);
  if (from !== undefined)
    for (const event of hub.since(from)) write(eventFrame(event, JSON.stringify(event)));
  write(snapshotFrame(JSON.stringify(hub.snapshot())));
  if (closed) return;
  unsubscribe = hub.subscribe({
    events: (frames) => {
      for (const frame of frames) write(eventFrame(frame.message, frame.json));
    },
    // A newer snapshot replaces an older one: a client with bytes still queued skips this one.
    snapshot: (frame: LiveFrame) => {
      if (res.writableLength === 0) write(snapshotFrame(frame.json));
    },
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
const eventFrame = (event: LiveEvent, json: string): string =>
  `id: ${event.id}\nevent: ${event.type}\ndata: ${json}\n\n`;

const snapshotFrame = (json: string): string => `event: snapshot\ndata: ${json}\n\n`;
