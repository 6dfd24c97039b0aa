import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fleetKeys } from '../../src/fleet/fleet-keys.js';
import type { FleetStore } from '../../src/fleet/fleet-store.js';
import type { FleetLease } from '../../src/fleet/fleet-types.js';
import { command, RedisCluster, type RedisServer } from './support/redis-server.js';
import { eventually, nextEvent, Stores, uniqueFleet, waitForState } from './support/stores.js';

let cluster: RedisCluster;
const stores = new Stores();

beforeAll(async () => {
  cluster = await RedisCluster.start(3);
}, 120_000);
afterEach(() => stores.closeAll());
afterAll(() => cluster.stop());

const FAIL = { failureThreshold: 5, recoveryTimeoutMs: 0, detail: 'HTTP 503' };

/** One seed each, so the replicas start from different nodes of the cluster. */
async function fleetOf(count: number, fleet = uniqueFleet()): Promise<FleetStore[]> {
  const opened = await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const node = cluster.nodes[i % cluster.nodes.length];
      return stores.open(`${node?.url}?cluster=true`, fleet, { replicaId: `c${i}` });
    }),
  );
  return opened.map((entry) => entry.store);
}

describe('on a 3-node Redis Cluster', () => {
  it("keeps one fleet's keys in one slot", async () => {
    const keys = fleetKeys('checkout');
    const port = cluster.nodes[0]?.port ?? 0;
    const slots = await Promise.all([...keys.all].map((key) => command(port, 'CLUSTER', 'KEYSLOT', key)));
    expect(new Set(slots).size).toBe(1);
  });

  it('opens once across replicas, leases at most successThreshold trials, and closes everywhere', async () => {
    const replicas = await fleetOf(4);
    for (let i = 0; i < 5; i++) replicas[i % 4]?.failure('openai', FAIL);
    const opened = await Promise.all(
      replicas.map((s) => waitForState(s, 'openai', (st) => st?.state === 'open')),
    );
    expect(new Set(opened.map((s) => s?.epoch)).size).toBe(1);
    const granted: FleetLease[] = [];
    for (let round = 0; round < 4; round++) {
      for (const lease of await Promise.all(
        replicas.map((s) => s.acquireTrialLease('openai', { maxTrials: 3, leaseMs: 30_000 })),
      )) {
        if (lease !== undefined) granted.push(lease);
      }
    }
    expect(granted).toHaveLength(3);
    // Any replica may settle a lease: it carries all it needs.
    for (const lease of granted) replicas[0]?.trialResult(lease, { outcome: 'success', successThreshold: 3 });
    await Promise.all(replicas.map((s) => waitForState(s, 'openai', (st) => st?.state === 'closed')));
  });

  it('applies an operator force-open and reset from any replica fleet-wide', async () => {
    const replicas = await fleetOf(3);
    await replicas[1]?.forceOpen('anthropic');
    await Promise.all(replicas.map((s) => waitForState(s, 'anthropic', (st) => st?.forced === true)));
    await replicas[2]?.reset('anthropic');
    await Promise.all(replicas.map((s) => waitForState(s, 'anthropic', (st) => st?.state === 'closed')));
  });

  it('lists the replicas seen through the heartbeat, and several seeds work as one URL', async () => {
    const fleet = uniqueFleet();
    const seeded = await stores.open(cluster.url, fleet, { replicaId: 'seeds', heartbeatMs: 200 });
    await fleetOf(2, fleet);
    const view = await eventually(() => {
      const current = seeded.store.view();
      return current.replicaCount === 3 ? current : undefined;
    }, 'three replicas seen');
    expect(view.replicas.map((r) => r.id).sort()).toEqual(['c0', 'c1', 'seeds']);
    // The records live on the node that owns the slot, found by a cluster-aware client.
    const client = new Cluster(cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })));
    expect(await client.zcard(fleetKeys(fleet).replicas)).toBe(3);
    client.disconnect();
  });
});

/** The node that owns the fleet's slot (its keys, its scripts, its clock). */
async function slotOwner(fleet: string): Promise<RedisServer> {
  const client = new Cluster(cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })));
  try {
    const slot = Number((await client.cluster('KEYSLOT', fleetKeys(fleet).state)) as unknown);
    const ranges = await client.cluster('SLOTS');
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    const owner = cluster.nodes.find((node) => node.port === range?.[2]?.[1]);
    if (owner === undefined) throw new Error(`no owner for slot ${slot}`);
    return owner;
  } finally {
    client.disconnect();
  }
}

describe('on a 3-node Redis Cluster, faults of the node that owns the fleet', () => {
  const FAULTY = { commandTimeoutMs: 250, heartbeatMs: 300 };

  it('frozen (SIGSTOP): every replica reports disconnected; SIGCONT brings the fleet back', async () => {
    const fleet = uniqueFleet();
    const replicas = await Promise.all(
      [0, 1].map((i) =>
        stores.open(`${cluster.nodes[i]?.url}?cluster=true`, fleet, { replicaId: `f${i}`, ...FAULTY }),
      ),
    );
    const owner = await slotOwner(fleet);
    const disconnected = replicas.map((e) => nextEvent(e.store, 'disconnected'));
    owner.stopProcess();
    try {
      await Promise.all(disconnected);
    } finally {
      owner.continueProcess();
    }
    await Promise.all(replicas.map((e) => (e.store.connected ? undefined : nextEvent(e.store, 'connected'))));
    await replicas[0]?.store.forceOpen('openai');
    await waitForState(replicas[1]?.store as FleetStore, 'openai', (s) => s?.forced === true);
  });

  it('restarted empty (cluster config kept): a new generation, with the openings restored', async () => {
    const fleet = uniqueFleet();
    const replicas = await Promise.all(
      [0, 1].map((i) =>
        stores.open(`${cluster.nodes[i]?.url}?cluster=true`, fleet, { replicaId: `e${i}`, ...FAULTY }),
      ),
    );
    const [a, b] = replicas.map((e) => e.store) as [FleetStore, FleetStore];
    await a.forceOpen('openai', undefined, 'vendor incident');
    await waitForState(b, 'openai', (s) => s?.forced === true);
    const before = a.generation;
    await (await slotOwner(fleet)).restartEmpty();
    await Promise.all(
      [a, b].map((s) =>
        eventually(() => (s.connected && s.generation !== before ? true : undefined), 'the new generation'),
      ),
    );
    for (const store of [a, b]) {
      const state = await waitForState(store, 'openai', (s) => s?.state === 'open', 'restored');
      expect(state).toMatchObject({ forced: true, reason: 'restored', detail: 'vendor incident' });
    }
  });
});
