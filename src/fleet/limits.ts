/**
 * Bounds on everything the fleet writes to Redis and reads back (docs/fleet.md, "Limits"). The Lua
 * scripts refuse arguments beyond them, and the client refuses replies and messages beyond them:
 * Redis is shared infrastructure, and what comes back from it is validated like any input.
 */
export const LIMITS = Object.freeze({
  /** Provider records one fleet keeps; a provider past this is not shared (its breaker stays local). */
  providers: 256,
  /** Trial leases one provider's record holds, live or recently expired. */
  leases: 64,
  /** Most trials any caller may ask to run at once. */
  maxTrials: 1000,
  /** Failure detail, in characters sent and in bytes accepted (UTF-8: 3 bytes a character at most here). */
  detailChars: 256,
  detailBytes: 1024,
  replicaIdChars: 128,
  /** Replicas listed by a heartbeat reply (the most recent); the count is exact. */
  replicasListed: 64,
  /** Replicas remembered in the presence set; the oldest are dropped beyond this. */
  replicasKept: 4096,
  /** A failure threshold or a count of failures reported at once. */
  count: 1_000_000,
  /** Durations in ms: Node's largest timer delay, as for every duration the plugin accepts. */
  durationMs: 2 ** 31 - 1,
  /** A pub/sub message; ours are a few hundred bytes. */
  messageBytes: 8 * 1024,
  /** A script reply: a snapshot of `providers` records at well under 1 KiB each. */
  replyBytes: 512 * 1024,
});

/**
 * A breaker's name in Lua: a provider's, or an endpoint's `provider@key`, each part in the
 * provider-name alphabet of at most 64 (src/common/provider-name.ts).
 */
export const NAME_PART_LUA = '^[a-z0-9][a-z0-9._-]*$';
export const NAME_PART_MAX = 64;

/** An integer within [min, max]; infinities go to the nearer end. */
export function clampInt(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return value > 0 ? max : min;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/** A failure detail as sent: undefined when empty, cut to `detailChars`. */
export function truncateDetail(detail: string | undefined): string | undefined {
  if (detail === undefined || detail === '') return undefined;
  return detail.length > LIMITS.detailChars ? detail.slice(0, LIMITS.detailChars) : detail;
}
