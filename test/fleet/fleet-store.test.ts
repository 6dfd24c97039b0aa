import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Clock, systemClock } from '../../src/common/clock.js';
import { fleetKeys } from '../../src/fleet/fleet-keys.js';
import { FLEET_SCRIPTS } from '../../src/fleet/fleet-scripts.js';
import type { FleetStore } from '../../src/fleet/fleet-store.js';
import type { FleetLease } from '../../src/fleet/fleet-types.js';
import { FleetClientMissingError, loadRedisClient } from '../../src/fleet/redis-connection.js';
import { RedisServer } from './support/redis-server.js';
import {
  adminClient,
  channelTap,
  eventually,
  Stores,
  scriptCalls,
  uniqueFleet,
  waitForState,
} from './support/stores.js';

const GEN = '0123456789abcdef';
const FAIL = { failureThreshold: 5, recoveryTimeoutMs: 60_000, detail: 'HTTP 503' };
const isOpen = (s: { state: string } | undefined) => s?.state === 'open';
const isClosed = (s: { state: string } | undefined) => s === undefined || s.state === 'closed';

let redis: RedisServer;
let admin: Redis;
const stores = new Stores();

beforeAll(async () => {
  redis = await RedisServer.start();
  admin = adminClient(redis.port);
});
afterEach(() => stores.closeAll());
afterAll(async () => {
  admin.disconnect();
  await redis.stop();
});

async function fleetOf(count: number, fleet = uniqueFleet(), overrides = {}): Promise<FleetStore[]> {
  const opened = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      stores.open(redis.url, fleet, { replicaId: `r${i}`, ...overrides }),
    ),
  );
  return opened.map((entry) => entry.store);
}

async function openFleet(
  fleetStores: FleetStore[],
  provider: string,
  recoveryTimeoutMs = 60_000,
): Promise<void> {
  for (let i = 0; i < 5; i++)
    fleetStores[i % fleetStores.length]?.failure(provider, { ...FAIL, recoveryTimeoutMs });
  await Promise.all(fleetStores.map((s) => waitForState(s, provider, isOpen, 'open')));
}

/** Asks until a lease is granted (each store sends one request at a time; a denial backs off). */
async function leaseFor(
  store: FleetStore,
  provider: string,
  maxTrials = 3,
  leaseMs = 30_000,
): Promise<FleetLease> {
  return eventually(
    () => store.acquireTrialLease(provider, { maxTrials, leaseMs }),
    `a lease for ${store.replicaId}`,
  );
}

describe('failures across replicas', () => {
  it('open the fleet once, with one retryAt, learned by every replica', async () => {
    const fleet = uniqueFleet();
    const tap = await channelTap(redis.port, fleetKeys(fleet).channel);
    const replicas = await fleetOf(4, fleet);
    await openFleet(replicas, 'openai');
    // Late failures from requests admitted before the opening change nothing.
    for (const store of replicas) store.failure('openai', FAIL);
    const states = replicas.map((s) => s.state('openai'));
    expect(new Set(states.map((s) => s?.epoch)).size).toBe(1);
    expect(new Set(states.map((s) => s?.openedBy)).size).toBe(1);
    expect(states[0]).toMatchObject({ reason: 'failure_threshold', detail: 'HTTP 503', forced: false });
    const record = JSON.parse((await admin.hget(fleetKeys(fleet).state, 'openai')) ?? '{}');
    expect(record.s).toBe('open');
    // Each replica's retryAt is its own arrival time plus Redis' remaining time: within a minute.
    for (const state of states) expect(state?.retryAt).toBeGreaterThan(systemClock.now() + 30_000);
    await eventually(() => (tap.messages.length > 0 ? true : undefined), 'the opening message');
    const openings = tap.messages.filter((m) => (m as { view?: { state?: string } }).view?.state === 'open');
    expect(openings).toHaveLength(1);
    tap.close();
  });

  it('count consecutively: a success anywhere resets the fleet count', async () => {
    const [a, b] = await fleetOf(2);
    for (let i = 0; i < 4; i++) a?.failure('openai', FAIL);
    // All four counted before the success: one still in flight would land after the reset. A
    // count that only grows may reach the mirror without a state event, so this one is polled.
    await eventually(() => (b?.state('openai')?.failures === 4 ? true : undefined), 'b counts four');
    b?.success('openai');
    await waitForState(a as FleetStore, 'openai', (s) => s?.failures === 0, 'the count reset');
    // Four more: not five in a row since the reset, so still closed.
    for (let i = 0; i < 4; i++) b?.failure('openai', FAIL);
    await eventually(() => (a?.state('openai')?.failures === 4 ? true : undefined), 'a counts four');
    a?.success('openai');
    await waitForState(b as FleetStore, 'openai', (s) => s?.failures === 0, 'the count reset');
    expect(a?.state('openai')?.state).toBe('closed');
  });

  it('keep the longer wait a provider asked for (retry-after)', async () => {
    const [a] = await fleetOf(1);
    for (let i = 0; i < 5; i++)
      a?.failure('openai', { ...FAIL, recoveryTimeoutMs: 1_000, minOpenMs: 120_000 });
    const open = await waitForState(a as FleetStore, 'openai', isOpen, 'open');
    expect(open?.retryAt).toBeGreaterThan(systemClock.now() + 60_000);
  });
});

