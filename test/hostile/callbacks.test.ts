import { describe, expect, it, vi } from 'vitest';
import { useScenario } from '../intercept/support/scenario.js';
import { EVENTUALLY } from '../support/waits.js';
import { HOSTILE_APP } from './support/hostile-app.js';

interface Seen {
  transitions: string[];
  statuses: string[];
  records: number;
  rejects: number;
}

describe('callbacks that throw or reject anything', () => {
  const s = useScenario({ preload: 'require', script: HOSTILE_APP });

  it('never end the process, never let a request past an open circuit, never silence the other listeners', async () => {
    await s.child.call('hostileCallbacks');
    // Opened by real 500s: every failure runs record listeners, the fifth transition and status ones.
    await s.trip('openai');
    expect((await s.view('openai')).state).toBe('open');
    const before = s.fakes.openai.requestCount;
    for (const client of ['fetch', 'axios', 'undici-request']) {
      const result = await s.call(client, 'openai');
      expect(result.rejected, client).toBe(1);
    }
    expect(s.fakes.openai.requestCount).toBe(before);
    // The move to half-open is made by the breaker's timer, outside any request: a throw there
    // has no caller to land on. Held open for 200 ms more, the timer makes that move.
    await s.child.call('forceOpen', { name: 'openai', ms: 200 });
    const seen = await vi.waitFor(async () => {
      const value = await s.child.call<Seen>('seen');
      expect(value.transitions).toContain('openai:open->half_open');
      return value;
    }, EVENTUALLY);
    expect(seen.transitions).toEqual(['openai:closed->open', 'openai:open->open', 'openai:open->half_open']);
    expect(seen.statuses).toEqual(expect.arrayContaining(['openai:unavailable', 'openai:degraded']));
    expect(seen.records).toBeGreaterThanOrEqual(5);
    expect(seen.rejects).toBe(3);
    // Trials pass and close the circuit: the breaker was never left half-way by a throw.
    s.fakes.openai.setDefault({ kind: 'ok' });
    await s.child.call('call', { client: 'fetch', target: 'openai', n: 3 });
    expect((await s.view('openai')).state).toBe('closed');
    expect(await s.child.call('ping')).toHaveProperty('pid');
    // Each failing listener is reported once, as one JSON line; nothing else reaches stderr.
    const lines = s.child.stderr.split('\n').filter((line) => line.trim() !== '');
    for (const line of lines) expect(line).toMatch(/^provider-health \{/);
  });
});
