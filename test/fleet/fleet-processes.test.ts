import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FleetLease } from '../../src/fleet/fleet-types.js';
import { RedisServer } from './support/redis-server.js';
import { ReplicaProcess } from './support/replica-process.js';
import { eventually, uniqueFleet } from './support/stores.js';

let redis: RedisServer;
const running: ReplicaProcess[] = [];

beforeAll(async () => {
  redis = await RedisServer.start();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((replica) => replica.close()));
});
afterAll(() => redis.stop());

async function fleetOf(count: number): Promise<ReplicaProcess[]> {
  const fleet = uniqueFleet();
  const started = await Promise.all(
    Array.from({ length: count }, (_, i) => ReplicaProcess.start(redis.url, fleet, `p${i}`)),
  );
  running.push(...started);
  return started;
}

const failure = { provider: 'openai', failureThreshold: 5, recoveryTimeoutMs: 0 };

describe('replicas in separate processes', () => {
  it('open the fleet once from failures spread over them; an operator reset from one reaches all', async () => {
    const replicas = await fleetOf(3);
    for (let i = 0; i < 5; i++)
      await replicas[i % 3]?.call('failure', { ...failure, recoveryTimeoutMs: 60_000 });
    const opened = await Promise.all(
      replicas.map((r) => r.waitForState('openai', (s) => s.state === 'open')),
    );
    expect(new Set(opened.map((s) => s.epoch)).size).toBe(1);
    expect(await replicas[2]?.call('reset', { provider: 'openai' })).toBe(true);
    const reset = await Promise.all(
      replicas.map((r) => r.waitForState('openai', (s) => s.state === 'closed')),
    );
    expect(reset.every((s) => s.reason === 'manual_reset')).toBe(true);
  });

  it('a replica killed while holding a trial lease blocks its slot only until the lease expires, and is no failure', async () => {
    const replicas = await fleetOf(2);
    const [holder, other] = replicas as [ReplicaProcess, ReplicaProcess];
    for (let i = 0; i < 5; i++) await holder.call('failure', failure);
    await other.waitForState('openai', (s) => s.state === 'open');
    const lease = await eventually(
      () =>
        holder
          .call<FleetLease | null>('acquire', { provider: 'openai', maxTrials: 1, leaseMs: 4_000 })
          .then((l) => l ?? undefined),
      'a lease for the holder',
    );
    const halfOpen = await other.waitForState('openai', (s) => s.state === 'half_open');
    await holder.kill();
    // The slot is taken: the other replica is refused while the dead holder's lease lives...
    expect(await other.call('acquire', { provider: 'openai', maxTrials: 1, leaseMs: 30_000 })).toBeNull();
    // ...and granted once it expired.
    const next = await eventually(
      () =>
        other
          .call<FleetLease | null>('acquire', { provider: 'openai', maxTrials: 1, leaseMs: 30_000 })
          .then((l) => l ?? undefined),
      'a lease after the dead holder’s expired',
    );
    expect(next.id).not.toBe(lease.id);
    // Same half-open period: the expiry neither reopened the circuit nor counted.
    const state = await other.call<{ state: string; epoch: number } | null>('state', { provider: 'openai' });
    expect(state).toMatchObject({ state: 'half_open', epoch: halfOpen.epoch });
    await other.call('result', { lease: next.id, outcome: { outcome: 'success', successThreshold: 1 } });
    await other.waitForState('openai', (s) => s.state === 'closed');
  });
});
