import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `body` in a fresh process (nothing loaded yet) and returns what it prints. */
function fresh(body: string): string {
  const script = `
    import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    const ioredisModules = () => Object.keys(require.cache).filter((k) => k.includes('/node_modules/ioredis/')).length;
    ${body}
  `;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
  return result.stdout.trim();
}

describe('the Redis client', () => {
  it('is not loaded by the fleet module itself, only when a store is created', () => {
    const output = fresh(`
      await import('./src/fleet/index.ts');
      console.log(ioredisModules());
      const { loadRedisClient } = await import('./src/fleet/redis-connection.ts');
      await loadRedisClient();
      console.log(ioredisModules() > 0);
    `);
    expect(output.split('\n')).toEqual(['0', 'true']);
  });
});
