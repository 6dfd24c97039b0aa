/**
 * Fleet store operation latency on loopback, for reference: a real redis-server (started here, no
 * persistence), two stores in this process. Variants alternate round by round; each row reports
 * the median and p99 of every sample, with a plain PING measured twice as the same-vs-same control.
 * Run: node --expose-gc --import tsx bench/fleet/store-ops.ts   (ROUNDS=…, OPS=… to change)
 */
import { Redis } from 'ioredis';
import { parseFleetRedis } from '../../src/config/redis-url.js';
import type { FleetProviderState } from '../../src/fleet/fleet-mirror.js';
import { createFleetStore, type FleetStore } from '../../src/fleet/fleet-store.js';
import { RedisServer } from '../../test/fleet/support/redis-server.js';
import { compare, formatNs, median, table } from '../core/harness.js';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const OPS = Number(process.env.OPS ?? 200);

const server = await RedisServer.start();
const redis = parseFleetRedis(server.url, 'bench');
const quiet = (): void => undefined;
const open = (replicaId: string): Promise<FleetStore> =>
  createFleetStore({
    redis,
    fleet: 'bench',
    log: quiet,
    replicaId,
    commandTimeoutMs: 2_000,
    heartbeatMs: 60_000,
  });
const [a, b] = await Promise.all([open('a'), open('b')]);
await Promise.all(
  [a, b].map((s) => (s.connected ? undefined : new Promise<void>((resolve) => s.on('connected', resolve)))),
);
const ping = new Redis({ port: server.port, host: '127.0.0.1', protocol: 2 });
await ping.ping();

/** Resolves when `store` reports a state of `provider` that satisfies `predicate`. */
function stateOn(
  store: FleetStore,
  provider: string,
  predicate: (s: FleetProviderState) => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    const off = store.on('state', (state) => {
      if (state.provider === provider && predicate(state)) {
        off();
        resolve();
      }
    });
  });
}

const samples = new Map<string, number[]>();
/** Times `op` alone, each sample on its own; `setup` runs before each, off the clock. */
function timed(
  name: string,
  op: () => Promise<unknown>,
  setup?: () => Promise<unknown>,
): { name: string; iterations: number; run(n: number): Promise<unknown> } {
  samples.set(name, []);
  return {
    name,
    iterations: OPS,
    async run(n) {
      const list = samples.get(name) as number[];
      for (let i = 0; i < n; i++) {
        await setup?.();
        const start = process.hrtime.bigint();
        await op();
        list.push(Number(process.hrtime.bigint() - start));
      }
      return list.length;
    },
  };
}

/** Opens `provider` from A (forced) and waits until B has the new epoch. */
async function forcedEverywhere(provider: string): Promise<void> {
  const epoch = b.state(provider)?.epoch ?? -1;
  const seen = stateOn(b, provider, (s) => s.epoch > epoch && s.state === 'open');
  await a.forceOpen(provider, 60_000);
  await seen;
}

async function closedEverywhere(provider: string): Promise<void> {
  if ((b.state(provider)?.state ?? 'closed') === 'closed') return;
  const seen = stateOn(b, provider, (s) => s.state === 'closed');
  await a.reset(provider);
  await seen;
}

const variants = [
  timed('PING round trip', () => ping.ping()),
  timed('PING round trip (control)', () => ping.ping()),
  timed('forceOpen: control script + PUBLISH, reply applied', () => a.forceOpen('bench-force', 60_000)),
  timed(
    'acquireTrialLease refused (open, not yet time)',
    () => b.acquireTrialLease('bench-lease', { maxTrials: 3, leaseMs: 30_000 }),
    // A refusal makes B wait for retryAt; a new opening (a change) lifts that.
    () => forcedEverywhere('bench-lease'),
  ),
  timed(
    'failure on A (threshold 1) until B reports open',
    () => {
      const seen = stateOn(b, 'bench-trip', (s) => s.state === 'open');
      a.failure('bench-trip', { failureThreshold: 1, recoveryTimeoutMs: 60_000 });
      return seen;
    },
    () => closedEverywhere('bench-trip'),
  ),
  timed(
    'reset on A until B reports closed',
    () => closedEverywhere('bench-reset'),
    () => forcedEverywhere('bench-reset'),
  ),
];
// Warm up (JIT, script cache, connections) off the record: the harness' own warm-up rounds would
// land in the samples.
for (const variant of variants) await variant.run(Math.ceil(OPS / 4));
for (const list of samples.values()) list.length = 0;
const results = await compare(variants, ROUNDS, 0);

// Steady state: what a breaker's success path pays when nothing is counted (no command is sent).
const sent = a.stats().commands;
let successes = 0;
const steady = await compare(
  [
    {
      name: 'store.success() with nothing counted',
      iterations: 5_000_000,
      run(n) {
        for (let i = 0; i < n; i++) a.success('openai');
        successes += n;
        return n;
      },
    },
    {
      name: 'empty loop',
      iterations: 5_000_000,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += i;
        return sum;
      },
    },
  ],
  ROUNDS,
);

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

console.log(`fleet store on loopback, redis-server ${server.port}; ${ROUNDS} rounds of ${OPS} ops each\n`);
// Per-sample figures: the harness' own per-round timing would include each row's setup.
table(
  ['operation', 'median', 'p99', 'samples'],
  results.map((r) => {
    const all = samples.get(r.name) ?? [];
    return [r.name, formatNs(median(all)), formatNs(percentile(all, 99)), String(all.length)];
  }),
);
console.log('');
table(
  ['steady state', 'per call'],
  steady.map((r) => [r.name, formatNs(r.medianNs)]),
);
console.log(`\ncommands sent by ${successes} successes with nothing counted: ${a.stats().commands - sent}`);

await Promise.all([a.close(), b.close()]);
ping.disconnect();
await server.stop();
