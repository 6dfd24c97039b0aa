import { PROVIDER_NAME_PATTERN } from '../providers/catalog.js';
import { type FleetClock, systemFleetClock } from './fleet-clock.js';
import { type FleetKeys, fleetKeys } from './fleet-keys.js';
import { describeError, type FleetLog, LogOnce, safeLog } from './fleet-log.js';
import {
  FleetMirror,
  type FleetProviderState,
  type FleetStateCause,
  type MirrorChange,
  type ReplicaSeen,
} from './fleet-mirror.js';
import { isFleetName } from './fleet-name.js';
import type { FleetScriptName } from './fleet-scripts.js';
import { parseMessage, parseReply, WireError, type WireReply } from './fleet-wire.js';
import { LIMITS } from './limits.js';
import { loadRedisClient, type RedisClientModule, RedisConnection } from './redis-connection.js';
import { type FleetRedisTarget, scrubSecret } from './redis-url.js';
import { newGeneration, newReplicaId } from './replica-id.js';

export interface FleetStoreOptions {
  redis: FleetRedisTarget;
  fleet: string;
  log: FleetLog;
  /** @default host:pid:random */
  replicaId?: string;
  clock?: FleetClock;
  /** A command without a reply after this long counts as Redis unreachable. @default 250 */
  commandTimeoutMs?: number;
  /** Presence, fleet-wide ticks and a reconciling snapshot, every this many ms. @default 2000 */
  heartbeatMs?: number;
  /** A replica not heard from for this long leaves the list of replicas seen. @default 5 heartbeats, at least 10 s */
  replicaTtlMs?: number;
  /** Commands in flight at once; past it, work is dropped (the local breaker still decides). @default 32 */
  maxInFlight?: number;
  /** Openings this replica knows of besides the mirror's, offered to a store that lost its data. */
  localOpenings?: () => Iterable<FleetSeed>;
  /** The ioredis module; loaded on demand when not given. */
  client?: RedisClientModule;
}

export interface FleetFailure {
  failureThreshold: number;
  recoveryTimeoutMs: number;
  /** A wait the provider asked for (retry-after): the fleet stays open at least this long. */
  minOpenMs?: number;
  detail?: string;
}

export interface FleetLeaseRequest {
  /** Trials at once across the fleet: the breaker's successThreshold. */
  maxTrials: number;
  /** How long the lease lives: the breaker's trialTimeout. */
  leaseMs: number;
}

/** A fleet-wide trial slot; the breaker admits one trial per lease. */
export interface FleetLease {
  readonly provider: string;
  readonly id: string;
  readonly generation: string;
  readonly leaseMs: number;
  /** When it was granted, on this replica's clock. */
  readonly acquiredAt: number;
}

export type FleetTrialOutcome =
  | { outcome: 'success'; successThreshold: number }
  | {
      outcome: 'failure';
      recoveryTimeoutMs: number;
      minOpenMs?: number;
      /** @default 'half_open_failure' */
      reason?: 'half_open_failure' | 'trial_timeout';
      detail?: string;
    }
  /** The trial ended without an outcome (caller canceled), or the lease went unused. */
  | { outcome: 'ignored' };

/** An opening to restore into a store that lost its data. */
export interface FleetSeed {
  provider: string;
  /** Until trials may start, ms from now; undefined: held open with no end (forced). */
  retryInMs: number | undefined;
  forced: boolean;
  openedBy?: string | undefined;
  detail?: string | undefined;
}

/** For /health and the status page. */
export interface FleetView {
  fleet: string;
  replicaId: string;
  connected: boolean;
  generation: string | undefined;
  replicaCount: number;
  replicas: readonly ReplicaSeen[];
  providers: FleetProviderState[];
}

export interface FleetStats {
  /** Scripts sent to Redis. */
  commands: number;
  /** Work not sent: disconnected, or too much in flight. */
  dropped: number;
  inFlight: number;
  messages: number;
  /** Messages refused: too large, not JSON, malformed or from another fleet. */
  refused: number;
}

export interface FleetEvents {
  state: (
    state: FleetProviderState,
    previous: FleetProviderState | undefined,
    cause: FleetStateCause,
  ) => void;
  connected: () => void;
  disconnected: (reason: string) => void;
}

