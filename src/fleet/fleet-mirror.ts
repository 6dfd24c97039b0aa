import type { FleetCircuitState, FleetReason, WireMessage, WireReply, WireView } from './fleet-wire.js';

/** One provider's fleet state as this replica knows it; times on this replica's clock. */
export interface FleetProviderState {
  readonly provider: string;
  readonly state: FleetCircuitState;
  /** The store's generation this state belongs to; epochs compare only within one. */
  readonly generation: string;
  /** Increases with every change of the record (state changes, and the failure count leaving or reaching 0). */
  readonly epoch: number;
  /** Fleet-wide consecutive failures while closed (as of the last update that carried it). */
  readonly failures: number;
  /** Trial successes in the current half-open period. */
  readonly successes: number;
  /** Live trial leases across the fleet. */
  readonly trialsInFlight: number;
  /**
   * Open: when trials may start, on this replica's clock (arrival time + the duration Redis
   * gave); undefined when held open with no end, and when not open.
   */
  readonly retryAt: number | undefined;
  readonly forced: boolean;
  /** The replica that opened it (while open or half-open). */
  readonly openedBy: string | undefined;
  readonly reason: FleetReason | undefined;
  /** The failure that opened it, or the operator's note. */
  readonly detail: string | undefined;
  /** The replica whose call made the last change. */
  readonly changedBy: string | undefined;
  /** When this replica learned the current epoch, on its clock. */
  readonly updatedAt: number;
}

/** How a change reached the mirror. */
export type FleetStateCause = 'message' | 'reply' | 'snapshot';

export interface MirrorChange {
  state: FleetProviderState;
  previous: FleetProviderState | undefined;
}

export interface MessageOutcome {
  changes: MirrorChange[];
  /** The message belongs to another generation, or a message was missed: take a snapshot. */
  resync: boolean;
}

export interface ReplicaSeen {
  id: string;
  /** How long before the snapshot Redis last heard from it, ms. */
  lastSeenMsAgo: number;
}

/**
 * The fleet's state in this replica's memory (docs/fleet.md, "Mirror"). It applies a provider's
 * update only when its epoch is newer than the one it holds, so late, duplicated or reordered
 * messages and replies never move a provider backwards. Messages arrive in seq order on one
 * subscription: a jump in seq, or a tick announcing a seq not yet seen, means one was missed.
 */
export class FleetMirror {
  private currentGeneration: string | undefined;
  /** Highest seq that messages or snapshots brought; replies do not advance it. */
  private seenSeq = 0;
  private readonly states = new Map<string, FleetProviderState>();
  private seenReplicas: ReplicaSeen[] = [];
  private seenReplicaCount = 0;

  get generation(): string | undefined {
    return this.currentGeneration;
  }

  get seq(): number {
    return this.seenSeq;
  }

  get(provider: string): FleetProviderState | undefined {
    return this.states.get(provider);
  }

  all(): IterableIterator<FleetProviderState> {
    return this.states.values();
  }

  get replicas(): readonly ReplicaSeen[] {
    return this.seenReplicas;
  }

  get replicaCount(): number {
    return this.seenReplicaCount;
  }

  applyMessage(message: WireMessage, now: number): MessageOutcome {
    if (message.generation !== this.currentGeneration) return { changes: [], resync: true };
    const gap = message.seq > this.seenSeq + (message.view === undefined ? 0 : 1);
    if (message.seq > this.seenSeq) this.seenSeq = message.seq;
    const changes: MirrorChange[] = [];
    if (message.view !== undefined) this.applyView(message.view, message.generation, now, false, changes);
    return { changes, resync: gap };
  }

  /** A script's reply about one provider. False when it belongs to another generation. */
  applyReply(reply: WireReply, now: number, changes: MirrorChange[]): boolean {
    if (reply.generation !== this.currentGeneration) return false;
    if (reply.view !== undefined) this.applyView(reply.view, reply.generation, now, true, changes);
    return true;
  }

