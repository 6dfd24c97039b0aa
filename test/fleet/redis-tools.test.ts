import { describe, expect, it } from 'vitest';
import { REDIS_INSTALL, requireRedisTool } from './support/redis-server.js';

describe('the fleet tests need redis-server', () => {
  it('and say how to install it when it is missing', () => {
    expect(() => requireRedisTool('redis-server', ['/nonexistent'])).toThrow(
      'redis-server not found on PATH: apt-get install redis-server (.ci/run does this)',
    );
    expect(REDIS_INSTALL).toContain('apt-get install redis-server');
  });

  it('find it on this machine', () => {
    expect(requireRedisTool('redis-server')).toMatch(/redis-server$/);
    expect(requireRedisTool('redis-cli')).toMatch(/redis-cli$/);
  });
});
