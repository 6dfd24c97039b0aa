/**
 * Replicas as separate processes with the built plugin preloaded by `--require`, the fake provider,
 * and a real redis-server (or a 3-node Redis Cluster) on free loopback ports without persistence:
 * the fleet semantics and faults of docs/design.md "Fleet", seen through each replica's own calls,
 * health endpoints, log and metrics. Waits are on conditions with generous bounds (a busy 2-core
 * machine); the only durations set are the breakers' own settings.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';
import { ChildSession } from '../intercept/support/child-session.js';
import type { CallResult, ProviderView } from '../intercept/support/types.js';
import { RedisCluster, RedisServer } from './support/redis-server.js';
import { circuitOf, ProcessFleet, rejected } from './support/replica-processes.js';
import { WAIT_MS } from './support/stores.js';
import { TcpProxy } from './support/tcp-proxy.js';

const CONNECTED = /^ai_provider_fleet_connected(\{[^}]*\})? 1$/m;
const DISCONNECTED = /^ai_provider_fleet_connected(\{[^}]*\})? 0$/m;

let redis: RedisServer;
let openai: FakeProvider;
let anthropic: FakeProvider;
const running: ProcessFleet[] = [];
const proxies: TcpProxy[] = [];

beforeAll(async () => {
  [redis, openai, anthropic] = await Promise.all([
    RedisServer.start(),
    startFakeProvider({ flavor: 'openai' }),
    startFakeProvider({ flavor: 'anthropic' }),
  ]);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((fleet) => fleet.close()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  openai.reset();
  anthropic.reset();
});
afterAll(async () => {
  await Promise.all([redis.stop(), openai.close(), anthropic.close()]);
});

async function fleetOf(env: Record<string, string>, redisUrl: string | string[] = redis.url, count = 4) {
  const fleet = await ProcessFleet.start({ redis: redisUrl, count, openai, anthropic, env });
  running.push(fleet);
  return fleet;
}

/** The provider goes down; five calls spread over the replicas, one after another. */
async function outage(fleet: ProcessFleet): Promise<number> {
  openai.setDefault({ status: 503 });
  const before = openai.requestCount;
  for (let i = 0; i < 5; i++) await fleet.call(i % fleet.replicas.length);
  await fleet.all((v) => circuitOf(v) === 'open', 'open');
  return openai.requestCount - before;
}

/** One replica's requests, one after another, until its circuit is closed. */
async function untilClosed(fleet: ProcessFleet, index: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (circuitOf(await fleet.view(index)) !== 'closed') {
    if (Date.now() > deadline) throw new Error(`replica ${index} never closed`);
    await fleet.call(index);
  }
}

/**
 * Five failures on one replica reach the provider and open its own breaker (its reason is its
 * own, failure_threshold), promptly each; then it rejects.
 */
async function aloneOpens(
  fleet: ProcessFleet,
  index: number,
  provider: 'openai' | 'anthropic',
): Promise<void> {
  for (const result of await fleet.call(index, 5, provider)) {
    expect(rejected(result)).toBe(false);
    expect(result.ms).toBeLessThan(1_000);
  }
  await fleet.until(fleet.replica(index), (v) => circuitOf(v, provider) === 'open', `${provider} open alone`);
  const [after] = await fleet.call(index, 1, provider);
  expect(after && rejected(after)).toBe(true);
  const { transitions } = await fleet.observations(index);
  expect(transitions.findLast((t) => t.provider === provider)).toMatchObject({
    to: 'open',
    reason: 'failure_threshold',
  });
}

/**
 * Calls on one replica until one of them is admitted as a trial and reaches the provider, which
 * holds it (its behaviour is `hang`); that call never settles while the replica lives.
 */
