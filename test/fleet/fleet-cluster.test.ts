import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fleetKeys } from '../../src/fleet/fleet-keys.js';
import type { FleetLease, FleetStore } from '../../src/fleet/fleet-store.js';
import { command, RedisCluster } from './support/redis-server.js';
import { eventually, Stores, uniqueFleet, waitForState } from './support/stores.js';

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
    for (const lease of granted) {
      const holder = replicas.find((s) => s.state('openai') !== undefined) as FleetStore;
      holder.trialResult(lease, { outcome: 'success', successThreshold: 3 });
    }
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
