import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FleetMirror, type MirrorChange } from '../../src/fleet/fleet-mirror.js';
import type { WireReply, WireView } from '../../src/fleet/fleet-wire.js';

const GEN = '0123456789abcdef';

function view(epoch: number, state: WireView['state'], extra: Partial<WireView> = {}): WireView {
  return {
    provider: 'openai',
    state,
    epoch,
    failures: 0,
    successes: 0,
    trials: 0,
    retryInMs: state === 'open' ? 1_000 : 0,
    forced: false,
    openedBy: undefined,
    reason: undefined,
    detail: undefined,
    by: undefined,
    ...extra,
  };
}

function snapshot(seq: number, views: WireView[], generation = GEN): WireReply {
  return {
    generation,
    seq,
    result: 'snapshot',
    view: undefined,
    retryInMs: undefined,
    lease: undefined,
    views: new Map(views.map((v) => [v.provider, v])),
    replicas: new Map([['r1', 5]]),
    replicaCount: 1,
  };
}

function reply(v: WireView, generation = GEN): WireReply {
  return {
    ...snapshot(v.epoch, []),
    generation,
    views: undefined,
    replicas: undefined,
    view: v,
    result: 'counted',
  };
}

function synced(seq = 0): FleetMirror {
  const mirror = new FleetMirror();
  mirror.replace(snapshot(seq, []), 0);
  return mirror;
}

describe('FleetMirror: epoch rules', () => {
  it('applies newer epochs and refuses older or equal ones from messages', () => {
    const mirror = synced();
    expect(mirror.applyMessage({ generation: GEN, seq: 1, view: view(1, 'open') }, 10).changes).toHaveLength(
      1,
    );
    expect(mirror.get('openai')?.state).toBe('open');
    // Duplicate, then a late one from before: nothing moves.
    expect(mirror.applyMessage({ generation: GEN, seq: 1, view: view(1, 'closed') }, 11).changes).toEqual([]);
    expect(mirror.applyMessage({ generation: GEN, seq: 0, view: view(0, 'closed') }, 12).changes).toEqual([]);
    expect(mirror.get('openai')?.state).toBe('open');
    expect(mirror.get('openai')?.epoch).toBe(1);
  });

  it('reads retryAt as arrival time plus the duration Redis gave, never an absolute time', () => {
    const mirror = synced();
    mirror.applyMessage({ generation: GEN, seq: 1, view: view(1, 'open', { retryInMs: 250 }) }, 5_000);
    expect(mirror.get('openai')?.retryAt).toBe(5_250);
    mirror.applyMessage(
      { generation: GEN, seq: 2, view: view(2, 'open', { retryInMs: -1, forced: true }) },
      6_000,
    );
    expect(mirror.get('openai')?.retryAt).toBeUndefined();
    expect(mirror.get('openai')?.forced).toBe(true);
  });

  it('takes counts from a reply with the same epoch, without reporting a change', () => {
    const mirror = synced();
    mirror.applyMessage({ generation: GEN, seq: 1, view: view(1, 'closed', { failures: 1 }) }, 0);
    const changes: MirrorChange[] = [];
    mirror.applyReply(reply(view(1, 'closed', { failures: 3 })), 1, changes);
    expect(changes).toEqual([]);
    expect(mirror.get('openai')?.failures).toBe(3);
  });

  it('asks for a resync on a gap in seq, on a tick ahead of it, and on another generation', () => {
    const mirror = synced(4);
    expect(mirror.applyMessage({ generation: GEN, seq: 5, view: view(5, 'open') }, 0).resync).toBe(false);
    expect(mirror.applyMessage({ generation: GEN, seq: 7, view: view(7, 'closed') }, 0).resync).toBe(true);
    expect(mirror.applyMessage({ generation: GEN, seq: 7, view: undefined }, 0).resync).toBe(false);
    expect(mirror.applyMessage({ generation: GEN, seq: 9, view: undefined }, 0).resync).toBe(true);
    const other = mirror.applyMessage({ generation: 'fedcba9876543210', seq: 1, view: view(1, 'open') }, 0);
    expect(other).toEqual({ changes: [], resync: true });
    expect(mirror.get('openai')?.epoch).toBe(7);
  });

  it('closes a provider a snapshot no longer holds, as of the snapshot, and then refuses older messages', () => {
    const mirror = synced();
    mirror.applyMessage({ generation: GEN, seq: 3, view: view(3, 'open') }, 0);
    const changes: MirrorChange[] = [];
    expect(mirror.applySnapshot(snapshot(9, []), 1, changes)).toBe(true);
    expect(changes.map((c) => [c.state.state, c.previous?.state])).toEqual([['closed', 'open']]);
    expect(mirror.get('openai')?.epoch).toBe(9);
    // A message from between 3 and 9 arrives after the snapshot (another connection): refused.
    mirror.applyMessage({ generation: GEN, seq: 8, view: view(8, 'open') }, 2);
    expect(mirror.get('openai')?.state).toBe('closed');
    expect(mirror.replicas).toEqual([{ id: 'r1', lastSeenMsAgo: 5 }]);
  });

  it('replaces everything in a new generation, whatever the epochs', () => {
    const mirror = synced();
    mirror.applyMessage({ generation: GEN, seq: 40, view: view(40, 'open') }, 0);
    const changes = mirror.replace(
      snapshot(2, [view(2, 'half_open', { provider: 'anthropic' })], 'aaaaaaaaaaaaaaaa'),
      1,
    );
    expect(mirror.generation).toBe('aaaaaaaaaaaaaaaa');
    expect(mirror.get('openai')).toMatchObject({ state: 'closed', epoch: 2 });
    expect(mirror.get('anthropic')).toMatchObject({ state: 'half_open', epoch: 2 });
    expect(changes).toHaveLength(2);
  });
});

describe('FleetMirror: any delivery order ends at the newest state, never going back', () => {
  const states = fc.constantFrom<WireView['state']>('closed', 'open', 'half_open');

  it('duplicated, dropped and reordered messages, replies and snapshots', () => {
    fc.assert(
      fc.property(
        fc.array(states, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('message', 'reply', 'snapshot')), { maxLength: 40 }),
        (history, deliveries) => {
          // The store's history: one change per epoch 1..n.
          const views = history.map((state, i) => view(i + 1, state));
          const mirror = synced();
          let last = 0;
          const check = (changes: MirrorChange[]): void => {
            for (const change of changes) {
              expect(change.state.epoch).toBeGreaterThan(last);
              last = change.state.epoch;
            }
          };
          for (const [pick, how] of deliveries) {
            const v = views[pick % views.length] as WireView;
            const changes: MirrorChange[] = [];
            if (how === 'message')
              check(mirror.applyMessage({ generation: GEN, seq: v.epoch, view: v }, 0).changes);
            else if (how === 'reply') mirror.applyReply(reply(v), 0, changes);
            // A snapshot taken at epoch e shows the record as of e.
            else mirror.applySnapshot(snapshot(v.epoch, v.state === 'closed' ? [] : [v]), 0, changes);
            check(changes);
          }
          // Finally the newest arrives (late, once): the mirror ends there.
          const newest = views[views.length - 1] as WireView;
          check(mirror.applyMessage({ generation: GEN, seq: newest.epoch, view: newest }, 0).changes);
          expect(mirror.get('openai')?.epoch).toBe(newest.epoch);
          expect(mirror.get('openai')?.state).toBe(newest.state);
        },
      ),
      { numRuns: 500 },
    );
  });
});
