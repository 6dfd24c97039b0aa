import { afterEach, describe, expect, it, vi } from 'vitest';
import { pickHealthy } from '../../src/pick-healthy.js';
import { getRegistry } from '../../src/providers/global-registry.js';

const KEY = Symbol.for('provider-health.registry');

describe('getRegistry with a bad setting in the environment', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    delete (globalThis as Record<symbol, unknown>)[KEY];
  });

  it('logs the bad key once and falls back to the defaults instead of throwing into app code', () => {
    delete (globalThis as Record<symbol, unknown>)[KEY];
    vi.stubEnv('PROVIDER_HEALTH_FAILURE_THRESHOLD', 'lots');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => getRegistry()).not.toThrow();
      expect(getRegistry().options.failureThreshold).toBe(5);
      expect(pickHealthy(['openai', 'anthropic'])).toEqual(['openai', 'anthropic']);
      const lines = stderr.mock.calls
        .map(([line]) => String(line))
        .filter((line) => line.includes('PROVIDER_HEALTH_FAILURE_THRESHOLD'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('lots');
      expect(lines[0]).toContain('expected an integer from 1 to 1000');
    } finally {
      stderr.mockRestore();
    }
  });
});