async function trialInFlight(fleet: ProcessFleet, index: number): Promise<void> {
  const arrived = openai.requestCount;
  const deadline = Date.now() + WAIT_MS;
  while (openai.requestCount === arrived) {
    if (Date.now() > deadline) throw new Error(`replica ${index} never ran a trial`);
    let settled = false;
    fleet.call(index).then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    while (!settled && openai.requestCount === arrived)
      await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a fleet of replica processes', () => {
  it('an outage: 5 failures across the fleet open it everywhere; then every replica rejects without a request', async () => {
    const fleet = await fleetOf({ PROVIDER_HEALTH_RECOVERY_TIMEOUT: '10m' });
    expect(await outage(fleet)).toBe(5);
    const views = await Promise.all(fleet.replicas.map((r) => fleet.view(r.index)));
    const records = views.map((v) => v.providers.openai?.fleet);
    // One record, one epoch, one replica that tripped it, for every replica.
    expect(new Set(records.map((f) => f?.epoch)).size).toBe(1);
    expect(records[0]).toMatchObject({
      state: 'open',
      reason: 'failure_threshold',
      detail: expect.stringContaining('HTTP 503'),
    });
    const tripper = records[0]?.opened_by;
    expect(views.map((v) => v.fleet?.replica)).toContain(tripper);
    expect(views.every((v) => v.fleet?.replicas_seen === 4)).toBe(true);
    const before = openai.requestCount;
    for (const replica of fleet.replicas) {
      const [result] = await fleet.call(replica.index);
      expect(result && rejected(result)).toBe(true);
    }
    expect(openai.requestCount).toBe(before);
    // The replica that tripped it says why; the others say the fleet did, and who.
    for (const [i, view] of views.entries()) {
      const { transitions } = await fleet.observations(i);
      const opened = transitions.find((t) => t.to === 'open');
      if (view.fleet?.replica === tripper) expect(opened).toMatchObject({ reason: 'failure_threshold' });
      else
        expect(opened).toMatchObject({
          reason: 'fleet',
          detail: `failure_threshold by ${tripper}: ${records[0]?.detail}`,
        });
    }
  }, 120_000);

  it('recovery: at most successThreshold trials across the fleet, then closed everywhere', async () => {
    const fleet = await fleetOf({
      PROVIDER_HEALTH_RECOVERY_TIMEOUT: '1s',
      PROVIDER_HEALTH_SUCCESS_THRESHOLD: '3',
    });
    await outage(fleet);
    await Promise.all(fleet.replicas.map((r) => fleet.observations(r.index)));
    openai.setDefault({ kind: 'ok' });
    await Promise.all(fleet.replicas.map((r) => untilClosed(fleet, r.index)));
    const seen = await Promise.all(fleet.replicas.map((r) => fleet.observations(r.index)));
    expect(seen.reduce((sum, s) => sum + s.trials.length, 0)).toBe(3);
    const closings = seen.map((s) => s.transitions.find((t) => t.to === 'closed')?.reason);
    expect(closings.filter((reason) => reason === 'success_threshold')).toHaveLength(1);
    expect(closings.filter((reason) => reason === 'fleet')).toHaveLength(3);
  }, 120_000);

  it('a replica killed with SIGKILL while it holds a trial lease blocks recovery only until the lease expires, and is no failure', async () => {
    const fleet = await fleetOf({
      PROVIDER_HEALTH_RECOVERY_TIMEOUT: '500ms',
      PROVIDER_HEALTH_SUCCESS_THRESHOLD: '1',
      PROVIDER_HEALTH_TRIAL_TIMEOUT: '6s',
    });
    await outage(fleet);
    openai.setDefault({ kind: 'ok' });
    openai.script([{ kind: 'hang' }]);
    // Replica 0 asks for the one slot until its trial is in flight: the provider holds that request.
    await trialInFlight(fleet, 0);
    const holding = await fleet.until(
      fleet.replica(1),
      (v) => v.providers.openai?.fleet?.trials_in_flight === 1,
      'seeing the trial in flight',
    );
    expect(holding.providers.openai?.fleet?.state).toBe('half_open');
    const epoch = holding.providers.openai?.fleet?.epoch;
    await fleet.replica(0).session.kill();
    const alive = fleet.replicas.slice(1);
    await Promise.all(alive.map((r) => fleet.observations(r.index)));
    // The dead holder's slot is taken: the others are refused a trial until its lease expires...
    const [refused] = await fleet.call(1);
    expect(refused && rejected(refused)).toBe(true);
    // ...and then recover with a trial of their own.
    await Promise.all(alive.map((r) => untilClosed(fleet, r.index)));
    const seen = await Promise.all(alive.map((r) => fleet.observations(r.index)));
    expect(seen.reduce((sum, s) => sum + s.trials.length, 0)).toBe(1);
    // No reopening: an expired lease is no trial failure.
    expect(seen.flatMap((s) => s.transitions).filter((t) => t.to === 'open')).toEqual([]);
    const view = await fleet.view(1);
    expect(view.providers.openai?.fleet).toMatchObject({ state: 'closed' });
    expect(epoch).toBeDefined();
  }, 120_000);

  it('Redis paused then restarted empty: each replica decides alone at once, warns once, reports 0, then resyncs and keeps what it knew', async () => {
    const fleet = await fleetOf({ PROVIDER_HEALTH_RECOVERY_TIMEOUT: '10m' });
    await outage(fleet);
    for (const r of fleet.replicas) expect(await fleet.metrics(r.index)).toMatch(CONNECTED);
    redis.stopProcess();
    try {
      // Requests never wait for Redis: successes on another provider, rejections of the open one.
      for (const r of fleet.replicas) {
        for (const result of await fleet.call(r.index, 3, 'anthropic')) {
          expect(result.status).toBe(200);
          expect(result.ms).toBeLessThan(1_000);
        }
        const [open] = await fleet.call(r.index);
        expect(open && rejected(open)).toBe(true);
      }
      await fleet.all((v) => v.fleet?.connected === false, 'disconnected');
      for (const r of fleet.replicas) {
        expect(await fleet.metrics(r.index)).toMatch(DISCONNECTED);
        expect(fleet.logLines(r.index, 'warn', 'unreachable')).toHaveLength(1);
      }
      // Alone: replica 0's own five failures open its breaker, the others know nothing of them.
      anthropic.setDefault({ status: 529 });
      await aloneOpens(fleet, 0, 'anthropic');
      expect(circuitOf(await fleet.view(1), 'anthropic')).toBe('closed');
      await redis.restartEmpty();
    } finally {
      redis.continueProcess();
    }
    await fleet.all((v) => v.fleet?.connected === true, 'reconnected');
    // The new, empty Redis got the openings back: the fleet's (openai) and the one made alone (anthropic).
    const views = await fleet.all(
      (v) => circuitOf(v) === 'open' && circuitOf(v, 'anthropic') === 'open',
      'both providers open everywhere',
    );
    for (const view of views) {
      expect(view.providers.anthropic?.fleet).toMatchObject({
        reason: 'restored',
        opened_by: views[0]?.fleet?.replica,
      });
      expect(view.providers.openai?.fleet).toMatchObject({ state: 'open' });
    }
    for (const r of fleet.replicas) {
      expect(await fleet.metrics(r.index)).toMatch(CONNECTED);
      expect(fleet.logLines(r.index, 'warn', 'unreachable')).toHaveLength(1);
    }
  }, 180_000);

  it('a replica cut off from Redis decides alone, never waits, and takes the fleet state when the network heals', async () => {
    const proxy = await TcpProxy.start(redis.port);
    proxies.push(proxy);
    const fleet = await fleetOf({ PROVIDER_HEALTH_RECOVERY_TIMEOUT: '10m' }, [
      redis.url,
      redis.url,
      redis.url,
      proxy.url,
    ]);
    proxy.partition();
    await fleet.until(fleet.replica(3), (v) => v.fleet?.connected === false, 'cut off');
    openai.setDefault({ status: 503 });
    const before = openai.requestCount;
    for (let i = 0; i < 5; i++) await fleet.call(i % 3);
    await fleet.all((v) => circuitOf(v) === 'open', 'open', fleet.replicas.slice(0, 3));
    // The cut-off replica learns nothing: its own five failures open its own breaker.
    await aloneOpens(fleet, 3, 'openai');
    expect(openai.requestCount - before).toBe(10);
    const fleetRecord = (await fleet.view(0)).providers.openai?.fleet;
    proxy.heal();
    const healed = await fleet.until(fleet.replica(3), (v) => v.fleet?.connected === true, 'reconnected');
    // The fleet knew of the outage: its record stands (same epoch, who tripped it), not a seed.
    expect(healed.providers.openai?.fleet).toMatchObject({
      state: 'open',
      epoch: fleetRecord?.epoch,
      opened_by: fleetRecord?.opened_by,
    });
    expect(circuitOf(healed)).toBe('open');
  }, 120_000);

  it("an operator's reset or force-open on one replica's admin endpoint applies to every replica", async () => {
    const fleet = await fleetOf({ PROVIDER_HEALTH_RECOVERY_TIMEOUT: '10m' });
    await outage(fleet);
    await Promise.all(fleet.replicas.map((r) => fleet.observations(r.index)));
    const reset = await fleet.admin(2, 'reset');
    expect(reset.status).toBe(200);
    expect(await reset.json()).toMatchObject({
      action: 'reset',
      previous_state: 'open',
      circuit_state: 'closed',
    });
    await fleet.all((v) => circuitOf(v) === 'closed', 'closed');
    const operator = (await fleet.view(2)).fleet?.replica;
    const { transitions } = await fleet.observations(0);
    expect(transitions.at(-1)).toMatchObject({
      to: 'closed',
      reason: 'fleet',
      detail: `manual_reset by ${operator}`,
    });
    const open = await fleet.admin(1, 'open', 'openai', { duration: '10m' });
    expect(open.status).toBe(200);
    // The operator's replica opens at once, the others when the fleet tells them: wait for the record.
    const views = await fleet.all(
      (v) => circuitOf(v) === 'open' && v.providers.openai?.fleet?.state === 'open',
      'open in the fleet',
    );
    for (const view of views)
      expect(view.providers.openai?.fleet).toMatchObject({ forced: true, reason: 'manual_open' });
  }, 120_000);
});

