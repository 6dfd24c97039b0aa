/**
 * FleetStores for tests: each with a captured log, a unique fleet per test, and waits that
 * resolve on the store's own events (never a sleep tied to a timeout).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { parseFleetRedis } from '../../../src/config/redis-url.js';
import type { FleetLog } from '../../../src/fleet/fleet-log.js';
import type { FleetProviderState } from '../../../src/fleet/fleet-mirror.js';
import { createFleetStore, type FleetStore } from '../../../src/fleet/fleet-store.js';
import type { FleetStoreOptions } from '../../../src/fleet/fleet-types.js';
import { loadRedisClient, type RedisClientModule } from '../../../src/fleet/redis-connection.js';

/** Generous: these bound a wait for an event on a busy 2-core machine, they time nothing. */
export const WAIT_MS = 20_000;

export interface LogLine {
  level: string;
  message: string;
}

export interface TestStore {
  store: FleetStore;
  logs: LogLine[];
  /** Every state the store reported, in order. */
  states: FleetProviderState[];
}

export function uniqueFleet(prefix = 't'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

type Overrides = Partial<Omit<FleetStoreOptions, 'redis' | 'fleet' | 'log'>>;

/**
 * FLEET_TEST_IOREDIS=/path/to/node_modules/ioredis runs the stores on another copy of the client
 * (the peer range covers ioredis 5 and 6); by default the project's own.
 */
let client: Promise<RedisClientModule> | undefined;
function redisClient(): Promise<RedisClientModule> {
  const path = process.env.FLEET_TEST_IOREDIS;
  client ??= path === undefined ? loadRedisClient() : loadRedisClient(() => import(path));
  return client;
}

export class Stores {
  private readonly all: TestStore[] = [];

  /** A store on `url`, connected. Semantics tests use a long command timeout so a busy machine is no outage. */
  async open(url: string, fleet: string, overrides: Overrides = {}): Promise<TestStore> {
    const entry = await this.start(url, fleet, overrides);
    if (!entry.store.connected) await nextEvent(entry.store, 'connected');
    return entry;
  }

  /** A store on `url`, not waited for. */
  async start(url: string, fleet: string, overrides: Overrides = {}): Promise<TestStore> {
    const logs: LogLine[] = [];
    const log: FleetLog = (level, message) => logs.push({ level, message });
    const store = await createFleetStore({
      redis: parseFleetRedis(url, 'test'),
      fleet,
      log,
      commandTimeoutMs: 2_000,
      heartbeatMs: 500,
      client: await redisClient(),
      ...overrides,
    });
    const states: FleetProviderState[] = [];
    store.on('state', (state) => states.push(state));
    const entry = { store, logs, states };
    this.all.push(entry);
    return entry;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.all.splice(0).map((entry) => entry.store.close()));
  }
}

export function nextEvent(store: FleetStore, event: 'connected' | 'disconnected'): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`store ${store.replicaId}: no ${event} event within ${WAIT_MS} ms`));
    }, WAIT_MS);
    const off = store.on(event, () => {
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** Resolves with the provider's state once `predicate` holds (now, or at a later 'state' event). */
export function waitForState(
  store: FleetStore,
  provider: string,
  predicate: (state: FleetProviderState | undefined) => boolean,
  what = 'the expected state',
): Promise<FleetProviderState | undefined> {
  const current = store.state(provider);
  if (predicate(current)) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(
          `store ${store.replicaId}: ${provider} never reached ${what}; last: ${JSON.stringify(store.state(provider))}`,
        ),
      );
    }, WAIT_MS);
    const off = store.on('state', (state) => {
      if (state.provider !== provider || !predicate(state)) return;
      clearTimeout(timer);
      off();
      resolve(state);
    });
  });
}

/** Polls `check` (for conditions no event announces, such as Redis-side counts) until it holds. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A plain client for looking at Redis from the outside and for publishing forged messages. */
export function adminClient(port: number): Redis {
  return new Redis({ port, host: '127.0.0.1', protocol: 2, lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** Calls of each script command so far, from INFO commandstats. */
export async function scriptCalls(admin: Redis): Promise<number> {
  const info = await admin.info('commandstats');
  let calls = 0;
  for (const match of info.matchAll(/cmdstat_(?:eval|evalsha):calls=(\d+)/g)) calls += Number(match[1]);
  return calls;
}

/** Collects the messages on a fleet's channel, parsed. */
export async function channelTap(
  port: number,
  channel: string,
): Promise<{ messages: unknown[]; close(): void }> {
  const client = adminClient(port);
  const messages: unknown[] = [];
  client.on('message', (_channel: string, text: string) => {
    try {
      messages.push(JSON.parse(text));
    } catch {
      messages.push(text);
    }
  });
  await client.subscribe(channel);
  return { messages, close: () => client.disconnect() };
}