interface CountSlot {
  inFlight: boolean;
  /** The command in flight carried failures, so a success since then must reset the count. */
  sentFailures: boolean;
  reset: boolean;
  failures: number;
  threshold: number;
  recoveryMs: number;
  minOpenMs: number;
  detail: string | undefined;
}

const NOTHING: Promise<undefined> = Promise.resolve(undefined);
/** A busy fleet's slots free up when trials settle, usually well before the leases expire. */
const MAX_BUSY_BACKOFF_MS = 1_000;
const WARN_INTERVAL_MS = 60_000;
const MAX_TRACKED_LEASES = 1_000;
/** How long a new store may take to connect before the outage warning. */
const STARTUP_GRACE_MS = 5_000;

/**
 * Loads the Redis client (only now: a service without a fleet never does) and starts a store.
 * It connects in the background: until the `connected` event, calls are dropped and each replica
 * keeps its own breakers. Rejects with FleetClientMissingError when ioredis is not installed.
 */
export async function createFleetStore(options: FleetStoreOptions): Promise<FleetStore> {
  const client = options.client ?? (await loadRedisClient());
  const store = new FleetStore(client, options);
  store.start();
  return store;
}

/**
 * A fleet's shared breaker state in Redis, per provider, and this replica's mirror of it
 * (docs/fleet.md). Breaker-agnostic: the breaker tells it what happened and applies the states
 * it reports. Nothing here waits on the network from the caller's side: every call returns at
 * once (operations that report back return a promise that never rejects), work is coalesced per
 * provider and bounded overall, and with all successes and nothing open no command is sent.
 */
export class FleetStore {
  readonly fleet: string;
  readonly replicaId: string;
  private readonly keys: FleetKeys;
  private readonly clock: FleetClock;
  private readonly log: FleetLog;
  private readonly once: LogOnce;
  private readonly connection: RedisConnection;
  private readonly mirror = new FleetMirror();
  private readonly commandTimeoutMs: number;
  private readonly heartbeatMs: number;
  private readonly replicaTtlMs: number;
  private readonly maxInFlight: number;
  private readonly listeners: { [E in keyof FleetEvents]: Set<FleetEvents[E]> } = {
    state: new Set(),
    connected: new Set(),
    disconnected: new Set(),
  };
  private readonly counts = new Map<string, CountSlot>();
  private readonly acquiring = new Set<string>();
  private readonly acquireBackoff = new Map<string, number>();
  private readonly leases = new Map<string, FleetLease>();
  private readonly statistics: FleetStats = { commands: 0, dropped: 0, inFlight: 0, messages: 0, refused: 0 };
  private isConnected = false;
  private everConnected = false;
  private closed = false;
  private syncing: Promise<boolean> | undefined;
  private recoveryTimer: unknown;
  private heartbeatTimer: unknown;
  private recoveryAttempt = 0;
  private lastMessageAt = 0;
  private outageWarned = false;
  private lastWarnAt = Number.NEGATIVE_INFINITY;
  private startupTimer: unknown;

  constructor(
    client: RedisClientModule,
    private readonly options: FleetStoreOptions,
  ) {
    if (!isFleetName(options.fleet))
      throw new RangeError(`provider-health: invalid fleet name ${options.fleet}`);
    this.fleet = options.fleet;
    this.replicaId = options.replicaId ?? newReplicaId();
    if (!/^[\x21-\x7e]+$/.test(this.replicaId) || this.replicaId.length > LIMITS.replicaIdChars) {
      throw new RangeError('provider-health: a replica id is 1 to 128 visible ASCII characters');
    }
    this.clock = options.clock ?? systemFleetClock;
    this.log = options.log;
    this.once = new LogOnce(options.log);
    this.commandTimeoutMs = positive('commandTimeoutMs', options.commandTimeoutMs ?? 250);
    this.heartbeatMs = positive('heartbeatMs', options.heartbeatMs ?? 2_000);
    this.replicaTtlMs = positive(
      'replicaTtlMs',
      options.replicaTtlMs ?? Math.max(10_000, 5 * this.heartbeatMs),
    );
    this.maxInFlight = positive('maxInFlight', options.maxInFlight ?? 32);
    this.keys = fleetKeys(this.fleet);
    this.connection = new RedisConnection(client, {
      target: options.redis,
      commandTimeoutMs: this.commandTimeoutMs,
      connectionName: `provider-health:${this.fleet}`,
      channel: this.keys.channel,
      keys: this.keys.all,
      onMessage: (text) => this.onMessage(text),
      onEvent: (event) => this.onConnectionEvent(event),
    });
  }

