import { beforeAll, describe, expect, it } from 'vitest';
import { leadTimeMs, type ReplayResult, runReplay } from '../../bench/replay/replay.js';
import { setLogLevel } from '../../src/common/log.js';

/**
 * A short run of the replay harness (npm run bench:replay runs the long one): the real registry
 * on a virtual clock with fixed seeds, so it is deterministic and involves no wall clock. The
 * issue's goals: at least 60 s of early warning before the breaker opens on a slow ramp of errors
 * and on latency creep, and at most one false alarm per simulated week of healthy traffic.
 */
describe('the replay harness (short run: 0.5 requests/s, two healthy weeks, every incident shape)', () => {
  let result: ReplayResult;
  beforeAll(() => {
    setLogLevel('silent');
    result = runReplay({ ratePerSecond: 0.5, healthyDays: 7, seed: 15 });
    setLogLevel('info');
  }, 120_000);
  const shape = (name: string) => {
    const found = result.shapes.find((r) => r.name.startsWith(name));
    if (found === undefined) throw new Error(`no shape ${name}`);
    return found;
  };

  it('warns at least 60 s before the breaker opens on a slow ramp of errors and on latency creep', () => {
    for (const name of ['slow ramp of errors', 'latency creep']) {
      const lead = leadTimeMs(shape(name));
      expect(lead, name).toBeGreaterThanOrEqual(60_000);
    }
  });

  it('raises at most one false alarm per simulated week of healthy traffic, learned baseline or not', () => {
    for (const healthy of result.healthy) {
      expect(healthy.days).toBe(7);
      expect(healthy.falseAlarms, healthy.name).toBeLessThanOrEqual(1);
      expect(healthy.trips, healthy.name).toBe(0);
    }
  });

  it('opens the breaker on every shape that fails outright, and never warns before an incident begins', () => {
    for (const name of ['sudden outage', 'slow ramp', 'latency creep', 'flapping']) {
      expect(shape(name).tripAfterMs, name).toBeDefined();
    }
    for (const r of result.shapes) expect(r.warningsBefore, r.name).toBe(0);
  });

  it('warns about a regional brownout (a share of requests to one endpoint failing)', () => {
    expect(shape('regional brownout').warningAfterMs).toBeDefined();
  });
});
