import { logOnce } from '../common/log.js';
import type { CheckTarget } from './check-target.js';
import { type HealthCheckResult, type HealthProbe, runHealthCheck } from './health-check.js';

export interface SchedulerOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Fraction of the interval by which each round is moved at random, so fleets do not probe in step. */
  jitter: number;
  /**
   * Rate cap: a check asked for within this long of the provider's last one returns that result
   * (marked `cached`) instead of probing again, so a busy status page or a script hammering
   * `POST …/check` cannot turn into traffic to the provider. Capped at half the interval.
   * @default 5000
   */
  minSpacingMs?: number;
  /** At most this many probes of one scheduled round run at once. @default 4 */
  maxConcurrent?: number;
  /** Whether probe outcomes count for the breakers like real traffic. @default true */
  feedBreaker?: boolean;
}

const DEFAULT_MIN_SPACING_MS = 5_000;
const DEFAULT_MAX_CONCURRENT = 4;

/**
 * Runs active health checks for every provider that has a probe, every interval (with jitter),
 * at most one in flight per provider, rate-capped per provider and in concurrency per round.
 * Its timer is unref'd: it never keeps a process alive.
 */
export class HealthCheckScheduler {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<HealthCheckResult>>();
  private readonly last = new Map<string, { at: number; result: HealthCheckResult }>();

  constructor(
    private readonly providers: () => CheckTarget[],
    private readonly probeFor: (provider: CheckTarget) => HealthProbe | undefined,
    private options: SchedulerOptions,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(intervalMs = this.options.intervalMs): void {
    this.stop();
    this.options = { ...this.options, intervalMs };
    this.schedule();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Checks one provider now; joins the check already in flight for it, if any, and returns the
   * last result when it is more recent than the rate cap allows. Undefined: no probe.
   */
  check(provider: CheckTarget): Promise<HealthCheckResult> | undefined {
    const running = this.inFlight.get(provider.name);
    if (running !== undefined) return running;
    const previous = this.last.get(provider.name);
    if (previous !== undefined && performance.now() - previous.at < this.minSpacingMs()) {
      return Promise.resolve({ ...previous.result, cached: true });
    }
    const probe = this.probeFor(provider);
    if (probe === undefined) return undefined;
    const { timeoutMs, feedBreaker } = this.options;
    const check = runHealthCheck(provider, probe, { timeoutMs, feedBreaker })
      .then((result) => {
        this.last.set(provider.name, { at: performance.now(), result });
        return result;
      })
      .finally(() => this.inFlight.delete(provider.name));
    this.inFlight.set(provider.name, check);
    return check;
  }

  private minSpacingMs(): number {
    return Math.min(this.options.minSpacingMs ?? DEFAULT_MIN_SPACING_MS, this.options.intervalMs / 2);
  }

  private schedule(): void {
    const { intervalMs, jitter } = this.options;
    const delay = intervalMs * (1 - jitter + Math.random() * 2 * jitter);
    this.timer = setTimeout(() => {
      void this.round();
      this.schedule();
    }, delay);
    this.timer.unref();
  }

  /** One round: every provider, a few at a time, so a long provider list is not one burst. */
  private async round(): Promise<void> {
    const queue = [...this.providers()];
    const worker = async (): Promise<void> => {
      for (let provider = queue.shift(); provider !== undefined; provider = queue.shift()) {
        try {
          await this.check(provider);
        } catch (error) {
          logOnce(`check:${provider.name}`, 'health check failed', error);
        }
      }
    };
    const width = Math.max(1, this.options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
    await Promise.all(Array.from({ length: Math.min(width, queue.length) }, worker));
  }
}