  /** True while the mirror is current: subscribed, synced, and the last command answered. */
  get connected(): boolean {
    return this.isConnected;
  }

  get generation(): string | undefined {
    return this.mirror.generation;
  }

  stats(): Readonly<FleetStats> {
    return { ...this.statistics };
  }

  /** The fleet's state of one provider as this replica knows it; undefined: closed, never counted. */
  state(provider: string): FleetProviderState | undefined {
    return this.mirror.get(provider);
  }

  view(): FleetView {
    return {
      fleet: this.fleet,
      replicaId: this.replicaId,
      connected: this.isConnected,
      generation: this.mirror.generation,
      replicaCount: this.mirror.replicaCount,
      replicas: this.mirror.replicas,
      providers: [...this.mirror.all()],
    };
  }

  on<E extends keyof FleetEvents>(event: E, listener: FleetEvents[E]): () => void {
    this.listeners[event].add(listener);
    return () => {
      this.listeners[event].delete(listener);
    };
  }

  start(): void {
    this.connection.connect();
    // The first attempt waits for a connection ('ready'); this one is the fallback.
    this.recoveryAttempt = 1;
    this.scheduleRecovery();
    this.scheduleHeartbeat();
    this.startupTimer = this.clock.setTimer(() => {
      if (!this.everConnected) this.warnOutage('no connection yet');
    }, STARTUP_GRACE_MS);
  }

  /** A failure while closed. Counted fleet-wide; opens the fleet at `failureThreshold`. */
  failure(provider: string, report: FleetFailure): void {
    if (!this.isConnected || !PROVIDER_NAME_PATTERN.test(provider)) return;
    const state = this.mirror.get(provider);
    // Like the breaker: a request admitted before the opening says nothing about the provider now.
    if (state !== undefined && state.state !== 'closed') return;
    let slot = this.counts.get(provider);
    if (slot === undefined) {
      slot = emptySlot();
      this.counts.set(provider, slot);
    }
    slot.failures = Math.min(slot.failures + 1, LIMITS.count);
    slot.threshold = clampInt(report.failureThreshold, 1, LIMITS.count);
    slot.recoveryMs = clampInt(report.recoveryTimeoutMs, 0, LIMITS.durationMs);
    slot.minOpenMs = Math.max(slot.minOpenMs, clampInt(report.minOpenMs ?? 0, 0, LIMITS.durationMs));
    slot.detail = truncate(report.detail);
    if (!slot.inFlight) this.flushCount(provider, slot);
  }

  /**
   * A success while closed. Sends a reset only when the fleet's count is not 0 as far as the
   * mirror knows, or this replica has failures of its own on the way: all-success traffic sends
   * nothing.
   */
  success(provider: string): void {
    const slot = this.counts.get(provider);
    if (slot === undefined) {
      const state = this.mirror.get(provider);
      if (state === undefined || state.failures === 0 || state.state !== 'closed' || !this.isConnected)
        return;
      const fresh = emptySlot();
      fresh.reset = true;
      this.counts.set(provider, fresh);
      this.flushCount(provider, fresh);
      return;
    }
    if (slot.failures === 0 && !slot.sentFailures) return;
    slot.failures = 0;
    slot.minOpenMs = 0;
    slot.reset = true;
    if (!slot.inFlight) this.flushCount(provider, slot);
  }

