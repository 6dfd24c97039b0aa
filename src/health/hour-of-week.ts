export const HOURS_PER_WEEK = 168;
export const HOUR_MS = 3_600_000;

/** Whole hours since the epoch: the unit baselines are learned and dated in. */
export function hourNumber(wallMs: number): number {
  return Math.floor(wallMs / HOUR_MS);
}

/**
 * Hour of the week in UTC, Monday 00:00-01:00 being 0 (see docs/design.md,
 * "Baselines and early warning"). UTC rather than local time: a provider's daily cycle follows
 * its users worldwide, not the service's time zone, and two replicas in different zones must
 * agree on the slot.
 */
export function hourOfWeek(wallMs: number): number {
  // 1970-01-01 was a Thursday: the epoch's hour 0 is hour 72 of a Monday-based week.
  return (((hourNumber(wallMs) + 72) % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
}
