import { type Clock, systemClock } from '../common/clock.js';
import { log as pluginLog } from '../common/log.js';
import { isQualifiedName } from '../common/provider-name.js';
import { isFleetName } from '../config/fleet-name.js';
import { scrubSecret } from '../config/redis-url.js';
import { FailureCounts } from './failure-counts.js';
import { type FleetKeys, fleetKeys } from './fleet-keys.js';
import { describeError, type FleetLog, LogOnce, safeLog } from './fleet-log.js';
import {
  FleetMirror,
  type FleetProviderState,
  type FleetStateCause,
  type MirrorChange,
} from './fleet-mirror.js';
import type { FleetScriptName } from './fleet-scripts.js';
import type {
  FleetEvents,
  FleetFailure,
  FleetLease,
  FleetLeaseRequest,
  FleetSeed,
  FleetStats,
  FleetStoreOptions,
  FleetTrialOutcome,
  FleetTrip,
  FleetView,
} from './fleet-types.js';
import { parseMessage, WireError, type WireReply } from './fleet-wire.js';
import { clampInt, LIMITS, truncateDetail } from './limits.js';
import { loadRedisClient, type RedisClientModule, RedisConnection } from './redis-connection.js';
import { newReplicaId } from './replica-id.js';
import { seedsToRestore } from './reseed.js';
import { ScriptRunner } from './script-runner.js';