describe('steady state', () => {
  it('sends no command for successes while nothing is counted or open', async () => {
    const replicas = await fleetOf(3, uniqueFleet(), { heartbeatMs: 600_000 });
    const before = await scriptCalls(admin);
    const sent = replicas.map((s) => s.stats().commands);
    for (let i = 0; i < 10_000; i++)
      for (const store of replicas) store.success(i % 2 ? 'openai' : 'anthropic');
    expect(replicas.map((s) => s.stats().commands)).toEqual(sent);
    expect(await scriptCalls(admin)).toBe(before);
  });

  it('sends one reset after a failure, then nothing again', async () => {
    const [a, b] = await fleetOf(2, uniqueFleet(), { heartbeatMs: 600_000 });
    a?.failure('openai', FAIL);
    await waitForState(b as FleetStore, 'openai', (s) => s?.failures === 1, 'the count');
    const sent = b?.stats().commands ?? 0;
    for (let i = 0; i < 1_000; i++) b?.success('openai');
    await waitForState(a as FleetStore, 'openai', (s) => s?.failures === 0, 'the reset');
    for (let i = 0; i < 1_000; i++) b?.success('openai');
    expect((b?.stats().commands ?? 0) - sent).toBe(1);
  });
});

describe('trials', () => {
  it('are leased to at most successThreshold callers across the fleet', async () => {
    const replicas = await fleetOf(4);
    await openFleet(replicas, 'openai', 0);
    const granted: FleetLease[] = [];
    for (let round = 0; round < 5; round++) {
      const leases = await Promise.all(
        replicas.map((s) => s.acquireTrialLease('openai', { maxTrials: 3, leaseMs: 30_000 })),
      );
      for (const lease of leases) if (lease !== undefined) granted.push(lease);
    }
    expect(granted).toHaveLength(3);
    expect(new Set(granted.map((l) => l.id)).size).toBe(3);
    await Promise.all(replicas.map((s) => waitForState(s, 'openai', (st) => st?.state === 'half_open')));
    const view = await eventually(async () => {
      await replicas[0]?.acquireTrialLease('openai', { maxTrials: 3, leaseMs: 30_000 });
      const state = replicas[0]?.state('openai');
      return state?.trialsInFlight === 3 ? state : undefined;
    }, 'three trials in flight in the mirror');
    expect(view.successes).toBe(0);
  });

  it('close the fleet everywhere after successThreshold successes', async () => {
    const replicas = await fleetOf(3);
    await openFleet(replicas, 'openai', 0);
    const leases = await Promise.all(replicas.map((s) => leaseFor(s, 'openai')));
    replicas.forEach((s, i) => {
      s.trialResult(leases[i] as FleetLease, { outcome: 'success', successThreshold: 3 });
    });
    const closed = await Promise.all(replicas.map((s) => waitForState(s, 'openai', isClosed, 'closed')));
    expect(closed[0]).toMatchObject({ reason: 'success_threshold', failures: 0 });
  });

  it('reopen the fleet everywhere on one trial failure, with a new retryAt', async () => {
    const replicas = await fleetOf(3);
    await openFleet(replicas, 'openai', 0);
    const lease = await leaseFor(replicas[1] as FleetStore, 'openai');
    const halfOpen = replicas[0]?.state('openai')?.epoch ?? 0;
    replicas[1]?.trialResult(lease, {
      outcome: 'failure',
      recoveryTimeoutMs: 60_000,
      reason: 'trial_timeout',
      detail: 'trial unsettled after 30000 ms',
    });
    const reopened = await Promise.all(
      replicas.map((s) => waitForState(s, 'openai', (st) => isOpen(st) && (st?.epoch ?? 0) > halfOpen)),
    );
    expect(reopened[2]).toMatchObject({ reason: 'trial_timeout', openedBy: 'r1' });
    expect(reopened[2]?.retryAt).toBeGreaterThan(systemClock.now() + 30_000);
  });

  it("do not grant a succeeded trial's slot again: a recovery whose trials succeed runs maxTrials of them", async () => {
    const [a, b] = (await fleetOf(2)) as [FleetStore, FleetStore];
    await openFleet([a, b], 'openai', 0);
    const first = await leaseFor(a, 'openai', 2);
    const second = await leaseFor(b, 'openai', 2);
    a.trialResult(first, { outcome: 'success', successThreshold: 2 });
    await eventually(() => (a.stats().inFlight === 0 ? true : undefined), 'the success settled');
    // One success and one trial in flight: the two slots are spoken for.
    expect(await a.acquireTrialLease('openai', { maxTrials: 2, leaseMs: 30_000 })).toBeUndefined();
    expect(a.state('openai')).toMatchObject({ state: 'half_open', successes: 1, trialsInFlight: 1 });
    b.trialResult(second, { outcome: 'success', successThreshold: 2 });
    await Promise.all([a, b].map((s) => waitForState(s, 'openai', isClosed, 'closed')));
  });

  it('free their slot when the holder releases it or closes, without counting as a failure', async () => {
    const [a, b] = await fleetOf(2);
    await openFleet([a as FleetStore, b as FleetStore], 'openai', 0);
    const first = await leaseFor(a as FleetStore, 'openai', 1);
    expect(await b?.acquireTrialLease('openai', { maxTrials: 1, leaseMs: 30_000 })).toBeUndefined();
    const epoch = a?.state('openai')?.epoch;
    a?.trialResult(first, { outcome: 'ignored' });
    const second = await leaseFor(b as FleetStore, 'openai', 1);
    // The holder shuts down gracefully: its lease goes back at once.
    await b?.close();
    await leaseFor(a as FleetStore, 'openai', 1);
    expect(a?.state('openai')).toMatchObject({ state: 'half_open', epoch });
    expect(second.generation).toBe(first.generation);
  });

  it('ignore a result for a lease that is unknown or from before', async () => {
    const [a] = await fleetOf(1);
    await openFleet([a as FleetStore], 'openai', 0);
    const lease = await leaseFor(a as FleetStore, 'openai');
    const epoch = a?.state('openai')?.epoch;
    a?.trialResult({ ...lease, id: '1.99' }, { outcome: 'failure', recoveryTimeoutMs: 60_000 });
    a?.trialResult(
      { ...lease, generation: 'ffffffffffffffff' },
      { outcome: 'failure', recoveryTimeoutMs: 60_000 },
    );
    // A real result after the stale ones: counted, so the stale ones were processed and ignored.
    a?.trialResult(lease, { outcome: 'success', successThreshold: 2 });
    await eventually(() => (a?.stats().inFlight === 0 ? true : undefined), 'results settled');
    await a?.acquireTrialLease('openai', { maxTrials: 3, leaseMs: 30_000 });
    expect(a?.state('openai')).toMatchObject({ state: 'half_open', epoch, successes: 1 });
  });
});

