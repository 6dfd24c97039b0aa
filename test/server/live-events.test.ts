import { afterEach, describe, expect, it } from 'vitest';
import type { RunningHealthServer } from '../../src/server/index.js';
import { fail, makeRegistry, startServer, succeed } from './helpers.js';
import { openWebSocket, SseClient, waitFor } from './live-client.js';

let server: RunningHealthServer | undefined;

/**
 * Live means pushed as it happens. With the periodic snapshot and keep-alive ten minutes away,
 * nothing but the push can deliver an event sooner; the bound is generous because a busy machine
 * delays any one delivery, and a held event would not arrive for minutes.
 */
const QUIET_PERIODIC = { keepAliveMs: 600_000, snapshotIntervalMs: 600_000 };
const PUSHED_WITHIN_MS = 5_000;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /health/events (SSE)', () => {
  it('pushes a transition as it happens, then the status change', async () => {
    // Short recovery: the test waits for the breaker's own move to half-open below.
    const registry = makeRegistry({ recoveryTimeout: 300, providers: { openai: {} } });
    server = await startServer(registry, QUIET_PERIODIC);
    const client = await SseClient.open(`${server.url}/health/events`);
    await client.next((e) => e.event === 'snapshot');
    const openai = registry.getOrCreateProvider('openai');
    let emittedAt = 0;
    registry.events.on('transition', () => {
      emittedAt = performance.now();
    });
    fail(openai, 5);
    const transition = await client.next((e) => e.event === 'transition');
    expect(transition.data).toMatchObject({
      type: 'transition',
      provider: 'openai',
      from: 'closed',
      to: 'open',
      reason: 'failure_threshold',
      detail: 'HTTP 500',
      next_trial_at: expect.any(String),
    });
    expect(transition.receivedAt - emittedAt).toBeLessThan(PUSHED_WITHIN_MS);
    const status = await client.next((e) => e.event === 'status');
    expect(status.data).toMatchObject({ provider: 'openai', status: 'unavailable', previous: 'available' });
    expect(Number(status.id)).toBe(Number(transition.id) + 1);
    // Then half-open on its own (the breaker's timer) and closed after three trial successes.
    await client.next((e) => e.event === 'transition' && e.data.to === 'half_open');
    succeed(openai, 3);
    await client.next((e) => e.event === 'transition' && e.data.to === 'closed');
    client.destroy();
  });

  it('replays what a reconnecting client missed (Last-Event-ID), and everything with since=0', async () => {
    const registry = makeRegistry({ providers: { openai: {} } });
    server = await startServer(registry);
    const openai = registry.getOrCreateProvider('openai');
    fail(openai, 5); // events 1 (transition) and 2 (status)
    openai.reset(); // events 3 and 4
    const resumed = await SseClient.open(`${server.url}/health/events?since=0`, { 'last-event-id': '2' });
    await resumed.next((e) => e.event === 'snapshot');
    expect(resumed.events.filter((e) => e.id !== undefined).map((e) => e.id)).toEqual(['3', '4']);
    resumed.destroy();
    const all = await SseClient.open(`${server.url}/health/events?since=0`);
    const snapshot = await all.next((e) => e.event === 'snapshot');
    expect(all.events.filter((e) => e.id !== undefined).map((e) => e.id)).toEqual(['1', '2', '3', '4']);
    expect(snapshot.data).toMatchObject({
      type: 'snapshot',
      last_event_id: 4,
      providers: { openai: { circuit_state: 'closed' } },
    });
    all.destroy();
    const fresh = await SseClient.open(`${server.url}/health/events`);
    await fresh.next((e) => e.event === 'snapshot');
    expect(fresh.events.filter((e) => e.id !== undefined)).toEqual([]);
    fresh.destroy();
  });

  it('sends keep-alives and periodic snapshots', async () => {
    server = await startServer(makeRegistry({ providers: { openai: {} } }), {
      keepAliveMs: 50,
      snapshotIntervalMs: 60,
    });
    const client = await SseClient.open(`${server.url}/health/events`);
    await waitFor(
      () => client.comments >= 2 && client.events.filter((e) => e.event === 'snapshot').length >= 2,
    );
    client.destroy();
  });

  it('drops a consumer that does not read instead of buffering without bound', async () => {
    const registry = makeRegistry({ providers: { openai: {} } });
    server = await startServer(registry, { maxBufferedBytes: 16 * 1024 });
    const { request } = await import('node:http');
    const stalled = await new Promise<import('node:http').IncomingMessage>((resolve) => {
      request(`${server?.url}/health/events`, (res) => resolve(res)).end();
    });
    stalled.pause(); // reads nothing: the kernel buffers fill, then ours would
    stalled.socket.pause();
    const handler = server.handler;
    await waitFor(() => handler.events.subscriberCount === 1);
    const breaker = registry.getOrCreateProvider('openai').breaker;
    for (let i = 0; i < 20_000 && handler.events.subscriberCount > 0; i++) {
      breaker.forceOpen();
      breaker.reset();
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(handler.events.subscriberCount).toBe(0);
    stalled.destroy();
  });
});

