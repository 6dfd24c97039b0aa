import { endianness } from 'node:os';
import { TimeSlots } from './time-slots.js';

const MIN_MS = 0.5;
const OCTAVES = 20; // from 0.5 ms to ~524 s
const SUB_BITS = 4;
const SUBS = 1 << SUB_BITS;
// Bin 0 holds everything up to MIN_MS, then sixteen linear bins an octave, then one overflow bin.
export const BINS = 2 + OCTAVES * SUBS;

// The bin is read off the double's exponent and top mantissa bits: no Math.log2 on the record path.
const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);
const HIGH_WORD = endianness() === 'LE' ? 1 : 0;

export function binOf(durationMs: number): number {
  const x = durationMs * (1 / MIN_MS);
  if (!(x > 1)) return 0;
  float[0] = x;
  const high = words[HIGH_WORD] as number;
  const octave = (high >>> 20) - 1023;
  if (octave >= OCTAVES) return BINS - 1;
  return 1 + octave * SUBS + ((high >>> (20 - SUB_BITS)) & (SUBS - 1));
}

/** Middle of a bin, in ms: within 1/32 (~3%) of anything that fell into it. */
export function middleOf(bin: number): number {
  if (bin === 0) return MIN_MS;
  if (bin >= BINS - 1) return MIN_MS * 2 ** OCTAVES;
  const octave = Math.floor((bin - 1) / SUBS);
  const sub = (bin - 1) % SUBS;
  return MIN_MS * 2 ** octave * (1 + (sub + 0.5) / SUBS);
}

/**
 * Response times over a sliding time window (the stats window), as log-linear histograms in ten
 * time slots: fixed memory, O(1) per record, and percentiles of recent traffic only, so a provider
 * that was slow an hour ago does not look slow now. A running merge of the live slots makes a
 * percentile read one pass over the bins, and "is the p-quantile above a threshold" (what health
 * asks on every failure) a comparison of two counts.
 */
export class LatencySketch {
  private readonly slots: TimeSlots;
  // Allocated at the first sample: most catalog providers never see traffic.
  private counts: Uint32Array | undefined;
  private readonly merged = new Float64Array(BINS);
  private readonly belowBySlot = new Uint32Array(TimeSlots.COUNT);
  private total = 0;
  private below = 0;
  private thresholdBin = BINS;
  private thresholdMs = Number.POSITIVE_INFINITY;

  /** A window of its own, or a share of the slots of a provider's stats (one clock step for all). */
  constructor(window: number | TimeSlots) {
    this.slots = typeof window === 'number' ? new TimeSlots(window) : window;
    this.slots.onExpire((slot) => this.expire(slot));
  }

  record(durationMs: number, now: number): void {
    this.recordIn(this.slots.slotFor(now), durationMs);
  }

  /** Records into a slot `slotFor()` of the shared slots gave; -1 (too old) counts nowhere. */
  recordIn(slot: number, durationMs: number): void {
    this.recordBin(slot, binOf(durationMs));
  }

  /** The same, with the bin already computed (`binOf`): the record path passes only small integers. */
  recordBin(slot: number, bin: number): void {
    if (slot < 0) return;
    this.counts ??= new Uint32Array(TimeSlots.COUNT * BINS);
    const index = slot * BINS + bin;
    this.counts[index] = (this.counts[index] as number) + 1;
    this.merged[bin] = (this.merged[bin] as number) + 1;
    this.total++;
    if (bin < this.thresholdBin) {
      this.belowBySlot[slot] = (this.belowBySlot[slot] as number) + 1;
      this.below++;
    }
  }

  /** Samples in the window. */
  count(now: number): number {
    this.slots.advance(now);
    return this.total;
  }

  /** `q` in [0, 1], nearest rank over the window; undefined when the window is empty. */
  percentile(q: number, now: number): number | undefined {
    this.slots.advance(now);
    const total = this.total;
    if (total === 0) return undefined;
    const rank = rankOf(q, total);
    let seen = 0;
    for (let bin = 0; bin < BINS; bin++) {
      seen += this.merged[bin] as number;
      if (seen >= rank) return middleOf(bin);
    }
    return middleOf(BINS - 1);
  }

  /**
   * The threshold `exceeds()` compares against, ms. Same answer as `percentile(q) > ms`, in O(1):
   * the samples in bins whose middle is at most `ms` are counted as they arrive.
   */
  setThreshold(ms: number): void {
    if (ms === this.thresholdMs) return;
    this.thresholdMs = ms;
    let bin = 0;
    while (bin < BINS && middleOf(bin) <= ms) bin++;
    this.thresholdBin = bin;
    this.below = 0;
    this.belowBySlot.fill(0);
    const counts = this.counts;
    if (counts === undefined) return;
    for (let slot = 0; slot < TimeSlots.COUNT; slot++) {
      let n = 0;
      for (let b = 0; b < bin; b++) n += counts[slot * BINS + b] as number;
      this.belowBySlot[slot] = n;
      this.below += n;
    }
  }

  /** Whether the `q` quantile of the window is above the threshold (`setThreshold`). */
  exceeds(q: number, now: number): boolean {
    this.slots.advance(now);
    return this.total > 0 && this.below < rankOf(q, this.total);
  }

  /** Samples in one slot of the window (a slot `slotFor()` gave). */
  slotCount(slot: number): number {
    const counts = this.counts;
    if (counts === undefined || slot < 0) return 0;
    let n = 0;
    for (let bin = slot * BINS, end = bin + BINS; bin < end; bin++) n += counts[bin] as number;
    return n;
  }

  /** Samples in one slot at or under the threshold (`setThreshold`). */
  slotBelow(slot: number): number {
    return slot < 0 ? 0 : (this.belowBySlot[slot] as number);
  }

  /** Adds one slot's histogram into `into` (BINS long): how baselines accumulate hours. */
  addSlotTo(slot: number, into: Float64Array): void {
    const counts = this.counts;
    if (counts === undefined || slot < 0) return;
    const base = slot * BINS;
    for (let bin = 0; bin < BINS; bin++) into[bin] = (into[bin] as number) + (counts[base + bin] as number);
  }

  clear(): void {
    this.slots.clear();
  }

  private expire(slot: number): void {
    const counts = this.counts;
    if (counts === undefined) return;
    const base = slot * BINS;
    for (let bin = 0; bin < BINS; bin++) {
      const n = counts[base + bin] as number;
      if (n === 0) continue;
      this.merged[bin] = (this.merged[bin] as number) - n;
      this.total -= n;
      counts[base + bin] = 0;
    }
    this.below -= this.belowBySlot[slot] as number;
    this.belowBySlot[slot] = 0;
  }
}

/** The `q` quantile (nearest rank, bin middle) of a histogram in this sketch's bins; undefined when empty. */
export function percentileOfBins(bins: Float64Array, q: number): number | undefined {
  let total = 0;
  for (let bin = 0; bin < BINS; bin++) total += bins[bin] as number;
  if (!(total > 0)) return undefined;
  // Decayed histograms hold fractions: the rank is a share of the total, not a count.
  const rank = Math.min(total, Math.max(Number.MIN_VALUE, q * total));
  let seen = 0;
  for (let bin = 0; bin < BINS; bin++) {
    seen += bins[bin] as number;
    if (seen >= rank) return middleOf(bin);
  }
  return middleOf(BINS - 1);
}

function rankOf(q: number, total: number): number {
  return Math.min(total, Math.max(1, Math.ceil(q * total)));
}
