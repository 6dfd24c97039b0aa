import type { ProviderRegistry } from '../providers/registry.js';
import { providersView } from './health-json.js';
import { type LiveEvent, type SnapshotMessage, statusMessage, transitionMessage } from './live-event.js';

/** One connected SSE or WebSocket client. */
export interface LiveSubscriber {
  event(event: LiveEvent): void;
  snapshot(snapshot: SnapshotMessage): void;
}

const HOUR_MS = 3_600_000;
// A burst of transitions sends one snapshot, not one per event.
const SNAPSHOT_COALESCE_MS = 50;

/**
 * Turns the registry's transition and status callbacks into numbered events, keeps the recent
 * ones for replay after a reconnect, and fans them out to live clients. Its timers run only
 * while someone is listening and are unref'd.
 */
export class EventHub {
  private readonly buffer: LiveEvent[] = [];
  private readonly subscribers = new Set<LiveSubscriber>();
  private lastId = 0;
  private periodic: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;
  private readonly unsubscribe: Array<() => void>;

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly capacity: number,
    private readonly snapshotIntervalMs: number,
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
    for (const subscriber of [...this.subscribers]) subscriber.event(event);
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
    const snapshot = this.snapshot();
    for (const subscriber of [...this.subscribers]) subscriber.snapshot(snapshot);
  }

  private stopTimers(): void {
    if (this.periodic !== undefined) clearInterval(this.periodic);
    if (this.pending !== undefined) clearTimeout(this.pending);
    this.periodic = undefined;
    this.pending = undefined;
  }
}
