import { log } from '../common/log.js';

/**
 * Denied admin requests, logged as a bounded summary: the first one of a period as one line (so
 * an operator sees at once that someone is trying), then one line with how many followed, from
 * how many addresses, how many of them throttled. A brute-force loop costs two lines a period,
 * whatever its rate. The timer runs only while there is something to report, and is unref'd.
 */
export class DeniedLog {
  private count = 0;
  private throttled = 0;
  private readonly addresses = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly periodMs = 60_000,
    private readonly maxAddresses = 1024,
  ) {}

  /** `fields` are already escaped for the log; `remote_address` is what addresses are counted by. */
  note(
    fields: { action: string; reason: string; path: string; remote_address: string } & Record<string, string>,
  ): void {
    if (this.timer === undefined) {
      log('warn', `health server: ${fields.action} denied`, fields);
      this.timer = setTimeout(() => this.summarise(), this.periodMs);
      this.timer.unref();
      return;
    }
    this.count++;
    if (fields.reason === 'throttled') this.throttled++;
    if (this.addresses.size < this.maxAddresses) this.addresses.add(fields.remote_address);
  }

  private summarise(): void {
    this.timer = undefined;
    if (this.count === 0) return;
    log('warn', 'health server: admin requests denied', {
      denied: this.count,
      throttled: this.throttled,
      addresses: this.addresses.size,
      period_s: this.periodMs / 1000,
    });
    this.count = 0;
    this.throttled = 0;
    this.addresses.clear();
    // The next denial starts a new period with its own first line.
  }
}
