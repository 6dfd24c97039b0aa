/**
 * A loopback TCP proxy in front of Redis that one store connects through, so a test can cut one
 * replica off (a partition) while the others keep their connections. Cutting stops forwarding in
 * both directions without closing anything, as a network that drops packets would look to both
 * ends; restoring lets the held bytes through, as TCP retransmission would.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  /** Bytes held during a partition, each with where it goes, in arrival order. */
  private readonly heldBytes: [Socket, Buffer][] = [];
  /** Connections opened and closes made during a partition, delivered when it heals. */
  private readonly heldConnections: (() => void)[] = [];
  private cutOff = false;
  private delay = 0;
  /** Connections whose first bytes from the client contain this get no replies. */
  private muted: string | undefined;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(upstreamPort: number): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy?.accept(client, upstreamPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    proxy = new TcpProxy(server, port);
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Every byte waits this long each way (a slow network or an overloaded Redis); order is kept. */
  set delayMs(ms: number) {
    this.delay = ms;
  }

  /**
   * Replies stop reaching the connections whose opening bytes contain `text` (a client name):
   * one connection of a client goes quiet while the others work, which no socket event reveals.
   */
  mute(text: string): void {
    this.muted = text;
  }

  unmute(): void {
    this.muted = undefined;
    this.release();
  }

  partition(): void {
    this.cutOff = true;
  }

  heal(): void {
    this.cutOff = false;
    this.release();
    for (const start of this.heldConnections.splice(0)) start();
  }

  private release(): void {
    for (const [to, bytes] of this.heldBytes.splice(0)) if (!to.destroyed) to.write(bytes);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, upstreamPort: number): void {
    this.track(client);
    const early: Buffer[] = [];
    let opening = '';
    const buffer = (chunk: Buffer): void => {
      early.push(chunk);
    };
    client.on('data', (chunk: Buffer) => {
      if (opening.length < 512) opening += chunk.toString('latin1');
    });
    client.on('data', buffer);
    const start = (): void => {
      if (client.destroyed) return;
      const upstream = connect(upstreamPort, '127.0.0.1');
      this.track(upstream);
      client.off('data', buffer);
      for (const chunk of early) upstream.write(chunk);
      this.forward(client, upstream, () => false);
      this.forward(upstream, client, () => this.muted !== undefined && opening.includes(this.muted));
      // A close crosses the partition only when it heals, like any other packet.
      client.on('close', () => this.deliver(() => upstream.destroy()));
      upstream.on('close', () => this.deliver(() => client.destroy()));
    };
    // A connection made during the partition gets through only when it heals.
    if (this.cutOff) this.heldConnections.push(start);
    else start();
  }

  private deliver(action: () => void): void {
    if (this.cutOff) this.heldConnections.push(action);
    else action();
  }

  private forward(from: Socket, to: Socket, silenced: () => boolean): void {
    let releaseAt = 0;
    let pending = 0;
    from.on('data', (chunk: Buffer) => {
      if (this.cutOff || silenced()) {
        this.heldBytes.push([to, chunk]);
        return;
      }
      // Never before an earlier chunk, even when the delay has just been lowered: timers with
      // the same or a later due time fire in the order they were set.
      releaseAt = Math.max(releaseAt, Date.now() + this.delay);
      const wait = releaseAt - Date.now();
      if (wait <= 0 && pending === 0) {
        to.write(chunk);
        return;
      }
      pending++;
      setTimeout(
        () => {
          pending--;
          if (!to.destroyed) to.write(chunk);
        },
        Math.max(0, wait),
      );
    });
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