  /**
   * Asks for a trial slot. Resolves with a lease, or undefined: not granted (slots taken, not yet
   * time, disconnected, a request already on the way). Never rejects.
   */
  acquireTrialLease(provider: string, request: FleetLeaseRequest): Promise<FleetLease | undefined> {
    if (!this.isConnected || this.acquiring.has(provider) || !PROVIDER_NAME_PATTERN.test(provider)) {
      return NOTHING;
    }
    const until = this.acquireBackoff.get(provider);
    if (until !== undefined && this.clock.now() < until) return NOTHING;
    this.acquiring.add(provider);
    const args = [
      provider,
      clampInt(request.maxTrials, 1, LIMITS.maxTrials),
      clampInt(request.leaseMs, 1, LIMITS.durationMs),
    ];
    return this.call('acquire', args).then((reply) => {
      this.acquiring.delete(provider);
      if (reply === undefined) return undefined;
      this.applyReply(reply);
      const now = this.clock.now();
      if (reply.result === 'granted' && reply.lease !== undefined) {
        const lease: FleetLease = {
          provider,
          id: reply.lease.id,
          generation: reply.generation,
          leaseMs: reply.lease.ms,
          acquiredAt: now,
        };
        if (this.leases.size < MAX_TRACKED_LEASES) this.leases.set(lease.id, lease);
        return lease;
      }
      if (reply.result === 'wait' || reply.result === 'busy') {
        const wait = reply.retryInMs ?? 0;
        // Held open with no end: wait for a message that changes the state (it clears this).
        const delay = wait < 0 ? Number.POSITIVE_INFINITY : wait;
        this.acquireBackoff.set(
          provider,
          now + (reply.result === 'busy' ? Math.min(delay, MAX_BUSY_BACKOFF_MS) : delay),
        );
      }
      return undefined;
    });
  }

  /** Settles a trial that ran under `lease`. A failure reopens the fleet; successes close it. */
  trialResult(lease: FleetLease, result: FleetTrialOutcome): void {
    this.leases.delete(lease.id);
    this.settle(lease, result);
  }

  /** Operator: open fleet-wide, for `durationMs` or until reset. Resolves false when not applied. */
  forceOpen(provider: string, durationMs?: number, detail?: string): Promise<boolean> {
    if (durationMs !== undefined && !(Number.isFinite(durationMs) && durationMs >= 0)) {
      return Promise.resolve(false);
    }
    const duration = durationMs === undefined ? -1 : clampInt(durationMs, 0, LIMITS.durationMs);
    return this.control(provider, ['force_open', duration, truncate(detail) ?? '']);
  }

  /** Operator: close fleet-wide and clear the counts. Resolves false when not applied. */
  reset(provider: string): Promise<boolean> {
    return this.control(provider, ['reset', -1, '']);
  }

  /** An active health check passed: an open (not forced) fleet may start its trials now. */
  healthCheckSucceeded(provider: string): void {
    const state = this.mirror.get(provider);
    if (state === undefined || state.state !== 'open' || state.forced) return;
    void this.control(provider, ['health_check', -1, '']);
  }

  /**
   * Restores an opening into the current generation if it has the provider closed. The store
   * does this by itself when it finds its data lost; exposed for a breaker that opened while
   * the fleet was unreachable.
   */
  seedOpen(seed: FleetSeed): Promise<boolean> {
    const generation = this.mirror.generation;
    if (generation === undefined) return Promise.resolve(false);
    return this.seed(seed, generation);
  }

