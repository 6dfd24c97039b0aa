/**
 * Key and channel names of one fleet. All share the hash tag `{ph:<fleet>}`, so on Redis Cluster
 * they live in one slot and one script may touch all of them (docs/fleet.md, "Keys").
 */
export interface FleetKeys {
  /** Generation token: a new one means the data was lost. */
  readonly generation: string;
  /** Fleet-wide change counter; a change's epoch is the value it took. */
  readonly seq: string;
  /** Hash: provider -> JSON record, only for providers not closed-and-quiet. */
  readonly state: string;
  /** Sorted set: replica id -> last heartbeat (Redis time, ms). */
  readonly replicas: string;
  /** Short-lived marker: one fleet-wide tick message per heartbeat interval. */
  readonly tick: string;
  readonly channel: string;
  /** In the order the scripts take them as KEYS. */
  readonly all: readonly string[];
}

export function fleetKeys(fleet: string): FleetKeys {
  const tag = `{ph:${fleet}}`;
  const keys = {
    generation: `${tag}:gen`,
    seq: `${tag}:seq`,
    state: `${tag}:state`,
    replicas: `${tag}:replicas`,
    tick: `${tag}:tick`,
    channel: `${tag}:events`,
  };
  return { ...keys, all: [keys.generation, keys.seq, keys.state, keys.replicas, keys.tick] };
}
