import { request } from 'node:http';
import WebSocket from 'ws';
import { HANG_MS } from '../support/waits.js';

export interface ReceivedEvent {
  id?: string;
  event: string;
  data: Record<string, unknown>;
  /** performance.now() when the frame was parsed. */
  receivedAt: number;
}

/** A minimal SSE client over node:http, recording when each event arrived. */
export class SseClient {
  readonly events: ReceivedEvent[] = [];
  comments = 0;
  closed = false;
  private buffer = '';
  private waiters: Array<() => void> = [];
  private constructor(readonly destroy: () => void) {}

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        const client = new SseClient(() => res.destroy());
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.feed(chunk));
        res.on('close', () => {
          client.closed = true;
          client.wake();
        });
        resolve(client);
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Waits until an event matches, returning it; `timeoutMs` only ends the wait for a hang. */
  async next(match: (event: ReceivedEvent) => boolean, timeoutMs = HANG_MS): Promise<ReceivedEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found !== undefined) return found;
      if (this.closed || Date.now() > deadline) throw new Error('no matching event');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) this.comments++;
        const colon = line.indexOf(': ');
        if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 2);
      }
      if (fields.data === undefined) continue;
      this.events.push({
        id: fields.id,
        event: fields.event ?? 'message',
        data: JSON.parse(fields.data),
        receivedAt: performance.now(),
      });
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** The WebSocket counterpart: same events, one JSON message each. */
export async function openWebSocket(url: string): Promise<{ socket: WebSocket; events: ReceivedEvent[] }> {
  const socket = new WebSocket(url);
  const events: ReceivedEvent[] = [];
  socket.on('message', (data) => {
    const parsed = JSON.parse(String(data)) as Record<string, unknown>;
    events.push({ event: String(parsed.type), data: parsed, receivedAt: performance.now() });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, events };
}

/** Polls `check` until true; `timeoutMs` only ends the wait for a hang. */
export async function waitFor(check: () => boolean, timeoutMs = HANG_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