  /** Releases the leases it holds, leaves the replicas seen, and disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.isConnected) {
      const farewell: Promise<unknown>[] = [...this.leases.values()].map((lease) =>
        this.settle(lease, { outcome: 'ignored' }),
      );
      farewell.push(this.connection.removeReplica(this.keys.replicas, this.replicaId).catch(() => undefined));
      await Promise.all(farewell);
    }
    this.closed = true;
    this.isConnected = false;
    this.clock.clearTimer(this.recoveryTimer);
    this.clock.clearTimer(this.heartbeatTimer);
    this.clock.clearTimer(this.startupTimer);
    this.connection.close();
  }

  private settle(lease: FleetLease, result: FleetTrialOutcome): Promise<void> {
    const args: (string | number)[] = [lease.provider, lease.generation, lease.id, result.outcome];
    if (result.outcome === 'success') {
      args.push(clampInt(result.successThreshold, 1, LIMITS.maxTrials), 0, 0, 'half_open_failure', '');
    } else if (result.outcome === 'failure') {
      args.push(
        1,
        clampInt(result.recoveryTimeoutMs, 0, LIMITS.durationMs),
        clampInt(result.minOpenMs ?? 0, 0, LIMITS.durationMs),
        result.reason ?? 'half_open_failure',
        truncate(result.detail) ?? '',
      );
    } else {
      args.push(1, 0, 0, 'half_open_failure', '');
    }
    return this.call('settle', args).then((reply) => {
      if (reply !== undefined) this.applyReply(reply);
    });
  }

  private control(provider: string, args: (string | number)[]): Promise<boolean> {
    if (!PROVIDER_NAME_PATTERN.test(provider)) return Promise.resolve(false);
    return this.call('control', [provider, ...args]).then((reply) => {
      if (reply === undefined) return false;
      this.applyReply(reply);
      return reply.result !== 'ignored';
    });
  }

  private seed(seed: FleetSeed, generation: string, duringSync = false): Promise<boolean> {
    if (!PROVIDER_NAME_PATTERN.test(seed.provider)) return Promise.resolve(false);
    const retry = seed.retryInMs === undefined ? -1 : clampInt(seed.retryInMs, 0, LIMITS.durationMs);
    const openedBy =
      seed.openedBy !== undefined && /^[\x21-\x7e]{1,128}$/.test(seed.openedBy)
        ? seed.openedBy
        : this.replicaId;
    const args = [
      seed.provider,
      'seed',
      // An opening with no end that was not an operator's would never recover: give it one.
      retry < 0 && !seed.forced ? 0 : retry,
      truncate(seed.detail) ?? '',
      generation,
      seed.forced ? 1 : 0,
      openedBy,
    ];
    return this.call('control', args, duringSync).then((reply) => {
      if (reply === undefined) return false;
      if (!duringSync) this.applyReply(reply);
      return reply.result === 'opened';
    });
  }

  private flushCount(provider: string, slot: CountSlot): void {
    if (!slot.reset && slot.failures === 0) {
      this.counts.delete(provider);
      return;
    }
    const args = [
      provider,
      slot.reset ? 1 : 0,
      slot.failures,
      slot.threshold,
      slot.recoveryMs,
      slot.minOpenMs,
      slot.detail ?? '',
    ];
    slot.sentFailures = slot.failures > 0;
    slot.inFlight = true;
    slot.reset = false;
    slot.failures = 0;
    slot.minOpenMs = 0;
    slot.detail = undefined;
    void this.call('count', args).then((reply) => {
      slot.inFlight = false;
      slot.sentFailures = false;
      if (reply !== undefined) this.applyReply(reply);
      // Cleared while in flight (disconnected): the pending work went with it.
      if (this.counts.get(provider) !== slot) return;
      if (!this.isConnected) this.counts.delete(provider);
      else this.flushCount(provider, slot);
    });
  }

  /**
   * Runs one script. Resolves undefined when it was not sent (disconnected, too much in flight)
   * or failed; never rejects. `sync` calls belong to a resync and run while disconnected.
   */
  private async call(
    script: FleetScriptName,
    args: readonly (string | number)[],
    sync = false,
  ): Promise<WireReply | undefined> {
    if (this.closed || (!sync && !this.isConnected) || this.statistics.inFlight >= this.maxInFlight) {
      this.statistics.dropped++;
      return undefined;
    }
    this.statistics.inFlight++;
    this.statistics.commands++;
    let raw: unknown;
    try {
      // A fresh candidate each time: a store emptied twice must not get an old generation back.
      raw = await this.connection.run(script, [
        this.fleet,
        this.keys.channel,
        newGeneration(),
        this.replicaId,
        ...args,
      ]);
    } catch (error) {
      this.onCommandError(script, error);
      return undefined;
    } finally {
      this.statistics.inFlight--;
    }
    try {
      return parseReply(raw);
    } catch (error) {
      const refusal = error instanceof WireError ? error.refusal : 'malformed';
      this.once.warn(`reply.${refusal}`, `fleet ${this.fleet}: a reply from Redis was refused (${refusal})`);
      return undefined;
    }
  }

  private onCommandError(script: FleetScriptName, error: unknown): void {
    const message = this.scrub(describeError(error));
    // Our own scripts refusing an argument or a full store: not an outage.
    if (message.includes('provider-health:')) {
      this.once.warn(`script.${script}`, `fleet ${this.fleet}: Redis refused ${script}: ${message}`);
      return;
    }
    this.markDisconnected(message);
  }

  private applyReply(reply: WireReply): void {
    const changes: MirrorChange[] = [];
    if (!this.mirror.applyReply(reply, this.clock.now(), changes)) {
      this.requestResync();
      return;
    }
    this.emitChanges(changes, 'reply');
  }

