import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertBuilt, ChildSession } from '../intercept/support/child-session.js';
import { closeFakes, type Fakes, fakeEnv, startFakes } from '../intercept/support/fakes.js';
import { EVENTUALLY } from '../support/waits.js';
import { HOSTILE_APP } from './support/hostile-app.js';
import { kernelQueuedBytes } from './support/kernel-queues.js';
import { openSilentClients } from './support/silent-clients.js';

const SUBSCRIBERS = 1_000;
const MAX_LIVE_CLIENTS = 64;
const IN_FLIGHT = 64 * 1024;

describe(`${SUBSCRIBERS} live-event subscribers that never read`, () => {
  let fakes: Fakes;
  let child: ChildSession;
  let clients: Socket[] = [];

  beforeAll(async () => {
    assertBuilt();
    fakes = await startFakes();
    child = await ChildSession.start({ preload: 'require', script: HOSTILE_APP, env: fakeEnv(fakes) });
  });
  afterAll(async () => {
    for (const socket of clients) socket.destroy();
    await child?.close();
    await closeFakes(fakes);
  });

  it('are capped in number, never written to on the request path, and hold bounded kernel queues', async () => {
    const url = await child.call<string>('startLiveServer', { maxInFlightBytes: IN_FLIGHT });
    const port = Number(new URL(url).port);
    clients = await openSilentClients(url, SUBSCRIBERS, '/health/events');
    await vi.waitFor(
      async () => expect(await child.call<number>('liveClients')).toBeGreaterThanOrEqual(MAX_LIVE_CLIENTS),
      EVENTUALLY,
    );
    expect.soft(await child.call<number>('liveClients')).toBe(MAX_LIVE_CLIENTS);
    // One more gets a clear answer.
    const refused = await fetch(`${url}/health/events`);
    expect.soft(refused.status).toBe(503);
    if (refused.status === 503)
      expect(await refused.json()).toMatchObject({ error: { code: 'too_many_clients' } });
    else await refused.body?.cancel();

    // Provider requests that open a circuit announce a transition: nothing is written to the
    // subscribers' sockets while the request is being recorded.
    fakes.openai.setDefault({ status: 500 });
    await child.call('call', { client: 'fetch', target: 'openai', n: 5 });
    const during = await child.call<number[]>('writtenDuringTransition');
    expect(during.length).toBeGreaterThan(0);
    expect(
      during.every((bytes) => bytes === 0),
      JSON.stringify(during),
    ).toBe(true);

    // 600 open/reset pairs: about 600 KB of events and snapshots for each subscriber.
    let most = 0;
    const sampler = setInterval(() => {
      most = Math.max(most, kernelQueuedBytes(port));
    }, 100);
    try {
      await child.call('storm', { name: 'anthropic', pairs: 600 });
      // The last events and the coalesced snapshot go out on later turns of the child's loop.
      await child.call('liveClients');
      await child.call('liveClients');
      most = Math.max(most, kernelQueuedBytes(port));
    } finally {
      clearInterval(sampler);
    }
    // At most 64 clients, each sent at most its in-flight window (plus one frame) before its
    // stream ended: about 4 MB. Before: every subscriber, each with all of it.
    expect(most).toBeLessThan(32 * 1024 * 1024);
  }, 120_000);
});
