import type { ProviderRegistry } from '../providers/registry.js';
import { providersView } from './health-json.js';
import { type LiveEvent, type SnapshotMessage, statusMessage, transitionMessage } from './live-event.js';

/** A live message with its JSON, serialised once for every client. */
export interface LiveFrame<T = LiveEvent | SnapshotMessage> {
  readonly message: T;
  readonly json: string;
}

/** One connected SSE or WebSocket client. */
export interface LiveSubscriber {
  /** Events published since the last delivery, in order. */
  events(frames: readonly LiveFrame<LiveEvent>[]): void;
  snapshot(frame: LiveFrame<SnapshotMessage>): void;
}

export function liveFrame<T extends LiveEvent | SnapshotMessage>(message: T): LiveFrame<T> {
  return { message, json: JSON.stringify(message) };
}

const HOUR_MS = 3_600_000;
// A burst of transitions sends one snapshot, not one per event.
const SNAPSHOT_COALESCE_MS = 50;

/**
 * Turns the registry's transition and status events into numbered events, keeps the recent
 * ones for replay after a reconnect, and fans them out to live clients. Fan-out is never on
 * the path that published the event (a provider request, the breaker's timer): events are
 * queued and delivered together on the next turn of the event loop, each serialised once
 * (docs/design.md, "The host never pays"). At most `maxSubscribers` clients at once. Its timers
 * run only while someone is listening and are unref'd.
 */
export class EventHub {
  private readonly buffer: LiveEvent[] = [];
  private readonly subscribers = new Set<LiveSubscriber>();
  private lastId = 0;
  private periodic: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;
  private queued: LiveEvent[] = [];
  private flushing: NodeJS.Immediate | undefined;
  private readonly unsubscribe: Array<() => void>;

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly capacity: number,
    private readonly snapshotIntervalMs: number,
    readonly maxSubscribers = Number.POSITIVE_INFINITY,
  ) {
    this.unsubscribe = [
      registry.events.on('transition', (event) => {
        this.publish(transitionMessage(++this.lastId, event));
      }),
      registry.events.on('status', (event) => {
        this.publish(statusMessage(++this.lastId, event));
      }),
    ];
  }

  /** No room for another live client. */
  get full(): boolean {
    return this.subscribers.size >= this.maxSubscribers;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  get latestId(): number {
    return this.lastId;
  }

  /**
   * Events after `afterId`. An id from the future (a previous process) or one older than the
   * buffer gets everything kept: a client may see an event twice, never miss one silently.
   */
  since(afterId: number): LiveEvent[] {
    if (afterId > this.lastId) return [...this.buffer];
    return this.buffer.filter((event) => event.id > afterId);
  }

  /** Events of the last hour, for the status page's timeline. */
  recent(now = Date.now()): LiveEvent[] {
    return this.buffer.filter((event) => now - Date.parse(event.at) <= HOUR_MS);
  }

  snapshot(): SnapshotMessage {
    return { type: 'snapshot', last_event_id: this.lastId, ...providersView(this.registry) };
  }

  subscribe(subscriber: LiveSubscriber): () => void {
    this.subscribers.add(subscriber);
    if (this.periodic === undefined && this.snapshotIntervalMs > 0) {
      this.periodic = setInterval(() => this.broadcastSnapshot(), this.snapshotIntervalMs);
      this.periodic.unref();
    }
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stopTimers();
    };
  }

  close(): void {
    for (const off of this.unsubscribe) off();
    this.subscribers.clear();
    this.stopTimers();
  }

  private publish(event: LiveEvent): void {
    this.buffer.push(event);
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
    if (this.subscribers.size === 0) return;
    this.queued.push(event);
    if (this.flushing === undefined) {
      this.flushing = setImmediate(() => this.flush());
      this.flushing.unref();
    }
  }

  private flush(): void {
    this.flushing = undefined;
    const frames = this.queued.map(liveFrame);
    this.queued = [];
    if (frames.length === 0 || this.subscribers.size === 0) return;
    for (const subscriber of [...this.subscribers]) subscriber.events(frames);
    if (this.pending === undefined) {
      this.pending = setTimeout(() => {
        this.pending = undefined;
        this.broadcastSnapshot();
      }, SNAPSHOT_COALESCE_MS);
      this.pending.unref();
    }
  }

  private broadcastSnapshot(): void {
    if (this.subscribers.size === 0) return;
    const frame = liveFrame(this.snapshot());
    for (const subscriber of [...this.subscribers]) subscriber.snapshot(frame);
  }

  private stopTimers(): void {
    if (this.periodic !== undefined) clearInterval(this.periodic);
    if (this.pending !== undefined) clearTimeout(this.pending);
    if (this.flushing !== undefined) clearImmediate(this.flushing);
    this.periodic = undefined;
    this.pending = undefined;
    this.flushing = undefined;
    this.queued = [];
  }
}
