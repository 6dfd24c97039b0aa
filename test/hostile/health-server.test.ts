import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertBuilt, ChildSession } from '../intercept/support/child-session.js';
import { closeFakes, type Fakes, fakeEnv, startFakes } from '../intercept/support/fakes.js';
import type { CallResult } from '../intercept/support/types.js';
import { EVENTUALLY } from '../support/waits.js';
import { healthServerUrl } from './support/health-server.js';
import { HOSTILE_APP } from './support/hostile-app.js';
import { openSilentClients } from './support/silent-clients.js';

const FILE_LIMIT = 1024;
const CLIENTS = 1_100;

describe(`the health server under ${CLIENTS} clients that never finish a request nor read (ulimit -n ${FILE_LIMIT})`, () => {
  let fakes: Fakes;
  let child: ChildSession;
  let clients: Socket[] = [];

  beforeAll(async () => {
    assertBuilt();
    fakes = await startFakes();
    child = await ChildSession.start({
      preload: 'require',
      script: HOSTILE_APP,
      fileLimit: FILE_LIMIT,
      env: fakeEnv(fakes, { PROVIDER_HEALTH_SERVER: '127.0.0.1:0' }),
    });
  });
  afterAll(async () => {
    for (const socket of clients) socket.destroy();
    await child?.close();
    await closeFakes(fakes);
  });

  it("holds a bounded number of them, keeps the host's own port and provider calls working, and closes them after its 408", async () => {
    const server = await healthServerUrl(child);
    const app = await child.call<string>('startAppServer');
    const baseline = await child.call<number>('fileCount');
    clients = await openSilentClients(server, CLIENTS);
    // While they hang on: the service's own port answers and its provider calls go out.
    expect(await (await fetch(app)).text()).toBe('ok');
    const [call] = await child.call<CallResult[]>('call', { client: 'fetch', target: 'openai' });
    expect(call?.status, JSON.stringify(call)).toBe(200);
    const held = await child.call<number>('fileCount');
    expect(held - baseline).toBeLessThanOrEqual(256 + 16);
    // Headers unfinished after 10 s: a 408, then the socket is closed, not half-closed.
    await vi.waitFor(
      async () => expect((await child.call<number>('fileCount')) - baseline).toBeLessThanOrEqual(16),
      EVENTUALLY,
    );
    expect((await fetch(`${server}/health`)).status).toBe(200);
  }, 60_000);
});