describe('operators', () => {
  it('force-open and reset from any replica apply fleet-wide', async () => {
    const replicas = await fleetOf(3);
    expect(await replicas[2]?.forceOpen('openai', undefined, 'maintenance')).toBe(true);
    const forced = await Promise.all(replicas.map((s) => waitForState(s, 'openai', isOpen, 'forced open')));
    expect(forced[0]).toMatchObject({
      forced: true,
      retryAt: undefined,
      detail: 'maintenance',
      openedBy: 'r2',
    });
    // Held open with no end: no lease, however long one asks.
    expect(await replicas[0]?.acquireTrialLease('openai', { maxTrials: 3, leaseMs: 1 })).toBeUndefined();
    expect(await replicas[1]?.reset('openai')).toBe(true);
    const reset = await Promise.all(replicas.map((s) => waitForState(s, 'openai', isClosed, 'reset')));
    expect(reset[2]).toMatchObject({ reason: 'manual_reset', forced: false });
    expect(await admin.hexists(fleetKeys(replicas[0]?.fleet ?? '').state, 'openai')).toBe(0);
  });

  it('a forced opening with a duration ends by Redis time: trials may start after it', async () => {
    const [a, b] = await fleetOf(2);
    await a?.forceOpen('openai', 300);
    await waitForState(b as FleetStore, 'openai', isOpen, 'forced open');
    const lease = await leaseFor(b as FleetStore, 'openai');
    expect(lease.provider).toBe('openai');
    await waitForState(a as FleetStore, 'openai', (s) => s?.state === 'half_open' && !s.forced, 'half-open');
  });

  it('a passed health check starts trials early, except while forced', async () => {
    const [a, b] = await fleetOf(2);
    await openFleet([a as FleetStore, b as FleetStore], 'openai');
    a?.healthCheckSucceeded('openai');
    await waitForState(b as FleetStore, 'openai', (s) => s?.state === 'half_open', 'half-open');
    await b?.forceOpen('openai');
    await waitForState(a as FleetStore, 'openai', (s) => s?.forced === true, 'forced');
    a?.healthCheckSucceeded('openai');
    expect(await a?.reset('gpt-not-a-provider!')).toBe(false);
    expect(a?.state('openai')?.forced).toBe(true);
  });

  it('the fleet view shows replicas seen, who tripped and why, and trials in flight', async () => {
    const replicas = await fleetOf(3, uniqueFleet(), { heartbeatMs: 200 });
    await openFleet(replicas, 'openai', 0);
    await leaseFor(replicas[0] as FleetStore, 'openai');
    const view = await eventually(() => {
      const current = replicas[2]?.view();
      return current !== undefined && current.replicaCount === 3 && current.providers[0]?.trialsInFlight === 1
        ? current
        : undefined;
    }, 'a heartbeat with three replicas and one trial');
    expect(view.replicas.map((r) => r.id).sort()).toEqual(['r0', 'r1', 'r2']);
    expect(view.providers[0]).toMatchObject({ provider: 'openai', state: 'half_open', detail: 'HTTP 503' });
    expect(['r0', 'r1', 'r2']).toContain(view.providers[0]?.openedBy);
    expect(view.connected).toBe(true);
  });
});

