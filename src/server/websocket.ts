import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { lazyRequire } from '../common/lazy-require.js';
import { dropSocket } from './drop-socket.js';
import type { EventHub, LiveFrame } from './event-hub.js';
import type { LiveStreamOptions } from './sse.js';
import { resumeFrom } from './sse.js';

/** One client: bytes sent, how far its pongs prove it has read, the pings awaiting their pong. */
interface LiveClient {
  socket: Duplex;
  alive: boolean;
  sent: number;
  read: number;
  pings: Array<{ at: number; token: Buffer }>;
}

/**
 * The same events as the SSE stream over a WebSocket (`ws://host/health/events`), for clients
 * that want one socket both ways. Messages are the SSE payloads as JSON text frames.
 *
 * A client that stops reading is dropped, never buffered without bound: when more than
 * `maxBufferedBytes` wait in the process, or when more than `maxInFlightBytes` were sent after
 * the last ping it answered. A pong proves the client read everything sent before its ping
 * (one byte stream, in order), and each ping carries a random token the pong must echo, so a
 * client cannot claim to have read what it has not. The kernel's share is thereby bounded too.
 */
export class LiveWebSocket {
  // Created at the first upgrade: ws is loaded only when a WebSocket client comes.
  private server: WebSocketServer | undefined;
  private readonly clients = new Map<WebSocket, LiveClient>();
  private readonly pinger: NodeJS.Timeout;

  constructor(
    private readonly hub: EventHub,
    private readonly options: LiveStreamOptions,
  ) {
    // A client that stopped answering pings (a laptop closed mid-stream) is terminated.
    this.pinger = setInterval(() => {
      for (const [ws, client] of this.clients) {
        if (!client.alive) this.drop(ws, client);
        else {
          client.alive = false;
          this.ping(ws, client);
        }
      }
    }, options.keepAliveMs);
    this.pinger.unref();
  }

  get clientCount(): number {
    return this.server?.clients.size ?? 0;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams): void {
    this.server ??= new (lazyRequire<typeof import('ws')>('ws').WebSocketServer)({
      noServer: true,
      // Clients only listen; anything they send is ignored, so there is no reason to accept much.
      maxPayload: 1024,
      perMessageDeflate: false,
    });
    this.server.handleUpgrade(req, socket, head, (ws) => this.attach(ws, socket, req, query));
  }

  close(): void {
    clearInterval(this.pinger);
    for (const socket of this.server?.clients ?? []) socket.terminate();
    this.clients.clear();
    this.server?.close();
  }

  private attach(ws: WebSocket, socket: Duplex, req: IncomingMessage, query: URLSearchParams): void {
    const client: LiveClient = { socket, alive: true, sent: 0, read: 0, pings: [] };
    this.clients.set(ws, client);
    ws.on('pong', (data: Buffer) => {
      client.alive = true;
      const head = client.pings[0];
      if (head === undefined || !head.token.equals(data)) return;
      client.pings.shift();
      client.read = head.at;
    });
    ws.on('error', () => ws.terminate());
    const { maxBufferedBytes, maxInFlightBytes } = this.options;
    const send = (json: string): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > maxBufferedBytes || client.sent - client.read > maxInFlightBytes) {
        this.drop(ws, client);
        return;
      }
      ws.send(json);
      client.sent += Buffer.byteLength(json);
      // Ask for proof of reading well before the window is spent.
      if (client.pings.length === 0 && client.sent - client.read > maxInFlightBytes / 4)
        this.ping(ws, client);
    };
    const from = resumeFrom(req, query);
    if (from !== undefined) for (const event of this.hub.since(from)) send(JSON.stringify(event));
    send(JSON.stringify(this.hub.snapshot()));
    const unsubscribe = this.hub.subscribe({
      events: (frames) => {
        for (const frame of frames) send(frame.json);
      },
      // A newer snapshot replaces an older one: a client with bytes still queued skips this one.
      snapshot: (frame: LiveFrame) => {
        if (ws.bufferedAmount === 0) send(frame.json);
      },
    });
    ws.on('close', () => {
      unsubscribe();
      this.clients.delete(ws);
    });
  }

  private ping(ws: WebSocket, client: LiveClient): void {
    if (ws.readyState !== ws.OPEN) return;
    const token = randomBytes(8);
    client.pings.push({ at: client.sent, token });
    ws.ping(token);
  }

  private drop(ws: WebSocket, client: LiveClient): void {
    this.clients.delete(ws);
    dropSocket(client.socket);
    ws.terminate();
  }
}
