import type { Provider } from '../providers/provider.js';
import { logOnce } from '../telemetry/log.js';
import { type HealthCheckResult, type HealthProbe, runHealthCheck } from './health-check.js';

export interface SchedulerOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Fraction of the interval by which each round is moved at random, so fleets do not probe in step. */
  jitter: number;
}

/**
 * Runs active health checks for every provider that has a probe, every interval (with jitter),
 * at most one in flight per provider. Its timer is unref'd: it never keeps a process alive.
 */
export class HealthCheckScheduler {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<HealthCheckResult>>();

  constructor(
    private readonly providers: () => Provider[],
    private readonly probeFor: (provider: Provider) => HealthProbe | undefined,
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

  /** Checks one provider now; joins the check already in flight for it, if any. */
  check(provider: Provider): Promise<HealthCheckResult> | undefined {
    const running = this.inFlight.get(provider.name);
    if (running !== undefined) return running;
    const probe = this.probeFor(provider);
    if (probe === undefined) return undefined;
    const check = runHealthCheck(provider, probe, this.options.timeoutMs).finally(() =>
      this.inFlight.delete(provider.name),
    );
    this.inFlight.set(provider.name, check);
    return check;
  }

  private schedule(): void {
    const { intervalMs, jitter } = this.options;
    const delay = intervalMs * (1 - jitter + Math.random() * 2 * jitter);
    this.timer = setTimeout(() => {
      this.round();
      this.schedule();
    }, delay);
    this.timer.unref();
  }

  private round(): void {
    for (const provider of this.providers()) {
      try {
        this.check(provider)?.catch((error: unknown) =>
          logOnce(`check:${provider.name}`, 'health check failed', error),
        );
      } catch (error) {
        logOnce(`check:${provider.name}`, 'health check failed', error);
      }
    }
  }
}