describe('time', () => {
  it('comes from Redis: replicas with skewed clocks see the same fleet and cannot start trials early', async () => {
    const skewed = (offsetMs: number): Clock => ({
      now: () => Date.now() + offsetMs,
      wallNow: () => Date.now() + offsetMs,
      setTimer: (fn, ms) => setTimeout(fn, ms).unref(),
      clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
    });
    const fleet = uniqueFleet();
    const clocks = [skewed(3_600_000), skewed(-3_600_000), skewed(0)];
    const [ahead, behind, exact] = (await Promise.all(
      ['ahead', 'behind', 'exact'].map((replicaId, i) =>
        stores.open(redis.url, fleet, { replicaId, clock: clocks[i] }).then((e) => e.store),
      ),
    )) as [FleetStore, FleetStore, FleetStore];
    await openFleet([ahead, behind, exact], 'openai', 60_000);
    // A replica an hour ahead thinks the recovery time has long passed; Redis does not.
    expect(await ahead.acquireTrialLease('openai', { maxTrials: 3, leaseMs: 30_000 })).toBeUndefined();
    expect(ahead.state('openai')?.state).toBe('open');
    const remaining = [ahead, behind, exact].map(
      (s, i) => (s.state('openai')?.retryAt ?? 0) - (clocks[i] as Clock).now(),
    );
    for (const ms of remaining) {
      expect(ms).toBeGreaterThan(30_000);
      expect(ms).toBeLessThanOrEqual(60_000);
    }
    expect(new Set([ahead, behind, exact].map((s) => s.state('openai')?.epoch)).size).toBe(1);
  });
});