describe('a fleet on a 3-node Redis Cluster', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await RedisCluster.start(3);
  }, 120_000);
  afterAll(() => cluster?.stop());

  it('opens everywhere on an outage and closes everywhere on a reset', async () => {
    const fleet = await fleetOf({ PROVIDER_HEALTH_RECOVERY_TIMEOUT: '10m' }, cluster.url);
    expect(await outage(fleet)).toBe(5);
    expect((await fleet.admin(3, 'reset')).status).toBe(200);
    await fleet.all((v) => circuitOf(v) === 'closed', 'closed');
  }, 120_000);
});

describe('a fleet that cannot start', () => {
  const session = async (env: Record<string, string>) => {
    const child = await ChildSession.start({
      preload: 'require',
      env: {
        PROVIDER_HEALTH_PROVIDERS: `openai=${new URL(openai.url).host}`,
        FAKE_OPENAI_URL: openai.url,
        ...env,
      },
    });
    try {
      openai.setDefault({ status: 503 });
      const results = await child.call<CallResult[]>('call', { client: 'fetch', n: 5 });
      const deadline = Date.now() + WAIT_MS;
      while ((await child.call<ProviderView>('provider', { name: 'openai' })).state !== 'open') {
        if (Date.now() > deadline) throw new Error(`never opened:\n${child.stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      results.push(...(await child.call<CallResult[]>('call', { client: 'fetch', n: 1 })));
      return { results: results.map(rejected), child };
    } finally {
      await child.close();
    }
  };

  it('with a bad URL: one line naming the setting, and each replica keeps its own breakers', async () => {
    const { results, child } = await session({
      PROVIDER_HEALTH_REDIS_URL: 'http://user:hunter2@redis.internal',
    });
    expect(results).toEqual([false, false, false, false, false, true]);
    const lines = child.stderr.split('\n').filter((line) => line.includes('PROVIDER_HEALTH_REDIS_URL'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('the fleet is off, each replica keeps its own breakers');
    expect(child.stderr).not.toContain('hunter2');
  });

  it('without ioredis installed: one line saying what to install, and each replica keeps its own breakers', async () => {
    const hide = fileURLToPath(new URL('./support/without-ioredis.cjs', import.meta.url));
    const { results, child } = await session({
      PROVIDER_HEALTH_REDIS_URL: redis.url,
      NODE_OPTIONS: `--require ${hide}`,
    });
    expect(results).toEqual([false, false, false, false, false, true]);
    const lines = child.stderr.split('\n').filter((line) => line.includes('ioredis'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('npm install ioredis');
  });
});
