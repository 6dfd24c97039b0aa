import type { RecordedRequest } from './types.js';

/** The last `capacity` requests, oldest first; a long demo run cannot grow it without bound. */
export class RequestLog {
  #entries: RecordedRequest[] = [];
  #count = 0;

  constructor(private readonly capacity: number) {}

  /** Counted when a request arrives, before its body is read, so hung requests count too. */
  countArrival(): void {
    this.#count++;
  }

  add(entry: RecordedRequest): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
  }

  get count(): number {
    return this.#count;
  }

  get entries(): readonly RecordedRequest[] {
    return [...this.#entries];
  }

  clear(): void {
    this.#entries = [];
    this.#count = 0;
  }
}