describe('the channel', () => {
  it('ignores duplicated, reordered and forged-old messages: epochs never go backwards', async () => {
    const fleet = uniqueFleet();
    const tap = await channelTap(redis.port, fleetKeys(fleet).channel);
    const entries = await Promise.all(
      [0, 1].map((i) => stores.open(redis.url, fleet, { replicaId: `r${i}` })),
    );
    const [a, b] = entries.map((e) => e.store) as [FleetStore, FleetStore];
    await openFleet([a, b], 'openai', 0);
    const lease = await leaseFor(a, 'openai');
    a.trialResult(lease, { outcome: 'success', successThreshold: 1 });
    await waitForState(b, 'openai', isClosed, 'closed');
    await eventually(() => (tap.messages.length >= 3 ? true : undefined), 'the messages so far');
    // Replay everything, newest first, twice.
    const replay = [...tap.messages].reverse().map((m) => JSON.stringify(m));
    for (const text of [...replay, ...replay]) await admin.publish(fleetKeys(fleet).channel, text);
    // A change after the replay shows that the replay was delivered and processed first.
    a.failure('openai', FAIL);
    await waitForState(b, 'openai', (s) => s?.failures === 1, 'a new count');
    for (const entry of entries) {
      const epochs = entry.states.map((s) => s.epoch);
      expect(epochs).toEqual([...epochs].sort((x, y) => x - y));
      expect(new Set(epochs).size).toBe(epochs.length);
    }
    expect(b.state('openai')?.state).toBe('closed');
    tap.close();
  });

  it('ignores malformed and foreign messages, logs each kind once, and keeps working', async () => {
    const fleet = uniqueFleet();
    const entry = await stores.open(redis.url, fleet, { replicaId: 'r0' });
    const channel = fleetKeys(fleet).channel;
    const junk = [
      'not json',
      'x'.repeat(100_000),
      JSON.stringify({ v: 1, fleet: 'someone-else', gen: '0123456789abcdef', seq: 1, tick: true }),
      JSON.stringify({ v: 1, fleet, gen: '0123456789abcdef', seq: 1, view: { p: 'openai', state: 'open' } }),
      JSON.stringify({ v: 1, fleet, gen: 'nope', seq: 1, tick: true }),
      'process.exit(1)',
      '{"__proto__":{"polluted":true}}',
    ];
    for (let i = 0; i < 3; i++) for (const text of junk) await admin.publish(channel, text);
    await eventually(
      () => (entry.store.stats().refused === junk.length * 3 ? true : undefined),
      'all refused',
    );
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    const refusals = entry.logs.filter((l) => l.message.includes('ignored a message'));
    // One line per kind: not_json, too_large, foreign, malformed.
    expect(refusals).toHaveLength(4);
    expect(entry.store.connected).toBe(true);
    await entry.store.forceOpen('openai');
    expect(entry.store.state('openai')?.state).toBe('open');
  });
});

describe('limits', () => {
  it("the scripts take a provider's or an endpoint's name and refuse any other, whoever calls them", async () => {
    const fleet = uniqueFleet();
    const keys = fleetKeys(fleet);
    const count = (name: string) =>
      admin.eval(
        FLEET_SCRIPTS.count,
        keys.all.length,
        ...keys.all,
        fleet,
        keys.channel,
        GEN,
        'r0',
        name,
        0,
        1,
        5,
        60_000,
        0,
        '',
      );
    for (const name of ['openai', 'aws.bedrock@us-east-1', `${'p'.repeat(64)}@${'k'.repeat(64)}`])
      expect(JSON.parse(String(await count(name)))).toMatchObject({
        result: 'counted',
        view: { p: name, failures: 1 },
      });
    for (const name of [
      '',
      '@us-east-1',
      'aws.bedrock@',
      'a@b@c',
      'Open',
      `${'p'.repeat(65)}`,
      `p@${'k'.repeat(65)}`,
    ])
      await expect(count(name), name).rejects.toThrow(/invalid (provider|argument)/);
  });

  it('a fleet holds 256 provider records; one more is refused (logged once), not an outage', async () => {
    const entry = await stores.open(redis.url, uniqueFleet(), { replicaId: 'r0', maxInFlight: 300 });
    for (let i = 0; i < 260; i++) entry.store.failure(`p${i}`, { ...FAIL, failureThreshold: 100 });
    await eventually(() => (entry.store.stats().inFlight === 0 ? true : undefined), 'all sent');
    await eventually(() => (entry.store.state('p255')?.failures === 1 ? true : undefined), 'p255 counted');
    expect(entry.store.state('p259')).toBeUndefined();
    const refusals = entry.logs.filter((l) => l.message.includes('256 providers already'));
    expect(refusals).toHaveLength(1);
    expect(entry.store.connected).toBe(true);
  });
});

describe('the client', () => {
  it('is loaded only on demand, with one clear message when it is missing', async () => {
    const missing = 'ioredis-that-is-not-installed';
    await expect(loadRedisClient(() => import(missing))).rejects.toThrow(FleetClientMissingError);
    await expect(loadRedisClient(() => import(missing))).rejects.toThrow(
      /npm install ioredis@'\^5\.11\.0 \|\| \^6\.1\.0'/,
    );
  });
});
