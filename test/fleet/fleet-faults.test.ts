import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/common/clock.js';
import { fleetKeys } from '../../src/fleet/fleet-keys.js';
import type { FleetStore } from '../../src/fleet/fleet-store.js';
import { command, RedisServer } from './support/redis-server.js';
import {
  adminClient,
  eventually,
  nextEvent,
  Stores,
  scriptCalls,
  type TestStore,
  uniqueFleet,
  waitForState,
} from './support/stores.js';
import { TcpProxy } from './support/tcp-proxy.js';

/** The production command timeout: faults must be noticed with it, however busy the machine. */
const FAULTY = { commandTimeoutMs: 250, heartbeatMs: 300, maxInFlight: 8 };
const FAIL = { failureThreshold: 5, recoveryTimeoutMs: 60_000, detail: 'HTTP 503' };
const isOpen = (s: { state: string } | undefined) => s?.state === 'open';

let redis: RedisServer;
const stores = new Stores();

beforeAll(async () => {
  redis = await RedisServer.start();
});
afterEach(() => stores.closeAll());
afterAll(() => redis.stop());

async function replicas(count: number, url = redis.url, fleet = uniqueFleet()): Promise<TestStore[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => stores.open(url, fleet, { replicaId: `r${i}`, ...FAULTY })),
  );
}

/** What a busy request path does to the store while Redis is away: must all return at once. */
function traffic(store: FleetStore, calls: number): void {
  for (let i = 0; i < calls; i++) {
    store.failure('openai', FAIL);
    store.success('anthropic');
    void store.acquireTrialLease('mistral', { maxTrials: 3, leaseMs: 30_000 });
  }
}

function outageWarnings(entry: TestStore): number {
  return entry.logs.filter((l) => l.level === 'warn' && l.message.includes('unreachable')).length;
}

async function openAll(entries: TestStore[], provider: string): Promise<void> {
  for (let i = 0; i < 5; i++) entries[i % entries.length]?.store.failure(provider, FAIL);
  await Promise.all(entries.map((e) => waitForState(e.store, provider, isOpen, 'open')));
}

describe('Redis paused', () => {
  it('CLIENT PAUSE WRITE: every replica reports disconnected, work is dropped not queued, one warning, resync after', async () => {
    const entries = await replicas(3);
    const admin = adminClient(redis.port);
    const before = await scriptCalls(admin);
    const disconnected = entries.map((e) => nextEvent(e.store, 'disconnected'));
    await redis.pauseWrites();
    for (const entry of entries) traffic(entry.store, 2_000);
    await Promise.all(disconnected);
    for (const entry of entries) {
      expect(entry.store.connected).toBe(false);
      expect(entry.store.stats().inFlight).toBeLessThanOrEqual(FAULTY.maxInFlight);
      // More traffic while disconnected: nothing is sent at all.
      const sent = entry.store.stats().commands;
      traffic(entry.store, 2_000);
      expect(entry.store.stats().commands).toBe(sent);
    }
    const connected = entries.map((e) => nextEvent(e.store, 'connected'));
    await redis.resume();
    await Promise.all(connected);
    // 12,000 calls a replica; what reached Redis is a few commands and the reconnect probes.
    expect((await scriptCalls(admin)) - before).toBeLessThan(100);
    for (const entry of entries) expect(outageWarnings(entry)).toBe(1);
    await openAll(entries, 'openai');
    admin.disconnect();
  });

  it('CLIENT PAUSE ALL: disconnected while it lasts, connected after', async () => {
    const entries = await replicas(2);
    const disconnected = entries.map((e) => nextEvent(e.store, 'disconnected'));
    const connected = entries.map((e) => nextEvent(e.store, 'connected'));
    // The pause ends by itself (nothing, not even UNPAUSE, is answered meanwhile).
    await redis.pauseAll(1_500);
    await Promise.all(disconnected);
    await Promise.all(connected);
    await openAll(entries, 'openai');
  });

  it('SIGSTOP: a frozen Redis is noticed by the heartbeat alone, and SIGCONT brings the fleet back', async () => {
    const entries = await replicas(2);
    const disconnected = entries.map((e) => nextEvent(e.store, 'disconnected'));
    redis.stopProcess();
    try {
      await Promise.all(disconnected);
      for (const entry of entries) traffic(entry.store, 1_000);
      for (const entry of entries)
        expect(entry.store.stats().inFlight).toBeLessThanOrEqual(FAULTY.maxInFlight);
    } finally {
      redis.continueProcess();
    }
    await Promise.all(entries.map((e) => (e.store.connected ? undefined : nextEvent(e.store, 'connected'))));
    await openAll(entries, 'openai');
  });
});

