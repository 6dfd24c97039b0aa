import type { Clock } from '../common/clock.js';
import type { FleetRedisTarget } from '../config/redis-url.js';
import type { FleetLog } from './fleet-log.js';
import type { FleetProviderState, FleetStateCause, ReplicaSeen } from './fleet-mirror.js';
import type { RedisClientModule } from './redis-connection.js';

/** What the fleet store takes and gives (docs/fleet.md). */

export interface FleetStoreOptions {
  redis: FleetRedisTarget;
  fleet: string;
  /** @default the plugin's log (src/common/log.ts) */
  log?: FleetLog;
  /** @default host:pid:random */
  replicaId?: string;
  /**
   * Local time, monotonic (the breaker's clock): only durations are measured with it.
   * @default the system clock
   */
  clock?: Clock;
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

/** An opening a replica's breaker made by a rule the fleet does not count (the slow-call rule). */
export interface FleetTrip {
  reason: 'slow_call_rate';
  recoveryTimeoutMs: number;
  detail: string;
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
      reason?: 'half_open_failure' | 'half_open_slow_call' | 'trial_timeout';
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
  /** Of which snapshots: the heartbeat's, one per interval, and a resync's. */
  snapshots: number;
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
  /** This replica's failures and resets of `provider` have all been answered (or dropped). */
  counted: (provider: string) => void;
  connected: () => void;
  disconnected: (reason: string) => void;
}