const NOTHING: Promise<undefined> = Promise.resolve(undefined);
/** A busy fleet's slots free up when trials settle, usually well before the leases expire. */
const MAX_BUSY_BACKOFF_MS = 1_000;
const WARN_INTERVAL_MS = 60_000;
const MAX_TRACKED_LEASES = 1_000;
/** How long a new store may take to connect before the outage warning. */
const STARTUP_GRACE_MS = 5_000;
const REPLICA_ID = /^[\x21-\x7e]{1,128}$/;

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
  private readonly clock: Clock;
  private readonly log: FleetLog;
  private readonly once: LogOnce;
  private readonly connection: RedisConnection;
  private readonly scripts: ScriptRunner;
  private readonly mirror = new FleetMirror();
  private readonly counts: FailureCounts;
  private readonly heartbeatMs: number;
  private readonly replicaTtlMs: number;
  private readonly listeners: { [E in keyof FleetEvents]: Set<FleetEvents[E]> } = {
    state: new Set(),
    counted: new Set(),
    connected: new Set(),
    disconnected: new Set(),
  };
  private readonly acquiring = new Set<string>();
  private readonly acquireBackoff = new Map<string, number>();
  private readonly leases = new Map<string, FleetLease>();
  private readonly statistics: FleetStats = {
    commands: 0,
    snapshots: 0,
    dropped: 0,
    inFlight: 0,
    messages: 0,
    refused: 0,
  };
  private isConnected = false;
  private everConnected = false;
  private closed = false;
  private syncing: Promise<boolean> | undefined;
  private recoveryTimer: unknown;
  private heartbeatTimer: unknown;
  private startupTimer: unknown;
  private recoveryAttempt = 0;
  private lastMessageAt = 0;
  private outageWarned = false;
  private lastWarnAt = Number.NEGATIVE_INFINITY;

  constructor(
    client: RedisClientModule,
    private readonly options: FleetStoreOptions,
  ) {
    if (!isFleetName(options.fleet))
      throw new RangeError(`provider-health: invalid fleet name ${options.fleet}`);
    this.fleet = options.fleet;
    this.replicaId = options.replicaId ?? newReplicaId();
    if (!REPLICA_ID.test(this.replicaId)) {
      throw new RangeError('provider-health: a replica id is 1 to 128 visible ASCII characters');
    }
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? pluginLog;
    this.once = new LogOnce(this.log);
    const commandTimeoutMs = positive('commandTimeoutMs', options.commandTimeoutMs ?? 250);
    this.heartbeatMs = positive('heartbeatMs', options.heartbeatMs ?? 2_000);
    this.replicaTtlMs = positive(
      'replicaTtlMs',
      options.replicaTtlMs ?? Math.max(10_000, 5 * this.heartbeatMs),
    );
    this.keys = fleetKeys(this.fleet);
    this.connection = new RedisConnection(client, {
      target: options.redis,
      commandTimeoutMs,
      connectionName: `provider-health:${this.fleet}`,
      channel: this.keys.channel,
      keys: this.keys.all,
      onMessage: (text) => this.onMessage(text),
      onEvent: (event) => this.onConnectionEvent(event),
    });
    this.scripts = new ScriptRunner(this.connection, {
      fleet: this.fleet,
      channel: this.keys.channel,
      replicaId: this.replicaId,
      maxInFlight: positive('maxInFlight', options.maxInFlight ?? 32),
      stats: this.statistics,
      once: this.once,
      onUnreachable: (reason) => this.markDisconnected(reason),
      scrub: (text) => scrubSecret(text, options.redis.password),
    });
    this.counts = new FailureCounts(
      (provider, args) =>
        this.call('count', [provider, ...args]).then((reply) => reply && this.applyReply(reply)),
      (provider) => this.emit('counted', provider),
    );
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
    if (!this.isConnected || !isQualifiedName(provider)) return;
    const state = this.mirror.get(provider);
    // Like the breaker: a request admitted before the opening says nothing about the provider now.
    if (state !== undefined && state.state !== 'closed') return;
    this.counts.failure(provider, report);
  }

  /** Failures or a reset of this replica's are on their way to the fleet count. */
  countsPending(provider: string): boolean {
    return this.counts.has(provider);
  }

  /**
   * A success while closed. Sends a reset only when the fleet's count is not 0 as far as the
   * mirror knows, or this replica has failures of its own on the way: all-success traffic sends
   * nothing.
   */
  success(provider: string): void {
    if (!this.counts.has(provider)) {
      const state = this.mirror.get(provider);
      if (state === undefined || state.failures === 0 || state.state !== 'closed' || !this.isConnected)
        return;
    }
    this.counts.success(provider);
  }

  /**
   * Asks for a trial slot. Resolves with a lease, or undefined: not granted (slots taken, not yet
   * time, disconnected, a request already on the way). Never rejects.
   */
  acquireTrialLease(provider: string, request: FleetLeaseRequest): Promise<FleetLease | undefined> {
    if (!this.isConnected || this.acquiring.has(provider) || !isQualifiedName(provider)) {
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
      return reply === undefined ? undefined : this.leaseFrom(provider, reply);
    });
  }

  /** Settles a trial that ran under `lease`. A failure reopens the fleet; successes close it. */
  trialResult(lease: FleetLease, result: FleetTrialOutcome): void {
    this.leases.delete(lease.id);
    void this.settle(lease, result);
  }

  /** Operator: open fleet-wide, for `durationMs` or until reset. Resolves false when not applied. */
  forceOpen(provider: string, durationMs?: number, detail?: string): Promise<boolean> {
    if (durationMs !== undefined && !(Number.isFinite(durationMs) && durationMs >= 0)) {
      return Promise.resolve(false);
    }
    const duration = durationMs === undefined ? -1 : clampInt(durationMs, 0, LIMITS.durationMs);
    return this.control(provider, ['force_open', duration, truncateDetail(detail) ?? '']);
  }

  /** Operator: close fleet-wide and clear the counts. Resolves false when not applied. */
  reset(provider: string): Promise<boolean> {
    return this.control(provider, ['reset', -1, '']);
  }

  /**
   * A replica's breaker opened by a rule the fleet does not count (the slow-call rule): opens the
   * fleet for `recoveryTimeoutMs` unless it is open already. Resolves false when not applied.
   */
  trip(provider: string, trip: FleetTrip): Promise<boolean> {
    if (!this.isConnected) return Promise.resolve(false);
    const duration = clampInt(trip.recoveryTimeoutMs, 0, LIMITS.durationMs);
    return this.control(provider, ['trip', duration, truncateDetail(trip.detail) ?? '', trip.reason]);
  }

  /** An active health check passed: an open (not forced) fleet may start its trials now. */
  healthCheckSucceeded(provider: string): void {
    const state = this.mirror.get(provider);
    if (state === undefined || state.state !== 'open' || state.forced) return;
    void this.control(provider, ['health_check', -1, '']);
  }

  /**
   * Opens `provider` in the current generation if the fleet has it closed. The store does this by
   * itself when it finds its data lost; a breaker may use it for an opening it made alone while
   * the fleet was unreachable.
   */
  seedOpen(seed: FleetSeed): Promise<boolean> {
    const generation = this.mirror.generation;
    if (generation === undefined) return Promise.resolve(false);
    return this.seed(seed, generation, false);
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

  private leaseFrom(provider: string, reply: WireReply): FleetLease | undefined {
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
        truncateDetail(result.detail) ?? '',
      );
    } else {
      args.push(1, 0, 0, 'half_open_failure', '');
    }
    return this.call('settle', args).then((reply) => {
      if (reply !== undefined) this.applyReply(reply);
    });
  }

  private control(provider: string, args: (string | number)[]): Promise<boolean> {
    if (!isQualifiedName(provider)) return Promise.resolve(false);
    return this.call('control', [provider, ...args]).then((reply) => {
      if (reply === undefined) return false;
      this.applyReply(reply);
      return reply.result !== 'ignored';
    });
  }

  private seed(seed: FleetSeed, generation: string, duringSync: boolean): Promise<boolean> {
    if (!isQualifiedName(seed.provider)) return Promise.resolve(false);
    const retry = seed.retryInMs === undefined ? -1 : clampInt(seed.retryInMs, 0, LIMITS.durationMs);
    const openedBy =
      seed.openedBy !== undefined && REPLICA_ID.test(seed.openedBy) ? seed.openedBy : this.replicaId;
    const args = [
      seed.provider,
      'seed',
      // An opening with no end that was not an operator's would never recover: give it one.
      retry < 0 && !seed.forced ? 0 : retry,
      truncateDetail(seed.detail) ?? '',
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

  /** `sync` calls belong to a resync and may run while disconnected. */
  private call(
    script: FleetScriptName,
    args: readonly (string | number)[],
    sync = false,
  ): Promise<WireReply | undefined> {
    return this.scripts.run(script, args, !this.closed && (sync || this.isConnected));
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
   * the epoch rule drops the ones the snapshot already holds (docs/fleet.md, "Mirror").
   */
  private async synchronize(): Promise<boolean> {
    await this.connection.ensureSubscribed();
    let snapshot = await this.snapshot(true);
    if (snapshot === undefined) return false;
    const known = this.mirror.generation;
    if (known !== undefined && snapshot.generation !== known) {
      const seeds = seedsToRestore(
        this.mirror.all(),
        this.clock.now(),
        this.options.localOpenings,
        this.once,
      );
      for (const seed of seeds) await this.seed(seed, snapshot.generation, true);
      snapshot = await this.snapshot(true);
      if (snapshot === undefined) return false;
      safeLog(
        this.log,
        'warn',
        `fleet ${this.fleet}: Redis lost the fleet's data; openings restored, state resynced`,
      );
    }
    const now = this.clock.now();
    let changes: MirrorChange[] = [];
    if (snapshot.generation !== this.mirror.generation) changes = this.mirror.replace(snapshot, now);
    else this.mirror.applySnapshot(snapshot, now, changes);
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

  /** A snapshot that is also this replica's heartbeat (presence, tick). */
  private snapshot(sync: boolean): Promise<WireReply | undefined> {
    this.statistics.snapshots++;
    return this.call('snapshot', [1, this.replicaTtlMs, this.heartbeatMs], sync).then((reply) =>
      reply?.views === undefined ? undefined : reply,
    );
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
    const snapshot = await this.snapshot(false);
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
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`provider-health: fleet ${name} must be a number > 0, got ${String(value)}`);
  }
  return value;
}
