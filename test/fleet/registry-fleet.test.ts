import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REJECTED } from '../../src/breaker/circuit-state.js';
import { providersView } from '../../src/server/health-json.js';
import { RedisServer } from './support/redis-server.js';
import { circuit, type Replica, Replicas, request, tick } from './support/registries.js';
import { eventually, nextEvent, waitForState } from './support/stores.js';
import { TcpProxy } from './support/tcp-proxy.js';

let redis: RedisServer;
const replicas = new Replicas();

beforeAll(async () => {
  redis = await RedisServer.start();
});
afterEach(() => replicas.closeAll());
afterAll(() => redis.stop());

/** Failures spread over the replicas, one at a time, each counted before the next is made. */
async function failuresAcross(group: readonly Replica[], count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const replica = group[i % group.length] as Replica;
    request(replica.provider(), 'provider_error');
    // The next failure comes after this one reached the fleet: the order is the test's, not the network's.
    if (i < count - 1)
      await eventually(
        () => (replica.fleet.state('openai')?.failures ?? 0) > i || undefined,
        `failure ${i + 1} counted`,
      );
  }
}

/** Rounds of one request per replica until every replica's circuit is closed; returns the trials run. */
async function recover(group: readonly Replica[]): Promise<number> {
  let trials = 0;
  const deadline = Date.now() + 20_000;
  while (group.some((r) => r.provider().breaker.state !== 'closed')) {
    if (Date.now() > deadline) throw new Error('the fleet did not close');
    for (const replica of group) if (request(replica.provider(), 'success') > 0) trials++;
    await tick();
  }
  return trials;
}

