const SLOTS = 10;
const MIN_MS = 0.5;
// Eight bins an octave: each bin spans ~9%, so a percentile read from a bin's geometric middle
// is within ~4.5% of the true value. 20 octaves from 0.5 ms reach ~524 s.
const BINS_PER_OCTAVE = 8;
const BINS = 2 + 20 * BINS_PER_OCTAVE;

/**
 * Response times over a sliding time window (the stats window), as log-scale histograms in
 * ten time slots: fixed memory, O(1) per record, and percentiles of recent traffic only, so a
 * provider that was slow an hour ago does not look slow now. Reads merge the live slots.
 */
export class LatencySketch {
  private readonly slotMs: number;
  private readonly epochs = new Float64Array(SLOTS).fill(Number.NEGATIVE_INFINITY);
  private readonly counts = new Uint32Array(SLOTS * BINS);
  private readonly merged = new Uint32Array(BINS);

  constructor(readonly windowMs: number) {
    this.slotMs = Math.max(1, windowMs / SLOTS);
  }

  record(durationMs: number, now: number): void {
    const epoch = Math.floor(now / this.slotMs);
    const slot = epoch % SLOTS;
    if (this.epochs[slot] !== epoch) {
      this.epochs[slot] = epoch;
      this.counts.fill(0, slot * BINS, (slot + 1) * BINS);
    }
    const index = slot * BINS + binOf(durationMs);
    this.counts[index] = (this.counts[index] as number) + 1;
  }

  /** Samples in the window. */
  count(now: number): number {
    return this.merge(now);
  }

  /** `q` in [0, 1], nearest rank over the window; undefined when the window is empty. */
  percentile(q: number, now: number): number | undefined {
    const total = this.merge(now);
    if (total === 0) return undefined;
    const rank = Math.min(total, Math.max(1, Math.ceil(q * total)));
    let seen = 0;
    for (let bin = 0; bin < BINS; bin++) {
      seen += this.merged[bin] as number;
      if (seen >= rank) return middleOf(bin);
    }
    return middleOf(BINS - 1);
  }

  clear(): void {
    this.epochs.fill(Number.NEGATIVE_INFINITY);
  }

  private merge(now: number): number {
    const oldest = Math.floor(now / this.slotMs) - SLOTS + 1;
    this.merged.fill(0);
    let total = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      if ((this.epochs[slot] as number) < oldest) continue;
      const base = slot * BINS;
      for (let bin = 0; bin < BINS; bin++) {
        const n = this.counts[base + bin] as number;
        if (n === 0) continue;
        this.merged[bin] = (this.merged[bin] as number) + n;
        total += n;
      }
    }
    return total;
  }
}

function binOf(durationMs: number): number {
  if (!(durationMs > MIN_MS)) return 0;
  return Math.min(BINS - 1, 1 + Math.floor(Math.log2(durationMs / MIN_MS) * BINS_PER_OCTAVE));
}

/** Geometric middle of a bin, in ms (bin 0 holds everything up to MIN_MS). */
function middleOf(bin: number): number {
  if (bin === 0) return MIN_MS;
  return MIN_MS * 2 ** ((bin - 0.5) / BINS_PER_OCTAVE);
}
