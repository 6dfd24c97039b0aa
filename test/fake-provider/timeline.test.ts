import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeProvider, runTimeline, startFakeProvider } from '../../fake-provider/index.js';

/**
 * The timeline's timers run on vitest's fake clock (setTimeout only: the server and fetch keep
 * their real sockets), so "at 200 ms" is checked exactly, on any machine.
 */
describe('runTimeline', () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeProvider({ flavor: 'anthropic' });
  });
  afterAll(() => fake.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  const status = async () => (await fetch(`${fake.url}/v1/messages`, { method: 'POST', body: '{}' })).status;

  it('switches the default behaviour at each step, scaled by speed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const seen: string[] = [];
    const stop = runTimeline(
      fake,
      [
        { atMs: 0, behaviour: { status: 529 }, label: 'outage' },
        { atMs: 2000, behaviour: { kind: 'ok' }, label: 'recovered' },
      ],
      { speed: 10, onStep: (s, index) => seen.push(`${index}:${s.label}`) },
    );
    vi.advanceTimersByTime(0);
    expect(seen).toEqual(['0:outage']);
    expect(await status()).toBe(529);
    // 2000 ms at speed 10: the second step is due at 200 ms, not a moment before.
    vi.advanceTimersByTime(199);
    expect(seen).toEqual(['0:outage']);
    expect(await status()).toBe(529);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['0:outage', '1:recovered']);
    expect(await status()).toBe(200);
    stop();
  });

  it('stop() cancels the steps not yet taken', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    fake.reset();
    const stop = runTimeline(fake, [{ atMs: 30, behaviour: { status: 500 } }]);
    stop();
    vi.advanceTimersByTime(60_000);
    expect(await status()).toBe(200);
  });

  it('rejects a speed that is not positive', () => {
    expect(() => runTimeline(fake, [], { speed: 0 })).toThrow(RangeError);
  });
});
