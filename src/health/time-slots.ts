const SLOTS = 10;

/**
 * A sliding time window cut into ten slots, for counters that must forget what is older than
 * the window in fixed memory: a sample lands in the slot of its time, and when time moves on by
 * a slot the oldest one is handed to every `onExpire` listener (which takes its counts out of
 * running totals and zeroes it). Moving on costs one step per slot period; a sample in the
 * current slot costs two comparisons. One instance can serve several counters of one window.
 */
export class TimeSlots {
  static readonly COUNT = SLOTS;
  private readonly slotMs: number;
  private readonly epochs = new Float64Array(SLOTS).fill(Number.NEGATIVE_INFINITY);
  private readonly expireListeners: Array<(slot: number) => void> = [];
  private readonly readers: Array<(slot: number) => void> = [];
  private clearing = false;
  private head = Number.NEGATIVE_INFINITY;
  /**
   * The current slot and its time range: a sample inside it needs no division. Read directly by
   * the record path (ProviderStats), which thereby passes no time to a call; written only here.
   */
  currentStart = Number.POSITIVE_INFINITY;
  currentEnd = Number.NEGATIVE_INFINITY;
  current = -1;

  constructor(readonly windowMs: number) {
    this.slotMs = Math.max(1, windowMs / SLOTS);
  }

  /** When the samples now in `slot` leave the window (-Infinity for a slot that holds none). */
  expiresAt(slot: number): number {
    const epoch = this.epochs[slot] as number;
    return epoch === Number.NEGATIVE_INFINITY ? epoch : (epoch + SLOTS) * this.slotMs;
  }

  /** Length of one slot, ms: a tenth of the window. */
  get slotLengthMs(): number {
    return this.slotMs;
  }

  /** The newest period seen (`floor(time / slotLengthMs)`); -Infinity before the first sample or after `clear()`. */
  get headEpoch(): number {
    return this.head;
  }

  /** The period a slot now holds, or -Infinity when it holds none. */
  epochOf(slot: number): number {
    return this.epochs[slot] as number;
  }

  /** The slot a period maps to (whether or not it still holds that period). */
  static slotOfEpoch(epoch: number): number {
    return ((epoch % SLOTS) + SLOTS) % SLOTS;
  }

  onExpire(listener: (slot: number) => void): void {
    this.expireListeners.push(listener);
  }

  /**
   * `reader` sees each slot that time moves out of the window while its counts are still there
   * (before the `onExpire` listeners zero them); not the slots `clear()` empties.
   */
  beforeExpire(reader: (slot: number) => void): void {
    this.readers.push(reader);
  }

  /** The slot a sample taken at `now` belongs in, or -1 when it is already older than the window. */
  slotFor(now: number): number {
    if (now >= this.currentStart && now < this.currentEnd) return this.current;
    const epoch = Math.floor(now / this.slotMs);
    if (epoch > this.head) this.advanceTo(epoch);
    else if (epoch <= this.head - SLOTS) return -1;
    const slot = ((epoch % SLOTS) + SLOTS) % SLOTS;
    // A late sample for a period whose slot was reused or never opened counts nowhere.
    return this.epochs[slot] === epoch ? slot : -1;
  }

  /** Expires every slot older than the window at `now`, so running totals describe the window. */
  advance(now: number): void {
    if (now < this.currentEnd) return;
    const epoch = Math.floor(now / this.slotMs);
    if (epoch > this.head) this.advanceTo(epoch);
  }

  clear(): void {
    this.clearing = true;
    for (let slot = 0; slot < SLOTS; slot++) this.expire(slot);
    this.clearing = false;
    this.epochs.fill(Number.NEGATIVE_INFINITY);
    this.head = Number.NEGATIVE_INFINITY;
    this.currentStart = Number.POSITIVE_INFINITY;
    this.currentEnd = Number.NEGATIVE_INFINITY;
    this.current = -1;
  }

  private advanceTo(epoch: number): void {
    for (let next = Math.max(this.head + 1, epoch - SLOTS + 1); next <= epoch; next++) {
      const slot = ((next % SLOTS) + SLOTS) % SLOTS;
      if (this.epochs[slot] !== Number.NEGATIVE_INFINITY) this.expire(slot);
      this.epochs[slot] = next;
    }
    this.head = epoch;
    this.current = ((epoch % SLOTS) + SLOTS) % SLOTS;
    this.currentStart = epoch * this.slotMs;
    this.currentEnd = (epoch + 1) * this.slotMs;
  }

  private expire(slot: number): void {
    if (!this.clearing && this.epochs[slot] !== Number.NEGATIVE_INFINITY)
      for (const reader of this.readers) reader(slot);
    for (const listener of this.expireListeners) listener(slot);
  }
}
