import { describe, expect, it } from 'vitest';
import { type CountArgs, FailureCounts } from '../../src/fleet/failure-counts.js';

const REPORT = { failureThreshold: 5, recoveryTimeoutMs: 60_000, detail: 'HTTP 503' };

/** Records what would be sent; each command stays in flight until the test answers it. */
function recorder() {
  const sent: { provider: string; args: CountArgs; answer: () => void }[] = [];
  const counts = new FailureCounts(
    (provider, args) => new Promise<void>((resolve) => sent.push({ provider, args, answer: resolve })),
  );
  const answer = async (index: number): Promise<void> => {
    sent[index]?.answer();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { sent, counts, answer };
}

describe('FailureCounts', () => {
  it('sends the first failure at once and merges the rest into the next command', async () => {
    const { sent, counts, answer } = recorder();
    for (let i = 0; i < 100; i++) counts.failure('openai', { ...REPORT, minOpenMs: i === 50 ? 9_000 : 0 });
    expect(sent.map((s) => s.args)).toEqual([[0, 1, 5, 60_000, 0, 'HTTP 503']]);
    await answer(0);
    expect(sent[1]?.args).toEqual([0, 99, 5, 60_000, 9_000, 'HTTP 503']);
    await answer(1);
    expect(sent).toHaveLength(2);
    expect(counts.has('openai')).toBe(false);
  });

  it('lets a success cancel the failures before it and ask for a reset', async () => {
    const { sent, counts, answer } = recorder();
    counts.failure('openai', REPORT);
    counts.failure('openai', REPORT);
    counts.success('openai');
    counts.failure('openai', REPORT);
    await answer(0);
    // The failure in flight may have counted: reset it, then the one failure since the success.
    expect(sent[1]?.args).toEqual([1, 1, 5, 60_000, 0, 'HTTP 503']);
  });

  it('sends one reset however many successes, and none while a pure reset is on its way', async () => {
    const { sent, counts, answer } = recorder();
    for (let i = 0; i < 1_000; i++) counts.success('openai');
    expect(sent.map((s) => s.args[0])).toEqual([1]);
    await answer(0);
    expect(sent).toHaveLength(1);
  });

  it('keeps providers apart and drops pending work on clear()', async () => {
    const { sent, counts, answer } = recorder();
    counts.failure('openai', REPORT);
    counts.failure('anthropic', REPORT);
    counts.failure('openai', REPORT);
    counts.clear();
    await answer(0);
    await answer(1);
    expect(sent.map((s) => s.provider)).toEqual(['openai', 'anthropic']);
  });
});