describe('breakers sharing a fleet', () => {
  it('5 consecutive failures across the fleet open it everywhere, with one retryAt; 4 do not', async () => {
    const group = await replicas.start(redis.url, 3);
    await failuresAcross(group, 4);
    expect(group.map((r) => r.provider().breaker.state)).toEqual(['closed', 'closed', 'closed']);
    request(group[1]?.provider() as never, 'provider_error');
    const opened = await Promise.all(group.map((r) => circuit(r, 'open')));
    // The replica whose failure tripped it says so; the others say the fleet did, and who.
    expect(opened[1]).toMatchObject({ reason: 'failure_threshold', detail: 'HTTP 503' });
    for (const event of [opened[0], opened[2]])
      expect(event).toMatchObject({ reason: 'fleet', detail: 'failure_threshold by replica-1: HTTP 503' });
    const retry = group.map((r) => r.provider().breaker.retryAfterMs());
    expect(Math.max(...retry) - Math.min(...retry)).toBeLessThan(5_000);
    for (const replica of group) expect(replica.provider().admit()).toBe(REJECTED);
  });

  it("a replica's own run of 5 failures opens it there at once, before Redis answers, and the fleet everywhere", async () => {
    const group = await replicas.start(redis.url, 2);
    const [a, b] = group as [Replica, Replica];
    // Back to back, in one turn of the event loop: no reply can have arrived in between.
    for (let i = 0; i < 5; i++) request(a.provider(), 'provider_error');
    expect(a.provider().breaker.state).toBe('open');
    expect(a.provider().admit()).toBe(REJECTED);
    await circuit(b, 'open');
    await waitForState(a.fleet.store, 'openai', (s) => s?.state === 'open', 'the fleet open');
    await eventually(() => !a.fleet.store.countsPending('openai') || undefined, 'all counted');
    // The replies and messages that came after (the count leaving 0, then the opening) did not
    // close it again in between.
    expect(a.transitions.map((t) => `${t.to} ${t.reason}`)).toEqual(['open failure_threshold']);
    expect(b.transitions.at(-1)).toMatchObject({
      reason: 'fleet',
      detail: 'failure_threshold by replica-0: HTTP 503',
    });
  });

  it('a success anywhere resets the fleet count: failures must be consecutive across the fleet', async () => {
    const group = await replicas.start(redis.url, 2);
    const [a, b] = group as [Replica, Replica];
    await failuresAcross([a], 4);
    await waitForState(b.fleet.store, 'openai', (s) => (s?.failures ?? 0) > 0, 'counting');
    request(b.provider(), 'success');
    await waitForState(a.fleet.store, 'openai', (s) => (s?.failures ?? 0) === 0, 'reset');
    await failuresAcross([a], 4);
    expect(a.provider().breaker.state).toBe('closed');
  });

  it('steady successes send nothing to Redis', async () => {
    const group = await replicas.start(redis.url, 2);
    const before = group.map((r) => r.fleet.store.stats().commands);
    for (let i = 0; i < 10_000; i++) for (const replica of group) request(replica.provider(), 'success');
    // Heartbeats are per interval, not per request: at most a few went out meanwhile.
    const sent = group.map((r, i) => r.fleet.store.stats().commands - (before[i] ?? 0));
    expect(Math.max(...sent)).toBeLessThan(5);
  });

  it('recovery: at most successThreshold trials across the fleet, then closed everywhere', async () => {
    const group = await replicas.start(redis.url, 4, {
      options: { recoveryTimeout: 200, trialTimeout: 10_000 },
    });
    await failuresAcross(group, 5);
    await Promise.all(group.map((r) => circuit(r, 'open')));
    const trials = await recover(group);
    expect(trials).toBe(3);
    const closed = group.map((r) => r.transitions.findLast((t) => t.to === 'closed'));
    expect(closed.filter((t) => t?.reason === 'success_threshold')).toHaveLength(1);
    expect(closed.filter((t) => t?.reason === 'fleet')).toHaveLength(3);
  });

  it('any trial failure reopens it everywhere', async () => {
    const group = await replicas.start(redis.url, 3, {
      options: { recoveryTimeout: 200, trialTimeout: 10_000 },
    });
    await failuresAcross(group, 5);
    await Promise.all(group.map((r) => circuit(r, 'open')));
    const epoch = group[0]?.fleet.state('openai')?.epoch ?? 0;
    // Until one replica holds a trial slot and runs its trial: it fails.
    let failed: Replica | undefined;
    const deadline = Date.now() + 20_000;
    while (failed === undefined && Date.now() < deadline) {
      for (const replica of group) {
        if (failed === undefined && request(replica.provider(), 'provider_error') > 0) failed = replica;
      }
      await tick();
    }
    expect(failed).toBeDefined();
    await Promise.all(
      group.map((r) =>
        waitForState(r.fleet.store, 'openai', (s) => s?.state === 'open' && s.epoch > epoch, 'reopened'),
      ),
    );
    for (const replica of group) {
      expect(replica.provider().breaker.state).toBe('open');
      expect(replica.fleet.state('openai')?.reason).toBe('half_open_failure');
    }
  });

  it('an operator reset or force-open on one replica applies to all', async () => {
    const group = await replicas.start(redis.url, 3);
    const [a, b, c] = group as [Replica, Replica, Replica];
    c.provider().breaker.forceOpen(120_000);
    await Promise.all(group.map((r) => circuit(r, 'open')));
    expect(a.provider().breaker.isForcedOpen).toBe(true);
    expect(a.transitions.at(-1)).toMatchObject({ reason: 'fleet', detail: 'manual_open by replica-2' });
    b.provider().reset();
    await Promise.all(group.map((r) => circuit(r, 'closed')));
    expect(a.transitions.at(-1)).toMatchObject({ reason: 'fleet', detail: 'manual_reset by replica-1' });
    expect(b.transitions.at(-1)).toMatchObject({ reason: 'manual_reset' });
  });

  it('slow calls on one replica open it everywhere (the slow-call rule), and a slow trial reopens it everywhere', async () => {
    const slowRule = { slowCallDuration: 1_000, slowCallRate: 0.5, slowCallMinCalls: 4 };
    const group = await replicas.start(redis.url, 3, {
      options: { recoveryTimeout: 200, trialTimeout: 10_000, providers: { openai: slowRule } },
    });
    const [a, b, c] = group as [Replica, Replica, Replica];
    // Each replica judges its own last calls: four on a, two of them slow.
    for (const ttfb of [100, 2_000, 100, 2_000]) {
      const provider = a.provider();
      provider.record(provider.admit(), 'success', 200, ttfb + 10, ttfb);
    }
    const opened = await Promise.all(group.map((r) => circuit(r, 'open')));
    expect(opened[0]).toMatchObject({
      reason: 'slow_call_rate',
      detail: '2 of the last 4 calls slower than 1000 ms',
    });
    for (const event of [opened[1], opened[2]])
      expect(event).toMatchObject({
        reason: 'fleet',
        detail: 'slow_call_rate by replica-0: 2 of the last 4 calls slower than 1000 ms',
      });
    expect(b.fleet.state('openai')).toMatchObject({ state: 'open', openedBy: 'replica-0' });
    const epoch = c.fleet.state('openai')?.epoch ?? 0;
    // The first trial that runs anywhere is slow: the fleet reopens everywhere.
    let trial = 0;
    const deadline = Date.now() + 20_000;
    while (trial <= 0 && Date.now() < deadline) {
      const provider = c.provider();
      trial = provider.admit();
      if (trial > 0) provider.record(trial, 'success', 200, 1_600, 1_500);
      else if (trial === 0) provider.record(trial, 'success', 200, 20, 10);
      await tick();
    }
    expect(trial).toBeGreaterThan(0);
    await Promise.all(
      group.map((r) =>
        waitForState(r.fleet.store, 'openai', (s) => s?.state === 'open' && s.epoch > epoch, 'reopened'),
      ),
    );
    for (const replica of group) {
      expect(replica.provider().breaker.state).toBe('open');
      expect(replica.fleet.state('openai')).toMatchObject({
        reason: 'half_open_slow_call',
        openedBy: 'replica-2',
      });
    }
  });

  it("an endpoint's circuit is shared like a provider's: one region's outage opens it everywhere, and nothing else", async () => {
    const group = await replicas.start(redis.url, 3);
    const east = 'aws.bedrock@us-east-1';
    // Two replicas first see the region in a request's host, after the fleet connected.
    for (const replica of group.slice(1)) {
      const found = replica.registry.providerForOrigin('https://bedrock-runtime.us-east-1.amazonaws.com');
      expect(found?.name).toBe(east);
    }
    for (let i = 0; i < 5; i++) {
      const replica = group[i % group.length] as Replica;
      request(replica.provider(east), 'provider_error');
      if (i < 4)
        await eventually(
          () => (replica.fleet.state(east)?.failures ?? 0) > i || undefined,
          `failure ${i + 1} counted`,
        );
    }
    const opened = await Promise.all(group.map((r) => circuit(r, 'open', east)));
    expect(opened[1]).toMatchObject({ reason: 'failure_threshold' });
    expect(opened[0]).toMatchObject({ reason: 'fleet', detail: 'failure_threshold by replica-1: HTTP 503' });
    for (const replica of group) {
      expect(replica.provider('aws.bedrock').breaker.state).toBe('closed');
      expect(replica.provider('aws.bedrock@us-west-2').breaker.state).toBe('closed');
    }
    const bedrock = providersView((group[0] as Replica).registry).providers['aws.bedrock'];
    expect(bedrock?.fleet).toMatchObject({ state: 'closed' });
    expect(bedrock?.endpoints['us-east-1']?.fleet).toMatchObject({
      state: 'open',
      opened_by: 'replica-1',
      reason: 'failure_threshold',
    });
    // An operator's reset of the endpoint on one replica closes it on all.
    (group[2] as Replica).provider(east).reset();
    await Promise.all(group.map((r) => circuit(r, 'closed', east)));
  });

  it('a provider first named after the fleet connected is shared too', async () => {
    const group = await replicas.start(redis.url, 2);
    const [a, b] = group as [Replica, Replica];
    a.provider('my-llm').breaker.forceOpen(60_000);
    await waitForState(b.fleet.store, 'my-llm', (s) => s?.state === 'open', 'open');
    // b had never heard of my-llm: creating it now takes the fleet's state.
    expect(b.provider('my-llm').breaker.state).toBe('open');
  });

  it('shows the fleet in /health/providers: replicas seen, who tripped it and why, trials in flight', async () => {
    const group = await replicas.start(redis.url, 2, {
      options: { recoveryTimeout: 200, trialTimeout: 10_000 },
    });
    const [a, b] = group as [Replica, Replica];
    await failuresAcross(group, 5);
    await circuit(b, 'open');
    await eventually(() => (b.fleet.view().replicaCount === 2 ? true : undefined), 'both replicas seen');
    const view = providersView(b.registry);
    expect(view.fleet).toMatchObject({
      name: b.fleet.store.fleet,
      replica: 'replica-1',
      connected: true,
      replicas_seen: 2,
    });
    expect(view.fleet?.replicas.map((r) => r.id).sort()).toEqual(['replica-0', 'replica-1']);
    expect(view.providers.openai?.fleet).toMatchObject({
      state: 'open',
      opened_by: 'replica-0',
      reason: 'failure_threshold',
      detail: 'HTTP 503',
      trials_in_flight: 0,
    });
    // A trial running under a slot on a: b sees it in flight.
    let trial = -1;
    while (trial <= 0) {
      trial = a.provider().admit();
      if (trial < 0) await tick();
    }
    await eventually(
      () => (providersView(b.registry).providers.openai?.fleet?.trials_in_flight === 1 ? true : undefined),
      'the trial seen in flight',
    );
    a.provider().record(trial, 'success', 200, 5, 2);
  });

  it('with Redis unreachable every breaker decides alone at once; an opening made alone reaches the fleet after', async () => {
    const group = await replicas.start(redis.url, 2, { heartbeatMs: 200, commandTimeoutMs: 250 });
    const [a, b] = group as [Replica, Replica];
    const gone = Promise.all(group.map((r) => nextEvent(r.fleet.store, 'disconnected')));
    redis.stopProcess();
    try {
      await gone;
      for (let i = 0; i < 5; i++) request(a.provider(), 'provider_error');
      expect(a.provider().breaker.state).toBe('open');
      expect(a.transitions.at(-1)).toMatchObject({ reason: 'failure_threshold' });
      expect(b.provider().breaker.state).toBe('closed');
    } finally {
      redis.continueProcess();
    }
    await circuit(b, 'open');
    expect(b.fleet.state('openai')).toMatchObject({ reason: 'restored', openedBy: 'replica-0' });
  });

  it('an opening made alone is kept until the fleet has it, though Redis answers only for a moment', async () => {
    const proxy = await TcpProxy.start(redis.port);
    try {
      const group = await replicas.start([proxy.url, redis.url], 2, {
        heartbeatMs: 200,
        commandTimeoutMs: 250,
      });
      const [a, b] = group as [Replica, Replica];
      const gone = Promise.all(group.map((r) => nextEvent(r.fleet.store, 'disconnected')));
      redis.stopProcess();
      await gone;
      for (let i = 0; i < 5; i++) request(a.provider('anthropic'), 'provider_error');
      expect(a.provider('anthropic').breaker.state).toBe('open');
      // Redis answers just long enough for a to resync; a's offer of its opening is cut off on the way.
      const back = new Promise<void>((resolve) => {
        const off = a.fleet.store.on('connected', () => {
          proxy.partition();
          off();
          resolve();
        });
      });
      const goneAgain = back.then(() => nextEvent(a.fleet.store, 'disconnected'));
      redis.continueProcess();
      await goneAgain;
      // Then Redis loses its data; a is back after.
      await redis.restartEmpty({ thaw: false });
      proxy.heal();
      await circuit(b, 'open', 'anthropic');
      expect(b.fleet.state('anthropic')).toMatchObject({ reason: 'restored', openedBy: 'replica-0' });
    } finally {
      redis.continueProcess();
      await proxy.close();
    }
  });
});
