/**
 * The fleet against a provider that goes down: N = 1, 2, 4 and 8 replica processes (the built
 * plugin preloaded by --require, test/intercept/children/app.ts), each sending requests one after
 * another with a short random pause, against the fake provider, with the fleet (a real
 * redis-server on a free loopback port, no persistence) and without it. For each N both groups
 * run at once and take turns, outage by outage, so the machine's load hits both alike.
 *
 * Per outage: the requests that reach the dead provider before every replica rejects; the time
 * from the tripping failure until every replica rejects (times on the host's monotonic clock,
 * shared by all processes); the trials across the group when the provider is back, until every
 * replica is closed. Then, with the fleet, Redis commands per request in steady state (all
 * successes): script calls from INFO commandstats, less the heartbeats' snapshots.
 *
 * Run: npm run bench:fleet   (REPLICAS=1,2,4,8 OUTAGES=30 GAP_MS=10 STEADY_MS=4000 to change)
 */
import { Redis } from 'ioredis';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';
import { RedisServer } from '../../test/fleet/support/redis-server.js';
import type { Observations } from '../../test/intercept/children/fleet.js';
import { assertBuilt, ChildSession } from '../../test/intercept/support/child-session.js';
import { median, table } from '../core/harness.js';

const REPLICAS = (process.env.REPLICAS ?? '1,2,4,8').split(',').map(Number);
const OUTAGES = Number(process.env.OUTAGES ?? 30);
const GAP_MS = Number(process.env.GAP_MS ?? 10);
const STEADY_MS = Number(process.env.STEADY_MS ?? 4_000);
const FAILURE_THRESHOLD = 5;
const SUCCESS_THRESHOLD = 3;
/** Long enough that every replica of the group without a fleet has tripped before the first trial. */
const RECOVERY_MS = 1_500;
const WAIT_MS = 60_000;

type Variant = 'fleet' | 'alone';