  /**
   * A snapshot (or heartbeat) of the whole fleet at seq S. A provider absent from it is closed with
   * no failures as of S: its record was removed by a change with an epoch of at most S.
   * False, and nothing applied, when it belongs to another generation.
   */
  applySnapshot(reply: WireReply, now: number, changes: MirrorChange[]): boolean {
    if (reply.generation !== this.currentGeneration || reply.views === undefined) return false;
    for (const view of reply.views.values()) this.applyView(view, reply.generation, now, true, changes);
    for (const state of this.states.values()) {
      if (reply.views.has(state.provider) || state.epoch >= reply.seq) continue;
      if (state.state === 'closed' && state.failures === 0) {
        // Nothing to tell: only the epoch moves, so that older messages stay refused.
        this.states.set(state.provider, { ...state, epoch: reply.seq });
      } else {
        this.applyView(closedView(state.provider, reply.seq), reply.generation, now, true, changes);
      }
    }
    if (reply.seq > this.seenSeq) this.seenSeq = reply.seq;
    this.applyReplicas(reply);
    return true;
  }

  /**
   * Starts over in a new generation (first sync, or a store that lost its data): every provider
   * takes the snapshot's state, whatever its epoch. Returns each provider's new and old state.
   */
  replace(reply: WireReply, now: number): MirrorChange[] {
    const previous = new Map(this.states);
    this.states.clear();
    this.currentGeneration = reply.generation;
    this.seenSeq = reply.seq;
    const changes: MirrorChange[] = [];
    for (const view of reply.views?.values() ?? []) {
      const state = toState(view, reply.generation, now, undefined);
      this.states.set(view.provider, state);
      changes.push({ state, previous: previous.get(view.provider) });
    }
    for (const old of previous.values()) {
      if (this.states.has(old.provider)) continue;
      const state = toState(closedView(old.provider, reply.seq), reply.generation, now, undefined);
      this.states.set(old.provider, state);
      changes.push({ state, previous: old });
    }
    this.applyReplicas(reply);
    return changes;
  }

  private applyReplicas(reply: WireReply): void {
    if (reply.replicas === undefined) return;
    this.seenReplicas = [...reply.replicas].map(([id, lastSeenMsAgo]) => ({ id, lastSeenMsAgo }));
    this.seenReplicaCount = reply.replicaCount ?? this.seenReplicas.length;
  }

  /**
   * Newer epoch: the whole state. Same epoch from a reply or snapshot: only the counts, which
   * change without a new epoch (a second failure, a granted lease). Older: nothing.
   */
  private applyView(
    view: WireView,
    generation: string,
    now: number,
    freshCounts: boolean,
    changes: MirrorChange[],
  ): void {
    const current = this.states.get(view.provider);
    if (current !== undefined && view.epoch < current.epoch) return;
    if (current !== undefined && view.epoch === current.epoch) {
      if (!freshCounts) return;
      if (
        current.failures !== view.failures ||
        current.successes !== view.successes ||
        current.trialsInFlight !== view.trials
      ) {
        this.states.set(view.provider, {
          ...current,
          failures: view.failures,
          successes: view.successes,
          trialsInFlight: view.trials,
        });
      }
      return;
    }
    const state = toState(view, generation, now, current);
    this.states.set(view.provider, state);
    changes.push({ state, previous: current });
  }
}

function toState(
  view: WireView,
  generation: string,
  now: number,
  previous: FleetProviderState | undefined,
): FleetProviderState {
  return {
    provider: view.provider,
    state: view.state,
    generation,
    epoch: view.epoch,
    failures: view.failures,
    successes: view.successes,
    trialsInFlight: view.trials,
    retryAt: view.state === 'open' && view.retryInMs >= 0 ? now + view.retryInMs : undefined,
    forced: view.forced,
    openedBy: view.openedBy,
    reason: view.reason ?? (view.state === previous?.state ? previous.reason : undefined),
    detail: view.detail,
    changedBy: view.by,
    updatedAt: now,
  };
}

function closedView(provider: string, epoch: number): WireView {
  return {
    provider,
    state: 'closed',
    epoch,
    failures: 0,
    successes: 0,
    trials: 0,
    retryInMs: 0,
    forced: false,
    openedBy: undefined,
    reason: undefined,
    detail: undefined,
    by: undefined,
  };
}
