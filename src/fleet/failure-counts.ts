import type { FleetFailure } from './fleet-types.js';
import { clampInt, LIMITS, truncateDetail } from './limits.js';

/** ARGV of the count script after the provider (fleet-scripts.ts). */
export type CountArgs = [
  reset: 0 | 1,
  failures: number,
  threshold: number,
  recoveryMs: number,
  minOpenMs: number,
  detail: string,
];

interface Slot {
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

/**
 * Failures and resets on their way to the fleet count, per provider: one command in flight at a
 * time, and what happens meanwhile merged into the next (failures add up; a success cancels the
 * failures before it and asks for a reset). However busy the request path, a provider costs at
 * most one command per round trip (docs/fleet.md, "Faults").
 */
export class FailureCounts {
  private readonly slots = new Map<string, Slot>();

  /**
   * `send` resolves once the reply has been applied (or the command was dropped); `settled` is told
   * when a provider has nothing left on its way.
   */
  constructor(
    private readonly send: (provider: string, args: CountArgs) => Promise<unknown>,
    private readonly settled: (provider: string) => void = () => undefined,
  ) {}

  /** Work for `provider` is pending or in flight. */
  has(provider: string): boolean {
    return this.slots.has(provider);
  }

  failure(provider: string, report: FleetFailure): void {
    const slot = this.slot(provider);
    slot.failures = Math.min(slot.failures + 1, LIMITS.count);
    slot.threshold = clampInt(report.failureThreshold, 1, LIMITS.count);
    slot.recoveryMs = clampInt(report.recoveryTimeoutMs, 0, LIMITS.durationMs);
    slot.minOpenMs = Math.max(slot.minOpenMs, clampInt(report.minOpenMs ?? 0, 0, LIMITS.durationMs));
    slot.detail = truncateDetail(report.detail);
    if (!slot.inFlight) this.flush(provider, slot);
  }

  /** The caller has checked that a reset is needed (the fleet count is not 0, or work is on its way). */
  success(provider: string): void {
    const existing = this.slots.get(provider);
    // Only a pure reset on its way: nothing a later success could add.
    if (existing !== undefined && existing.failures === 0 && !existing.sentFailures) return;
    const slot = existing ?? this.slot(provider);
    slot.failures = 0;
    slot.minOpenMs = 0;
    slot.reset = true;
    if (!slot.inFlight) this.flush(provider, slot);
  }

  /** Disconnected: pending work is dropped; what is in flight settles on its own. */
  clear(): void {
    this.slots.clear();
  }

  private slot(provider: string): Slot {
    let slot = this.slots.get(provider);
    if (slot === undefined) {
      slot = {
        inFlight: false,
        sentFailures: false,
        reset: false,
        failures: 0,
        threshold: 1,
        recoveryMs: 0,
        minOpenMs: 0,
        detail: undefined,
      };
      this.slots.set(provider, slot);
    }
    return slot;
  }

  private flush(provider: string, slot: Slot): void {
    if (!slot.reset && slot.failures === 0) {
      this.slots.delete(provider);
      this.settled(provider);
      return;
    }
    const args: CountArgs = [
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
    void this.send(provider, args).then(() => {
      slot.inFlight = false;
      slot.sentFailures = false;
      // Cleared while in flight: the pending work went with it.
      if (this.slots.get(provider) === slot) this.flush(provider, slot);
    });
  }
}