describe('the subscription lost', () => {
  it('CLIENT KILL TYPE pubsub: disconnected, resubscribed and resynced, changes made meanwhile learned', async () => {
    const entries = await replicas(2);
    const [a, b] = entries.map((e) => e.store) as [FleetStore, FleetStore];
    const disconnected = nextEvent(b, 'disconnected');
    await command(redis.port, 'CLIENT', 'KILL', 'TYPE', 'pubsub');
    await disconnected;
    // A's subscriber died too, but its commands still work once it is back: wait for it first.
    if (!a.connected) await nextEvent(a, 'connected');
    await a.forceOpen('openai');
    if (!b.connected) await nextEvent(b, 'connected');
    await waitForState(b, 'openai', (s) => s?.forced === true, 'forced open');
  });
});

describe('the subscription silent', () => {
  it('a channel quiet past the ticks counts as lost; heartbeats keep the mirror right meanwhile', async () => {
    const fleet = uniqueFleet();
    const proxy = await TcpProxy.start(redis.port);
    try {
      // Silence counts after 4 heartbeats; the first of them already brings the change.
      const quiet = await stores.open(proxy.url, fleet, { replicaId: 'quiet', ...FAULTY, heartbeatMs: 500 });
      const [other] = await replicas(1, redis.url, fleet);
      const causes: string[] = [];
      quiet.store.on('state', (_state, _previous, cause) => causes.push(cause));
      const disconnected = nextEvent(quiet.store, 'disconnected');
      // Only the subscriber connection (client name provider-health:<fleet>:s) stops hearing.
      proxy.mute(`provider-health:${fleet}:s`);
      await other?.store.forceOpen('openai');
      // No message arrives, but the next heartbeat's snapshot brings the change.
      await waitForState(quiet.store, 'openai', (s) => s?.forced === true, 'forced open');
      expect(causes).toEqual(['snapshot']);
      await disconnected;
      expect(quiet.logs.some((l) => l.message.includes('no message on the fleet channel'))).toBe(true);
      const connected = nextEvent(quiet.store, 'connected');
      proxy.unmute();
      await connected;
      // A renewed subscription: messages (ticks, changes) arrive again.
      const heard = quiet.store.stats().messages;
      await other?.store.reset('openai');
      await waitForState(quiet.store, 'openai', (s) => s?.state === 'closed', 'closed');
      await eventually(() => (quiet.store.stats().messages > heard ? true : undefined), 'a message');
    } finally {
      await proxy.close();
    }
  });
});

describe('Redis slow', () => {
  it('replies slower than the command timeout count as unreachable; normal speed reconnects', async () => {
    const proxy = await TcpProxy.start(redis.port);
    try {
      const entries = await replicas(1, proxy.url);
      const store = entries[0]?.store as FleetStore;
      const disconnected = nextEvent(store, 'disconnected');
      proxy.delayMs = 1_500;
      traffic(store, 1_000);
      await disconnected;
      expect(store.stats().inFlight).toBeLessThanOrEqual(FAULTY.maxInFlight);
      const connected = nextEvent(store, 'connected');
      proxy.delayMs = 0;
      await connected;
      await openAll(entries, 'openai');
    } finally {
      await proxy.close();
    }
  });
});

