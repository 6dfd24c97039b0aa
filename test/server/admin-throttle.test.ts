import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeniedLog } from '../../src/server/denied-log.js';
import { FailureThrottle } from '../../src/server/failure-throttle.js';

describe('FailureThrottle', () => {
  it('refuses a client after `limit` failures until one leaks away, per client', () => {
    let now = 0;
    const throttle = new FailureThrottle(3, 1_000, 10, () => now);
    for (let i = 0; i < 2; i++) throttle.fail('a');
    expect(throttle.waitMs('a')).toBe(0);
    throttle.fail('a');
    expect(throttle.waitMs('a')).toBe(1_000);
    expect(throttle.waitMs('b')).toBe(0);
    now = 999;
    expect(throttle.waitMs('a')).toBeGreaterThan(0);
    now = 1_000;
    expect(throttle.waitMs('a')).toBe(0);
  });

  it('remembers at most maxClients, forgetting the idle ones first', () => {
    let now = 0;
    const throttle = new FailureThrottle(3, 1_000, 4, () => now);
    for (const client of ['a', 'b', 'c', 'd']) throttle.fail(client);
    for (let i = 0; i < 3; i++) throttle.fail('d');
    now = 1_500;
    for (let i = 0; i < 100; i++) throttle.fail(`spray-${i}`);
    expect(throttle.size).toBeLessThanOrEqual(4);
  });
});

describe('DeniedLog', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('writes the first denial of a period and then one summary, whatever the rate', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const log = new DeniedLog(60_000);
    const fields = (i: number) => ({
      action: 'reset',
      reason: i > 10 ? 'throttled' : 'wrong_token',
      path: '/health/providers/openai/reset',
      remote_address: `127.0.0.${i % 3}`,
    });
    for (let i = 0; i < 1_000; i++) log.note(fields(i));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('reset denied');
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]?.replace(/^provider-health /, '') ?? '')).toMatchObject({
      msg: 'health server: admin requests denied',
      denied: 999,
      throttled: 989,
      addresses: 3,
    });
    vi.advanceTimersByTime(600_000);
    expect(lines).toHaveLength(2);
  });
});