  private onMessage(text: string): void {
    if (this.closed) return;
    this.statistics.messages++;
    let message: ReturnType<typeof parseMessage>;
    try {
      message = parseMessage(text, this.fleet);
    } catch (error) {
      this.statistics.refused++;
      const refusal = error instanceof WireError ? error.refusal : 'malformed';
      this.once.warn(
        `message.${refusal}`,
        `fleet ${this.fleet}: ignored a message on ${this.keys.channel} (${refusal}); later ones like it are ignored silently`,
      );
      return;
    }
    const now = this.clock.now();
    this.lastMessageAt = now;
    if (this.mirror.generation === undefined) return;
    const outcome = this.mirror.applyMessage(message, now);
    this.emitChanges(outcome.changes, 'message');
    if (outcome.resync) this.requestResync();
  }

  private onConnectionEvent(event: 'ready' | 'close' | 'subscriber-ready' | 'subscriber-close'): void {
    if (this.closed) return;
    if (event === 'close') this.markDisconnected('connection to Redis closed');
    else if (event === 'subscriber-close') this.markDisconnected('subscription to the fleet channel closed');
    else if (!this.isConnected) {
      // Try at once rather than at the next backoff step.
      this.recoveryAttempt = 0;
      this.clock.clearTimer(this.recoveryTimer);
      this.recoveryTimer = undefined;
      this.scheduleRecovery();
    }
  }

  private markDisconnected(reason: string): void {
    if (this.closed) return;
    const wasConnected = this.isConnected;
    this.isConnected = false;
    this.counts.clear();
    this.acquireBackoff.clear();
    if (wasConnected) {
      this.warnOutage(reason);
      this.emit('disconnected', reason);
    }
    this.scheduleRecovery();
  }

  /** One warning per outage, and at most one a minute when Redis flaps. */
  private warnOutage(reason: string): void {
    if (this.outageWarned) return;
    this.outageWarned = true;
    const now = this.clock.now();
    const level = now - this.lastWarnAt >= WARN_INTERVAL_MS ? 'warn' : 'debug';
    if (level === 'warn') this.lastWarnAt = now;
    safeLog(
      this.log,
      level,
      `fleet ${this.fleet}: Redis ${this.options.redis.display} is unreachable (${reason}); each replica uses its own breakers until it is back`,
    );
  }

  private scheduleRecovery(): void {
    if (this.closed || this.recoveryTimer !== undefined || this.syncing !== undefined || this.isConnected)
      return;
    const attempt = this.recoveryAttempt;
    const delay = attempt === 0 ? 0 : Math.min(2_000, 50 * 2 ** Math.min(attempt, 6)) + Math.random() * 50;
    this.recoveryTimer = this.clock.setTimer(() => {
      this.recoveryTimer = undefined;
      void this.resync();
    }, delay);
  }

  private requestResync(): void {
    if (this.isConnected) void this.resync();
  }

  private resync(): Promise<boolean> {
    if (this.syncing !== undefined) return this.syncing;
    this.syncing = this.synchronize()
      .catch(() => false)
      .then((synced) => {
        this.syncing = undefined;
        if (synced) this.recoveryAttempt = 0;
        else {
          this.recoveryAttempt++;
          if (this.isConnected) this.markDisconnected('resync failed');
          else this.scheduleRecovery();
        }
        return synced;
      });
    return this.syncing;
  }

  /**
   * Subscribe first, then read: every change after the snapshot then arrives as a message, and
   * the epoch rule drops the ones the snapshot already holds (docs/fleet.md, "Resync").
   */
  private async synchronize(): Promise<boolean> {
    await this.connection.ensureSubscribed();
    let snapshot = await this.snapshot();
    if (snapshot === undefined) return false;
    const known = this.mirror.generation;
    if (known !== undefined && snapshot.generation !== known) {
      await this.reseed(snapshot.generation);
      snapshot = await this.snapshot();
      if (snapshot === undefined) return false;
    }
    const now = this.clock.now();
    let changes: MirrorChange[];
    if (snapshot.generation !== this.mirror.generation) {
      if (known !== undefined) {
        safeLog(
          this.log,
          'warn',
          `fleet ${this.fleet}: Redis lost the fleet's data; openings restored, state resynced`,
        );
      }
      changes = this.mirror.replace(snapshot, now);
    } else {
      changes = [];
      this.mirror.applySnapshot(snapshot, now, changes);
    }
    this.lastMessageAt = now;
    if (!this.isConnected && !this.closed) {
      this.isConnected = true;
      this.everConnected = true;
      if (this.outageWarned)
        safeLog(this.log, 'info', `fleet ${this.fleet}: Redis reachable again; resynced`);
      this.outageWarned = false;
      this.emit('connected');
    }
    this.emitChanges(changes, 'snapshot');
    return true;
  }