describe('Redis restarted empty', () => {
  it('every replica notices the new generation, restores the openings it knew, and resyncs', async () => {
    const fleet = uniqueFleet();
    const entries = await replicas(3, redis.url, fleet);
    const [a, b, c] = entries.map((e) => e.store) as [FleetStore, FleetStore, FleetStore];
    await openAll(entries, 'openai');
    await a.forceOpen('anthropic', undefined, 'vendor incident');
    await waitForState(c, 'anthropic', (s) => s?.forced === true, 'forced');
    const before = a.generation;
    const retryAt = b.state('openai')?.retryAt ?? 0;
    await redis.restartEmpty();
    await Promise.all(
      [a, b, c].map((s) =>
        eventually(() => (s.connected && s.generation !== before ? true : undefined), 'the new generation'),
      ),
    );
    for (const store of [a, b, c]) {
      const openai = await waitForState(store, 'openai', isOpen, 'restored open');
      expect(openai).toMatchObject({ reason: 'restored', detail: 'HTTP 503' });
      // The remaining time carried over (a duration, so no clock is compared).
      expect(openai?.retryAt).toBeLessThanOrEqual(retryAt + 5_000);
      expect(openai?.retryAt).toBeGreaterThan(systemClock.now() + 20_000);
      const anthropic = await waitForState(store, 'anthropic', isOpen, 'restored forced open');
      expect(anthropic).toMatchObject({ forced: true, retryAt: undefined, detail: 'vendor incident' });
    }
    expect(new Set([a, b, c].map((s) => s.generation)).size).toBe(1);
    const admin = adminClient(redis.port);
    expect(JSON.parse((await admin.hget(fleetKeys(fleet).state, 'openai')) ?? '{}').s).toBe('open');
    admin.disconnect();
    // Epochs restarted with the store; the fleet works on in the new generation.
    expect(await b.reset('openai')).toBe(true);
    await Promise.all([a, c].map((s) => waitForState(s, 'openai', (st) => st?.state === 'closed', 'reset')));
  });
});

describe('one replica cut off', () => {
  it('only that replica reports disconnected; after the partition heals it learns what it missed', async () => {
    const fleet = uniqueFleet();
    const proxy = await TcpProxy.start(redis.port);
    try {
      const cut = await stores.open(proxy.url, fleet, { replicaId: 'cut', ...FAULTY });
      const others = await replicas(2, redis.url, fleet);
      const disconnected = nextEvent(cut.store, 'disconnected');
      proxy.partition();
      await disconnected;
      await openAll(others, 'openai');
      for (const other of others) expect(other.store.connected).toBe(true);
      expect(cut.store.state('openai')?.state).not.toBe('open');
      traffic(cut.store, 1_000);
      expect(cut.store.stats().inFlight).toBeLessThanOrEqual(FAULTY.maxInFlight);
      const connected = nextEvent(cut.store, 'connected');
      proxy.heal();
      await connected;
      const learned = await waitForState(cut.store, 'openai', isOpen, 'open after the partition');
      expect(learned?.epoch).toBe(others[0]?.store.state('openai')?.epoch);
      expect(outageWarnings(cut)).toBe(1);
      for (const other of others) expect(outageWarnings(other)).toBe(0);
    } finally {
      await proxy.close();
    }
  });
});

describe('Redis down at start-up', () => {
  it('the store starts at once, disconnected, sends nothing, and connects when Redis comes up', async () => {
    const late = await RedisServer.start();
    const port = late.port;
    await late.stop();
    const entry = await stores.start(`redis://127.0.0.1:${port}`, uniqueFleet(), {
      ...FAULTY,
      // No connection yet: the failure path must not wait for one.
    });
    expect(entry.store.connected).toBe(false);
    traffic(entry.store, 1_000);
    expect(entry.store.stats().commands).toBe(0);
    const revived = await RedisServer.start({ port });
    try {
      await nextEvent(entry.store, 'connected');
      await openAll([entry], 'openai');
    } finally {
      await entry.store.close();
      await revived.stop();
    }
  });
});
