import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { lazyRequire } from '../common/lazy-require.js';
import type { EventHub } from './event-hub.js';
import type { LiveStreamOptions } from './sse.js';
import { resumeFrom } from './sse.js';

/**
 * The same events as the SSE stream over a WebSocket (`ws://host/health/events`), for clients
 * that want one socket both ways. Messages are the SSE payloads as JSON text frames.
 */
export class LiveWebSocket {
  // Created at the first upgrade: ws is loaded only when a WebSocket client comes.
  private server: WebSocketServer | undefined;
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly pinger: NodeJS.Timeout;

  constructor(
    private readonly hub: EventHub,
    private readonly options: LiveStreamOptions,
  ) {
    // A client that stopped answering pings (a laptop closed mid-stream) is terminated.
    this.pinger = setInterval(() => {
      for (const socket of this.server?.clients ?? []) {
        if (this.alive.get(socket) === false) socket.terminate();
        else {
          this.alive.set(socket, false);
          socket.ping();
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
    this.server.handleUpgrade(req, socket, head, (ws) => this.attach(ws, req, query));
  }

  close(): void {
    clearInterval(this.pinger);
    for (const socket of this.server?.clients ?? []) socket.terminate();
    this.server?.close();
  }

  private attach(ws: WebSocket, req: IncomingMessage, query: URLSearchParams): void {
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('error', () => ws.terminate());
    // Slow consumers are dropped, never buffered without bound; they reconnect with ?since=.
    const send = (value: unknown): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > this.options.maxBufferedBytes) {
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(value));
    };
    const from = resumeFrom(req, query);
    if (from !== undefined) for (const event of this.hub.since(from)) send(event);
    send(this.hub.snapshot());
    const unsubscribe = this.hub.subscribe({ event: send, snapshot: send });
    ws.on('close', unsubscribe);
  }
}
