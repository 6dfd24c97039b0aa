import type { Clock } from '../common/clock.js';
import { logOnce } from '../common/log.js';
import type { BaselineStore } from '../health/baseline-data.js';
import type { Provider } from './provider.js';

// Hours are folded into a baseline when they end; saving a few minutes after is soon enough.
const SAVE_EVERY_MS = 5 * 60_000;

/**
 * Keeps the registry's baselines in a store across restarts (see docs/design.md,
 * "Baselines and early warning"): each provider's is loaded when it is created, saved on a timer
 * when it learned something, and saved once more at exit where the store can write synchronously.
 * All of it runs off the request path: loads and timed saves are asynchronous and the timer is
 * unref'd.
 */
export class BaselinePersistence {
  private timer: unknown;
  private stopped = false;
  private readonly atExit = (): void => this.saveAllSync();

  constructor(
    readonly store: BaselineStore,
    private readonly providers: () => Iterable<Provider>,
    private readonly clock: Clock,
  ) {}

  start(): void {
    for (const provider of this.providers()) this.adopt(provider);
    this.arm();
    process.on('exit', this.atExit);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    process.removeListener('exit', this.atExit);
  }

  /** Loads a provider's stored baseline (a provider created after start, too). */
  adopt(provider: Provider): void {
    this.store.load(provider.name).then(
      (data) => {
        if (data !== undefined && !this.stopped) provider.early.baseline.restore(data);
      },
      (error: unknown) =>
        logOnce('baseline:load', `loading baselines from ${this.store.description} failed`, error),
    );
  }

  /** Saves every baseline that learned something since it was last saved. */
  async saveChanged(): Promise<void> {
    for (const provider of this.providers()) {
      const baseline = provider.early.baseline;
      if (!baseline.dirty) continue;
      try {
        await this.store.save(baseline.snapshot(provider.name, this.clock.wallNow()));
      } catch (error) {
        logOnce('baseline:save', `saving baselines to ${this.store.description} failed`, error);
      }
    }
  }

  /** At exit: the hour in progress is folded in (weighted by how much of it was seen) and saved. */
  saveAllSync(): void {
    const saveSync = this.store.saveSync?.bind(this.store);
    if (saveSync === undefined) return;
    for (const provider of this.providers()) {
      try {
        const baseline = provider.early.baseline;
        provider.early.foldHour();
        if (baseline.dirty) saveSync(baseline.snapshot(provider.name, this.clock.wallNow()));
      } catch (error) {
        logOnce('baseline:exit', `saving baselines at exit to ${this.store.description} failed`, error);
      }
    }
  }

  private arm(): void {
    this.timer = this.clock.setTimer(() => {
      if (this.stopped) return;
      void this.saveChanged().finally(() => {
        if (!this.stopped) this.arm();
      });
    }, SAVE_EVERY_MS);
  }
}