  private snapshot(): Promise<WireReply | undefined> {
    return this.call('snapshot', [1, this.replicaTtlMs, this.heartbeatMs], true).then((reply) =>
      reply?.views === undefined ? undefined : reply,
    );
  }

  /** The store lost its data: restore what this replica knew to be open (docs/fleet.md, "Generations"). */
  private async reseed(generation: string): Promise<void> {
    const now = this.clock.now();
    const seeds = new Map<string, FleetSeed>();
    for (const state of this.mirror.all()) {
      if (state.state === 'closed') continue;
      seeds.set(state.provider, {
        provider: state.provider,
        // Half-open: trials may start at once in the new generation.
        retryInMs:
          state.forced && state.retryAt === undefined ? undefined : Math.max(0, (state.retryAt ?? now) - now),
        forced: state.forced,
        openedBy: state.openedBy,
        detail: state.detail,
      });
    }
    try {
      for (const seed of this.options.localOpenings?.() ?? []) {
        if (!seeds.has(seed.provider) && seeds.size < LIMITS.providers) seeds.set(seed.provider, seed);
      }
    } catch (error) {
      this.once.warn('localOpenings', `fleet ${this.fleet}: localOpenings failed: ${describeError(error)}`);
    }
    for (const seed of seeds.values()) await this.seed(seed, generation, true);
  }

  private scheduleHeartbeat(): void {
    if (this.closed) return;
    this.heartbeatTimer = this.clock.setTimer(() => {
      void this.heartbeat().finally(() => this.scheduleHeartbeat());
    }, this.heartbeatMs);
  }

  /**
   * Presence, and a snapshot that reconciles the mirror. A channel silent for several heartbeats
   * (every heartbeat makes sure a tick goes out) means the subscription died unnoticed.
   */
  private async heartbeat(): Promise<void> {
    if (!this.isConnected || this.syncing !== undefined) return;
    const silent = this.clock.now() - this.lastMessageAt;
    if (silent > 4 * this.heartbeatMs) {
      this.connection.renewSubscriber();
      this.markDisconnected(`no message on the fleet channel for ${Math.round(silent)} ms`);
      return;
    }
    const snapshot = await this.call('snapshot', [1, this.replicaTtlMs, this.heartbeatMs]);
    if (snapshot === undefined || !this.isConnected) return;
    const changes: MirrorChange[] = [];
    if (!this.mirror.applySnapshot(snapshot, this.clock.now(), changes)) this.requestResync();
    this.emitChanges(changes, 'snapshot');
  }

  private emitChanges(changes: readonly MirrorChange[], cause: FleetStateCause): void {
    for (const change of changes) {
      this.acquireBackoff.delete(change.state.provider);
      this.emit('state', change.state, change.previous, cause);
    }
  }

  private emit<E extends keyof FleetEvents>(event: E, ...args: Parameters<FleetEvents[E]>): void {
    for (const listener of this.listeners[event]) {
      try {
        (listener as (...a: Parameters<FleetEvents[E]>) => void)(...args);
      } catch (error) {
        this.once.warn(
          `listener.${event}`,
          `fleet ${this.fleet}: a ${event} listener threw: ${describeError(error)}`,
        );
      }
    }
  }

  private scrub(text: string): string {
    return scrubSecret(text, this.options.redis.password);
  }
}

function emptySlot(): CountSlot {
  return {
    inFlight: false,
    sentFailures: false,
    reset: false,
    failures: 0,
    threshold: 1,
    recoveryMs: 0,
    minOpenMs: 0,
    detail: undefined,
  };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`provider-health: fleet ${name} must be a number > 0, got ${String(value)}`);
  }
  return value;
}

function clampInt(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return value > 0 ? max : min;
  return Math.min(max, Math.max(min, Math.round(value)));
}

function truncate(detail: string | undefined): string | undefined {
  if (detail === undefined || detail === '') return undefined;
  return detail.length > LIMITS.detailChars ? detail.slice(0, LIMITS.detailChars) : detail;
}
