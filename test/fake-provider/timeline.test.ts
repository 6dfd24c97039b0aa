import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, runTimeline, startFakeProvider } from '../../fake-provider/index.js';

describe('runTimeline', () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeProvider({ flavor: 'anthropic' });
  });
  afterAll(() => fake.close());

  const status = async () => (await fetch(`${fake.url}/v1/messages`, { method: 'POST', body: '{}' })).status;

  it('switches the default behaviour at each step, scaled by speed', async () => {
    const seen: string[] = [];
    const reached: Array<() => void> = [];
    const step = (i: number) =>
      new Promise<void>((resolve) => {
        reached[i] = resolve;
      });
    const outage = step(0);
    const recovered = step(1);
    const t0 = performance.now();
    const stop = runTimeline(
      fake,
      [
        { atMs: 0, behaviour: { status: 529 }, label: 'outage' },
        { atMs: 2000, behaviour: { kind: 'ok' }, label: 'recovered' },
      ],
      {
        speed: 10,
        onStep: (s, index) => {
          seen.push(`${index}:${s.label}`);
          reached[index]?.();
        },
      },
    );
    await outage;
    expect(await status()).toBe(529);
    await recovered;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    expect(await status()).toBe(200);
    expect(seen).toEqual(['0:outage', '1:recovered']);
    stop();
  });

  it('stop() cancels the steps not yet taken', async () => {
    fake.reset();
    const stop = runTimeline(fake, [{ atMs: 30, behaviour: { status: 500 } }]);
    stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(await status()).toBe(200);
  });

  it('rejects a speed that is not positive', () => {
    expect(() => runTimeline(fake, [], { speed: 0 })).toThrow(RangeError);
  });
});