interface Outage {
  reached: number;
  /** Tripping failure until every replica rejects, ms. */
  allRejectMs: number;
  trials: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Group {
  readonly outages: Outage[] = [];
  private constructor(
    readonly variant: Variant,
    readonly fake: FakeProvider,
    readonly replicas: ChildSession[],
  ) {}

  static async start(variant: Variant, count: number, redis: RedisServer, fleet: string): Promise<Group> {
    const fake = await startFakeProvider({ flavor: 'openai' });
    const env: Record<string, string> = {
      PROVIDER_HEALTH_PROVIDERS: `openai=${new URL(fake.url).host}`,
      FAKE_OPENAI_URL: fake.url,
      PROVIDER_HEALTH_FAILURE_THRESHOLD: String(FAILURE_THRESHOLD),
      PROVIDER_HEALTH_SUCCESS_THRESHOLD: String(SUCCESS_THRESHOLD),
      PROVIDER_HEALTH_RECOVERY_TIMEOUT: `${RECOVERY_MS}ms`,
      PROVIDER_HEALTH_LOG_LEVEL: 'error',
    };
    if (variant === 'fleet')
      Object.assign(env, { PROVIDER_HEALTH_REDIS_URL: redis.url, PROVIDER_HEALTH_FLEET: fleet });
    const replicas = await Promise.all(
      Array.from({ length: count }, () => ChildSession.start({ preload: 'require', env })),
    );
    const group = new Group(variant, fake, replicas);
    await Promise.all(replicas.map((r) => r.call('observe')));
    if (variant === 'fleet')
      await group.until(async () => (await group.fleetStats()).every((f) => f.connected), 'connected');
    return group;
  }

  async fleetStats(): Promise<{ connected: boolean; commands: number; snapshots: number }[]> {
    return Promise.all(
      this.replicas.map((r) => r.call<{ connected: boolean; commands: number; snapshots: number }>('fleet')),
    );
  }

  startLoad(): Promise<unknown> {
    return Promise.all(this.replicas.map((r) => r.call('startLoad', { gapMs: GAP_MS })));
  }

  stopLoad(): Promise<{ sent: number; rejected: number }[]> {
    return Promise.all(this.replicas.map((r) => r.call<{ sent: number; rejected: number }>('stopLoad')));
  }

  /** One outage and its recovery, under the running load. */
  async outage(record: boolean): Promise<void> {
    const seen = this.replicas.map((): Observations => ({ transitions: [], trials: [], failures: [] }));
    const collect = async () => {
      const fresh = await Promise.all(this.replicas.map((r) => r.call<Observations>('observations')));
      fresh.forEach((o, i) => {
        const into = seen[i] as Observations;
        into.transitions.push(...o.transitions);
        into.trials.push(...o.trials);
        into.failures.push(...o.failures);
      });
    };
    await collect();
    seen.forEach((o) => {
      o.transitions.length = 0;
      o.trials.length = 0;
      o.failures.length = 0;
    });
    const before = this.fake.requestCount;
    this.fake.setDefault({ status: 503 });
    const opened = () => seen.every((o) => o.transitions.some((t) => t.to === 'open'));
    await this.until(async () => {
      await collect();
      return opened();
    }, 'every replica open');
    // What every replica admitted before it opened reaches the provider a moment later.
    await sleep(100);
    const reached = this.fake.requestCount - before;
    const trialsBefore = seen.reduce((sum, o) => sum + o.trials.length, 0);
    this.fake.setDefault({ kind: 'ok' });
    await this.until(async () => {
      await collect();
      return seen.every((o) => o.transitions.at(-1)?.to === 'closed');
    }, 'every replica closed');
    if (!record) return;
    const opens = seen.map((o) => o.transitions.find((t) => t.to === 'open'));
    const allOpenAt = Math.max(...opens.map((t) => t?.at ?? Number.NaN));
    // The tripping failure. A breaker deciding alone opens inside that failure's recording, just
    // before the record event: its opening is the moment. With the fleet it is the
    // failureThreshold-th failure across the group (the fleet's count; a replica whose own run
    // reaches it opens inside that recording too, so the difference may be a hair below 0).
    const trips =
      this.variant === 'alone'
        ? opens.flatMap((open) => (open?.reason === 'failure_threshold' ? [open.at] : []))
        : seen
            .flatMap((o) => o.failures.map((f) => f.at))
            .sort((x, y) => x - y)
            .slice(FAILURE_THRESHOLD - 1, FAILURE_THRESHOLD);
    this.outages.push({
      reached,
      allRejectMs: Math.max(0, allOpenAt - Math.min(...trips)),
      trials: seen.reduce((sum, o) => sum + o.trials.length, 0) - trialsBefore,
    });
  }

  async until(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${this.variant}: never ${what}`);
      await sleep(5);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.close()));
    await this.fake.close();
  }
}

/** Script calls Redis has run (EVALSHA and EVAL: the only commands the fleet sends besides connecting). */
async function scriptCalls(admin: Redis): Promise<number> {
  const info = await admin.info('commandstats');
  let calls = 0;
  for (const match of info.matchAll(/cmdstat_(?:eval|evalsha):calls=(\d+)/g)) calls += Number(match[1]);
  return calls;
}

async function steadyState(group: Group, admin: Redis): Promise<string> {
  const before = {
    scripts: await scriptCalls(admin),
    stats: await group.fleetStats(),
    requests: group.fake.requestCount,
  };
  await group.startLoad();
  await sleep(STEADY_MS);
  await group.stopLoad();
  const after = {
    scripts: await scriptCalls(admin),
    stats: await group.fleetStats(),
    requests: group.fake.requestCount,
  };
  const snapshots = after.stats.reduce(
    (sum, s, i) => sum + s.snapshots - (before.stats[i]?.snapshots ?? 0),
    0,
  );
  const requests = after.requests - before.requests;
  const other = after.scripts - before.scripts - snapshots;
  return `${(other / requests).toFixed(4)} (${other} besides ${snapshots} heartbeats, ${requests} requests)`;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

assertBuilt();
const redis = await RedisServer.start();
const admin = new Redis({ port: redis.port, host: '127.0.0.1', protocol: 2 });
const rows: string[][] = [];
const verdicts: string[] = [];
console.log(
  `fleet bench: ${OUTAGES} outages per N, requests every ${GAP_MS} ms (±50%) per replica, failureThreshold ${FAILURE_THRESHOLD}, successThreshold ${SUCCESS_THRESHOLD}; redis-server ${redis.port}\n`,
);
try {
  for (const n of REPLICAS) {
    const groups = {
      fleet: await Group.start('fleet', n, redis, `bench-${n}`),
      alone: await Group.start('alone', n, redis, ''),
    };
    try {
      const steady = await steadyState(groups.fleet, admin);
      await Promise.all([groups.fleet.startLoad(), groups.alone.startLoad()]);
      // One outage each off the record (scripts loaded, connections warm), then turns.
      for (let i = -1; i < OUTAGES; i++) {
        for (const group of i % 2 === 0 ? [groups.fleet, groups.alone] : [groups.alone, groups.fleet])
          await group.outage(i >= 0);
      }
      await Promise.all([groups.fleet.stopLoad(), groups.alone.stopLoad()]);
      for (const group of [groups.fleet, groups.alone]) {
        const reached = group.outages.map((o) => o.reached);
        const times = group.outages.map((o) => o.allRejectMs);
        const trials = group.outages.map((o) => o.trials);
        rows.push([
          String(n),
          group.variant === 'fleet' ? 'fleet' : 'no fleet',
          `${median(reached)} / ${Math.max(...reached)}`,
          `${median(times).toFixed(1)} / ${percentile(times, 99).toFixed(1)} / ${Math.max(...times).toFixed(1)}`,
          `${median(trials)} / ${Math.max(...trials)}`,
          group.variant === 'fleet' ? steady : '–',
        ]);
        if (group.variant === 'fleet') {
          const bound = FAILURE_THRESHOLD + n - 1;
          verdicts.push(
            `N=${n}: reached <= ${bound}: ${Math.max(...reached) <= bound ? 'met' : 'MISSED'} (max ${Math.max(...reached)}); ` +
              `p99 until all reject < 10 ms: ${percentile(times, 99) < 10 ? 'met' : 'MISSED'} (${percentile(times, 99).toFixed(1)} ms); ` +
              `trials <= ${SUCCESS_THRESHOLD}: ${Math.max(...trials) <= SUCCESS_THRESHOLD ? 'met' : 'MISSED'} (max ${Math.max(...trials)})`,
          );
        }
      }
    } finally {
      await Promise.all([groups.fleet.close(), groups.alone.close()]);
    }
  }
} finally {
  admin.disconnect();
  await redis.stop();
}

console.log('');
table(
  [
    'N',
    'variant',
    'reached the dead provider (median / max)',
    'tripping failure -> all reject, ms (median / p99 / max)',
    'trials per recovery (median / max)',
    'Redis commands per request, steady',
  ],
  rows,
);
console.log(`\ngoals (fleet): ${verdicts.join('\n               ')}`);
console.log(
  'without a fleet the time is from the first replica to trip by its own count; each replica then needs its own failureThreshold failures.',
);
