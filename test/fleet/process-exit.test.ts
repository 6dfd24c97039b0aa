/**
 * A script that is done exits, fleet or not (docs/design.md, "Breaker semantics": the plugin never
 * keeps a process alive): its connections to Redis, and its reconnect timers while Redis is away,
 * must not hold the event loop. Run with the built plugin preloaded, as a service's one-off script
 * with the service's environment would be.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../fake-provider/free-port.js';
import { fleetKeys } from '../../src/fleet/fleet-keys.js';
import { assertBuilt } from '../intercept/support/child-session.js';
import { childOutput } from '../support/child-output.js';
import { command, RedisCluster, RedisServer } from './support/redis-server.js';
import { uniqueFleet, WAIT_MS } from './support/stores.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Waits until the fleet connected (or `giveUpMs` passed), prints what it saw, and ends. */
const SCRIPT = `
const { getRegistry } = require('provider-health');
const started = Date.now();
(function wait() {
  const fleet = getRegistry()[Symbol.for('provider-health.fleet')];
  if (fleet !== undefined && fleet.connected) return console.log('connected');
  if (Date.now() - started > Number(process.env.GIVE_UP_MS)) return console.log(fleet === undefined ? 'no fleet' : 'not connected');
  setTimeout(wait, 20);
})();
`;

/** Runs the script; resolves with its output and whether it exited by itself within WAIT_MS. */
async function run(
  redisUrl: string,
  giveUpMs: number,
  fleet = 'exit-test',
): Promise<{ exited: boolean; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('PROVIDER_HEALTH_') && key !== 'NODE_OPTIONS') env[key] = value;
  Object.assign(env, {
    PROVIDER_HEALTH_REDIS_URL: redisUrl,
    PROVIDER_HEALTH_FLEET: fleet,
    PROVIDER_HEALTH_SERVER: 'off',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_TRACES_EXPORTER: 'none',
    GIVE_UP_MS: String(giveUpMs),
  });
  const child = spawn(process.execPath, ['--require', 'provider-health/register', '-e', SCRIPT], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Killed by the timer, the child exits with no code: not "by itself".
  const timer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS);
  const { code, stdout, stderr } = await childOutput(child);
  clearTimeout(timer);
  return { exited: code === 0, stdout: stdout.trim(), stderr };
}

let redis: RedisServer;
beforeAll(async () => {
  assertBuilt();
  redis = await RedisServer.start();
});
afterAll(() => redis.stop());

describe('a process with a fleet', () => {
  it('exits by itself when its work is done, connected to Redis', async () => {
    const fleet = uniqueFleet('exit');
    const result = await run(redis.url, WAIT_MS / 2, fleet);
    expect(result.stdout, result.stderr).toBe('connected');
    expect(result.exited, result.stderr).toBe(true);
    // On its way out it left the list of replicas seen (its heartbeat had put it there).
    expect(await command(redis.port, 'EXISTS', fleetKeys(fleet).generation)).toBe(':1');
    expect(await command(redis.port, 'ZCARD', fleetKeys(fleet).replicas)).toBe(':0');
  }, 60_000);

  it('exits by itself when its work is done while Redis is unreachable (reconnecting)', async () => {
    const closedPort = await freePort();
    // Long enough for failed attempts and a reconnect timer or two.
    const result = await run(`redis://127.0.0.1:${closedPort}`, 1_500);
    expect(result.stdout, result.stderr).toBe('not connected');
    expect(result.exited, result.stderr).toBe(true);
  }, 60_000);

  it('exits by itself when its work is done, connected to a Redis Cluster', async () => {
    const cluster = await RedisCluster.start(3);
    try {
      const result = await run(cluster.url, WAIT_MS / 2);
      expect(result.stdout, result.stderr).toBe('connected');
      expect(result.exited, result.stderr).toBe(true);
    } finally {
      await cluster.stop();
    }
  }, 120_000);
});
