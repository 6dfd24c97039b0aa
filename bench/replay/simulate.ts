/**
 * Drives the real code with a generated trace on a virtual clock: a ProviderRegistry on a
 * ManualClock, each request admitted with `provider.admit()` when it starts and recorded with
 * `provider.recordRequest()` when it ends, in time order (requests overlap, as in a service).
 * What the plugin announces on its event surface (trend warnings, transitions) is collected.
 */
import { REJECTED } from '../../src/breaker/circuit-state.js';
import type { ProviderHealthOptions } from '../../src/config/options.js';
import { resolveOptions } from '../../src/config/resolve.js';
import type { BaselineData } from '../../src/health/baseline-data.js';
import type { Provider } from '../../src/providers/provider.js';
import type { RecordedRequest } from '../../src/providers/provider-events.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { ManualClock } from '../../test/support/manual-clock.js';
import type { Answer, Traffic } from './traffic.js';

export const PROVIDER = 'openai';

export interface Simulation {
  registry: ProviderRegistry;
  provider: Provider;
  clock: ManualClock;
  /** Wall ms of each early warning raised, and cleared. */
  warnings: number[];
  cleared: number[];
  /** Wall ms of each closed -> open transition. */
  trips: number[];
  requests: number;
  /** Highest trend detector levels seen (1 raises a warning): the margin healthy traffic leaves. */
  maxFailureLevel: number;
  maxLatencyLevel: number;
}

/** A registry on a manual clock set to `start` (wall ms), optionally with a baseline already learned. */
export function simulation(
  start: number,
  options: ProviderHealthOptions = {},
  baseline?: BaselineData,
): Simulation {
  const clock = new ManualClock();
  clock.advance(start - clock.now());
  const registry = new ProviderRegistry(resolveOptions(options, {}), clock);
  const provider = registry.getOrCreateProvider(PROVIDER);
  if (baseline !== undefined) provider.early.baseline.restore(baseline);
  const sim: Simulation = {
    registry,
    provider,
    clock,
    warnings: [],
    cleared: [],
    trips: [],
    requests: 0,
    maxFailureLevel: 0,
    maxLatencyLevel: 0,
  };
  registry.events.on('trend', (event) => (event.warning ? sim.warnings : sim.cleared).push(event.at));
  registry.events.on('transition', (event) => {
    if (event.from === 'closed' && event.to === 'open') sim.trips.push(event.at);
  });
  return sim;
}

class Ending implements RecordedRequest {
  outcome: Answer['outcome'];
  statusCode: number;
  durationMs: number;
  ttfbMs: number;
  endedAt = 0;
  reason: string | undefined;
  retryAfterMs: number | undefined = undefined;
  constructor(
    readonly admission: number,
    answer: Answer,
    readonly endsAt: number,
  ) {
    this.outcome = answer.outcome;
    this.statusCode = answer.statusCode;
    this.durationMs = answer.durationMs;
    this.ttfbMs = answer.ttfbMs;
    this.reason = answer.outcome === 'success' ? undefined : answer.outcome;
  }
}

/** Plays `traffic` to its end; requests still running at the end are finished too. */
export function play(sim: Simulation, traffic: Traffic): void {
  const { clock, provider } = sim;
  const running = new EndHeap();
  let next = traffic.next();
  for (;;) {
    const soonest = running.peek();
    if (next === undefined && soonest === undefined) return;
    if (soonest !== undefined && (next === undefined || soonest.endsAt <= next.at)) {
      running.pop();
      clock.advance(Math.max(0, soonest.endsAt - clock.now()));
      soonest.endedAt = clock.now();
      provider.recordRequest(soonest);
      continue;
    }
    if (next === undefined) continue;
    clock.advance(Math.max(0, next.at - clock.now()));
    sim.requests++;
    if ((sim.requests & 63) === 0) {
      const trend = provider.early.trend;
      sim.maxFailureLevel = Math.max(sim.maxFailureLevel, trend.failureLevel);
      sim.maxLatencyLevel = Math.max(sim.maxLatencyLevel, trend.latencyLevel);
    }
    const admission = provider.admit();
    if (admission === REJECTED) provider.record(REJECTED, 'rejected');
    else running.push(new Ending(admission, next.answer, next.at + Math.max(1, next.answer.durationMs)));
    next = traffic.next();
  }
}

/** A binary min-heap of requests by end time. */
class EndHeap {
  private readonly items: Ending[] = [];

  peek(): Ending | undefined {
    return this.items[0];
  }

  push(item: Ending): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] as Ending).endsAt <= item.endsAt) break;
      items[i] = items[parent] as Ending;
      i = parent;
    }
    items[i] = item;
  }

  pop(): Ending | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child =
        right < items.length && (items[right] as Ending).endsAt < (items[left] as Ending).endsAt
          ? right
          : left;
      if ((items[child] as Ending).endsAt >= last.endsAt) break;
      items[i] = items[child] as Ending;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
