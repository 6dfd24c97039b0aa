import type { CircuitState } from '../breaker/circuit-state.js';
import type { FleetProviderState, FleetReason, RegistryFleet } from '../fleet/index.js';

/**
 * The fleet as this replica knows it (docs/design.md, "Fleet"), in `GET /health/providers` and the
 * status page; absent without a fleet.
 */
export interface FleetJson {
  name: string;
  /** This replica's id: `<host>:<pid>:<random>`. */
  replica: string;
  /** False while Redis is unreachable: this replica's breakers then decide alone. */
  connected: boolean;
  /** Replicas that sent a heartbeat lately, this one included. */
  replicas_seen: number;
  /** The most recent of them, with how long ago each was heard from. */
  replicas: FleetReplicaJson[];
}

export interface FleetReplicaJson {
  id: string;
  last_seen_ms_ago: number;
}

/** One provider's fleet-wide circuit. */
export interface ProviderFleetJson {
  state: CircuitState;
  /** Increases with every change of the fleet's record of this provider. */
  epoch: number;
  /** Consecutive failures across the fleet while closed. */
  failures: number;
  /** Trial slots taken across the fleet while half-open. */
  trials_in_flight: number;
  trial_successes: number;
  /** The replica that tripped the circuit (open or half-open). */
  opened_by: string | null;
  /** Why the record last changed: a transition reason, `failures_counted`, `failures_reset` or `restored`. */
  reason: FleetReason | null;
  /** The failure that tripped it, or the operator's note. */
  detail: string | null;
  /** The replica whose action made the last change. */
  changed_by: string | null;
  /** Held open by an operator. */
  forced: boolean;
  /** Seconds until the fleet's trials may start while open; null otherwise, or when held with no end. */
  next_trial_in: number | null;
}

export function fleetJson(fleet: RegistryFleet): FleetJson {
  const view = fleet.view();
  return {
    name: view.fleet,
    replica: view.replicaId,
    connected: view.connected,
    replicas_seen: view.replicaCount,
    replicas: view.replicas.map((replica) => ({ id: replica.id, last_seen_ms_ago: replica.lastSeenMsAgo })),
  };
}

/** `state` undefined: the fleet has no record, which means closed with nothing counted. */
export function providerFleetJson(state: FleetProviderState | undefined, now: number): ProviderFleetJson {
  return {
    state: state?.state ?? 'closed',
    epoch: state?.epoch ?? 0,
    failures: state?.failures ?? 0,
    trials_in_flight: state?.trialsInFlight ?? 0,
    trial_successes: state?.successes ?? 0,
    opened_by: state?.openedBy ?? null,
    reason: state?.reason ?? null,
    detail: state?.detail ?? null,
    changed_by: state?.changedBy ?? null,
    forced: state?.forced ?? false,
    next_trial_in:
      state?.state === 'open' && state.retryAt !== undefined
        ? Math.max(0, Math.round(state.retryAt - now)) / 1000
        : null,
  };
}
