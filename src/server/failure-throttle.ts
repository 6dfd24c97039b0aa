/**
 * Failed attempts per client, as a leaky bucket: each failure adds one, one leaks away every
 * `leakMs`. A client with `limit` failures not yet leaked away is refused without its attempt being checked until the level
 * drops below it again, so guessing a token costs time per guess, not just a request. At most
 * `maxClients` are remembered: when full, those whose level has leaked to zero are forgotten
 * first, then the oldest.
 */
export class FailureThrottle {
  private readonly clients = new Map<string, { level: number; at: number }>();

  constructor(
    private readonly limit = 10,
    private readonly leakMs = 6_000,
    private readonly maxClients = 1024,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Milliseconds until `client` may try again; 0 when it may now. */
  waitMs(client: string): number {
    // Room for one more failure once the level is down to limit - 1.
    const over = this.level(client) - (this.limit - 1);
    return over > 0 ? Math.ceil(over * this.leakMs) : 0;
  }

  fail(client: string): void {
    const level = this.level(client) + 1;
    this.clients.delete(client);
    if (this.clients.size >= this.maxClients) this.forgetSome();
    this.clients.set(client, { level, at: this.now() });
  }

  get size(): number {
    return this.clients.size;
  }

  private level(client: string): number {
    const entry = this.clients.get(client);
    if (entry === undefined) return 0;
    return Math.max(0, entry.level - (this.now() - entry.at) / this.leakMs);
  }

  private forgetSome(): void {
    const now = this.now();
    for (const [client, entry] of this.clients)
      if (entry.level - (now - entry.at) / this.leakMs <= 0) this.clients.delete(client);
    if (this.clients.size < this.maxClients) return;
    const oldest = this.clients.keys().next();
    if (oldest.done !== true) this.clients.delete(oldest.value);
  }
}