describe('WebSocket /health/events', () => {
  it('pushes the same events as they happen, with replay by ?since=', async () => {
    const registry = makeRegistry({ providers: { openai: {} } });
    server = await startServer(registry, QUIET_PERIODIC);
    const wsUrl = server.url.replace('http', 'ws');
    const { socket, events } = await openWebSocket(`${wsUrl}/health/events`);
    await waitFor(() => events.some((e) => e.event === 'snapshot'));
    let emittedAt = 0;
    registry.events.on('transition', () => {
      emittedAt = performance.now();
    });
    fail(registry.getOrCreateProvider('openai'), 5);
    await waitFor(() => events.some((e) => e.event === 'transition'));
    const transition = events.find((e) => e.event === 'transition');
    expect(transition?.data).toMatchObject({ id: 1, provider: 'openai', from: 'closed', to: 'open' });
    expect((transition?.receivedAt ?? Infinity) - emittedAt).toBeLessThan(PUSHED_WITHIN_MS);
    socket.close();
    const again = await openWebSocket(`${wsUrl}/health/events?since=1`);
    await waitFor(() => again.events.some((e) => e.event === 'snapshot'));
    // The replayed status, then the snapshot sent on connect (a coalesced one may follow it).
    const firstSnapshot = again.events.findIndex((e) => e.event === 'snapshot');
    expect(again.events.slice(0, firstSnapshot + 1).map((e) => e.event)).toEqual(['status', 'snapshot']);
    again.socket.close();
  });

  it('drops a WebSocket consumer that does not read', async () => {
    const registry = makeRegistry({ providers: { openai: {} } });
    server = await startServer(registry, { maxBufferedBytes: 16 * 1024 });
    const { connect } = await import('node:net');
    const socket = connect(server.port, '127.0.0.1');
    // A hand-made handshake, then never read again: the ws client would read for us.
    socket.write(
      'GET /health/events HTTP/1.1\r\nhost: localhost\r\nupgrade: websocket\r\nconnection: Upgrade\r\n' +
        'sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n',
    );
    await new Promise((resolve) => socket.once('data', resolve));
    socket.pause();
    const hub = server.handler.events;
    await waitFor(() => hub.subscriberCount === 1);
    const breaker = registry.getOrCreateProvider('openai').breaker;
    for (let i = 0; i < 20_000 && hub.subscriberCount > 0; i++) {
      breaker.forceOpen();
      breaker.reset();
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => hub.subscriberCount === 0);
    socket.destroy();
  });

  it('refuses upgrades on other paths', async () => {
    server = await startServer(makeRegistry());
    await expect(openWebSocket(`${server.url.replace('http', 'ws')}/health`)).rejects.toThrow();
  });
});
