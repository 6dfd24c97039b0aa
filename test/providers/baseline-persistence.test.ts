import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/config/resolve.js';
import type { BaselineData, BaselineHour } from '../../src/health/baseline-data.js';
import { FileBaselineStore } from '../../src/health/baseline-file-store.js';
import { hourNumber, hourOfWeek } from '../../src/health/hour-of-week.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { steady } from '../health/traffic.js';
import { ManualClock } from '../support/manual-clock.js';

const root = mkdtempSync(join(tmpdir(), 'provider-health-persist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** Polls `read` until it gives something (file writes are asynchronous), for at most 10 s. */
async function eventually<T>(read: () => T | undefined): Promise<T | undefined> {
  for (let i = 0; i < 200; i++) {
    const value = read();
    if (value !== undefined) return value;
    await settle();
  }
  return undefined;
}

/** A stored baseline that knows every hour of the week: 700 ms, 1% failures. */
function learned(provider: string, clock: ManualClock): BaselineData {
  const hour = hourNumber(clock.wallNow());
  const hours: BaselineHour[] = Array.from({ length: 168 }, () => [700, 0.01, 3, hour]);
  return { version: 1, provider, savedAt: '', hours };
}

function setup() {
  const clock = new ManualClock();
  const registry = new ProviderRegistry(resolveOptions({}, {}), clock);
  const store = new FileBaselineStore(join(root, `d${counter++}`));
  return { clock, registry, store };
}

describe("a registry's baselines, kept in a store (baselineDir)", () => {
  it('loads each provider from the store, those created later too', async () => {
    const { clock, registry, store } = setup();
    await store.save(learned('openai', clock));
    await store.save(learned('my-llm', clock));
    const stop = registry.persistBaselines(store);
    await settle();
    const openai = registry.getOrCreateProvider('openai');
    expect(openai.getHealthMetrics().baseline).toBeNull();
    steady(openai, clock, { seconds: 2 });
    expect(openai.getHealthMetrics().baseline).toEqual({
      p95TimeToFirstByte: 0.7,
      failureRate: 0.01,
      source: 'hour_of_week',
    });
    const later = registry.getOrCreateProvider('my-llm');
    await settle();
    steady(later, clock, { seconds: 2 });
    expect(later.early.reference?.source).toBe('hour_of_week');
    stop();
  });

  it('saves what a provider learned, on a timer (every 5 minutes), and only when it changed', async () => {
    const { clock, registry, store } = setup();
    const stop = registry.persistBaselines(store);
    const openai = registry.getOrCreateProvider('openai');
    // An hour and a bit of traffic: the first hour of the clock ends and is learned.
    steady(openai, clock, { seconds: 3_600, ttfbMs: 300 });
    expect(openai.early.baseline.dirty).toBe(true);
    // The timer re-arms itself once its last save settled (a microtask away).
    await settle();
    clock.advance(5 * 60_000);
    const saved = await eventually(() => store.loadSync('openai'));
    const h = hourOfWeek(clock.wallNow() - 3_600_000);
    expect(saved?.hours[h]?.[0]).toBeGreaterThan(291);
    expect(saved?.hours[h]?.[0]).toBeLessThan(309);
    expect(openai.early.baseline.dirty).toBe(false);
    stop();
  });

  it('writes at exit from a real process (the exit hook), folding in the hour so far', () => {
    const dir = join(root, `exit-${counter++}`);
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./fixtures/baseline-exit.ts', import.meta.url)), dir],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, OTEL_METRICS_EXPORTER: 'none', OTEL_TRACES_EXPORTER: 'none' },
      },
    );
    expect(child.status, child.stderr).toBe(0);
    const saved = new FileBaselineStore(dir).loadSync('openai');
    const hours = saved?.hours.filter((entry) => entry !== null) ?? [];
    expect(hours).toHaveLength(1);
    // About two seconds of one hour: learned with a weight that small.
    // The p95 is a bin's middle: within 3% of the times it holds.
    expect(hours[0]?.[0]).toBeGreaterThan(388);
    expect(hours[0]?.[0]).toBeLessThan(412);
    expect(hours[0]?.[2]).toBeGreaterThan(0);
    expect(hours[0]?.[2]).toBeLessThan(0.01);
  });

  it('stop() removes its exit hook and timer', () => {
    const { clock, registry, store } = setup();
    const before = process.listenerCount('exit');
    const stop = registry.persistBaselines(store);
    expect(process.listenerCount('exit')).toBe(before + 1);
    expect(clock.pendingTimers).toBe(1);
    stop();
    expect(process.listenerCount('exit')).toBe(before);
    expect(clock.pendingTimers).toBe(0);
  });
});
