/**
 * The first `headSize` and the last `tailSize` bytes of a text of any length, in fixed memory:
 * where a response names its model (the head) and reports its usage (the tail). The tail is a
 * ring, allocated only once the text outgrows the head.
 */
export class HeadTail {
  private head: Buffer | undefined;
  private headLength = 0;
  private tail: Buffer | undefined;
  private tailWrite = 0;
  private wrapped = false;
  /** Bytes appended since the last reset, kept or not. */
  total = 0;

  constructor(
    private readonly headSize: number,
    private readonly tailSize: number,
  ) {}

  append(bytes: Uint8Array, start: number, end: number): void {
    if (end <= start) return;
    this.total += end - start;
    if (this.headLength < this.headSize) {
      this.head ??= Buffer.allocUnsafe(this.headSize);
      const take = Math.min(end - start, this.headSize - this.headLength);
      this.head.set(bytes.subarray(start, start + take), this.headLength);
      this.headLength += take;
      start += take;
      if (start >= end) return;
    }
    if (this.tailSize === 0) return;
    this.tail ??= Buffer.allocUnsafe(this.tailSize);
    const tail = this.tail;
    const size = this.tailSize;
    if (end - start >= size) {
      tail.set(bytes.subarray(end - size, end), 0);
      this.tailWrite = 0;
      this.wrapped = true;
      return;
    }
    while (start < end) {
      const take = Math.min(end - start, size - this.tailWrite);
      tail.set(bytes.subarray(start, start + take), this.tailWrite);
      this.tailWrite += take;
      start += take;
      if (this.tailWrite === size) {
        this.tailWrite = 0;
        this.wrapped = true;
      }
    }
  }

  reset(): void {
    this.headLength = 0;
    this.tailWrite = 0;
    this.wrapped = false;
    this.total = 0;
  }

  /** Whether every byte appended is still here (nothing dropped between head and tail). */
  get complete(): boolean {
    return this.total <= this.headSize + this.tailSize;
  }

  /** The first bytes kept. */
  headView(): Buffer {
    return this.head === undefined ? EMPTY : this.head.subarray(0, this.headLength);
  }

  /** The last bytes kept after the head, in order (a copy when the ring has wrapped). */
  tailView(): Buffer {
    const tail = this.tail;
    if (tail === undefined || this.total <= this.headSize) return EMPTY;
    if (!this.wrapped) return tail.subarray(0, this.tailWrite);
    return Buffer.concat([tail.subarray(this.tailWrite), tail.subarray(0, this.tailWrite)]);
  }

  /** All the text when `complete`, in one buffer; else undefined. */
  wholeView(): Buffer | undefined {
    if (!this.complete) return undefined;
    if (this.total <= this.headSize) return this.headView();
    return Buffer.concat([this.headView(), this.tailView()]);
  }
}

const EMPTY = Buffer.alloc(0);
