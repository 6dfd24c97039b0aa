import { logOnce } from '../telemetry/log.js';

/**
 * A list of callbacks where one that throws is logged once and skipped: a user's status
 * callback must never break a request or stop the other listeners.
 */
export class Listeners<Args extends unknown[]> {
  private readonly list: Array<(...args: Args) => void> = [];

  constructor(private readonly kind: string) {}

  add(listener: (...args: Args) => void): () => void {
    this.list.push(listener);
    return () => this.remove(listener);
  }

  remove(listener: (...args: Args) => void): void {
    const index = this.list.indexOf(listener);
    if (index >= 0) this.list.splice(index, 1);
  }

  /** Adds every listener of this list to `other` (a registry replaced by one with new options). */
  copyTo(other: Listeners<Args>): void {
    for (const listener of this.list) other.add(listener);
  }

  get size(): number {
    return this.list.length;
  }

  emit(...args: Args): void {
    for (const listener of [...this.list]) {
      try {
        listener(...args);
      } catch (error) {
        logOnce(
          `listener:${this.kind}:${listener.name || this.list.indexOf(listener)}`,
          `a ${this.kind} callback threw; it is skipped`,
          error,
        );
      }
    }
  }
}
