import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CircuitOpenError, isCircuitOpenError } from '../../src/index.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const cjs = resolve(root, 'dist/register.cjs');
const esm = resolve(root, 'dist/register.js');

beforeAll(() => {
  // Built only when missing: other work may be rebuilding dist/ at the same time.
  if (!existsSync(cjs) || !existsSync(esm) || !existsSync(resolve(root, 'dist/index.cjs'))) {
    execFileSync('npx', ['tsup'], { cwd: root, stdio: 'ignore' });
  }
}, 120_000);

/**
 * The environment without the PROVIDER_HEALTH_* / OTEL_* variables the test runner may carry, and
 * with no listening server or exporter: ports are shared with tests running in parallel.
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PROVIDER_HEALTH_SERVER: 'off',
    PROVIDER_HEALTH_CHECK_INTERVAL: 'off',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_TRACES_EXPORTER: 'none',
  };
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('PROVIDER_HEALTH_') && !key.startsWith('OTEL_')) env[key] = value;
  return { ...env, ...extra };
}

const SCRIPT =
  "const r = globalThis[Symbol.for('provider-health.registry')];" +
  "console.log(r ? r.providerForOrigin('https://api.openai.com').name : 'no registry')";

async function node(flag: '--require' | '--import', entry: string, env: NodeJS.ProcessEnv) {
  const { stdout, stderr } = await run(process.execPath, [flag, entry, '-e', SCRIPT], {
    cwd: root,
    env,
    timeout: 20_000,
  });
  return { stdout, stderr };
}

describe('register entry', () => {
  it('loads with --require ./dist/register.cjs, creates the registry and exits 0', async () => {
    const { stdout, stderr } = await node('--require', './dist/register.cjs', cleanEnv());
    expect(stdout.trim()).toBe('openai');
    expect(stderr).toBe('');
  });

  it('loads with --import ./dist/register.js and exits 0', async () => {
    const { stdout, stderr } = await node('--import', './dist/register.js', cleanEnv());
    expect(stdout.trim()).toBe('openai');
    expect(stderr).toBe('');
  });

  it('with PROVIDER_HEALTH_MODE=bogus prints one message naming the key and does not crash', async () => {
    for (const [flag, entry] of [
      ['--require', './dist/register.cjs'],
      ['--import', './dist/register.js'],
    ] as const) {
      const { stdout, stderr } = await node(flag, entry, cleanEnv({ PROVIDER_HEALTH_MODE: 'bogus' }));
      expect(stdout.trim()).toBe('no registry'); // the app ran; the plugin stood aside
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('PROVIDER_HEALTH_MODE');
      expect(lines[0]).toContain('bogus');
      expect(lines[0]).toMatch(/enforce, observe, off/);
    }
  });
});

describe('PROVIDER_HEALTH_MODE=off in the environment', () => {
  const loadedMain =
    "console.log(Object.keys(require.cache).filter((f) => /dist[\\\\/]index\\.c?js$/.test(f)).length, globalThis[Symbol.for('provider-health.registry')] === undefined)";

  it('returns before the plugin’s code is loaded, under either flag', async () => {
    for (const [flag, entry] of [
      ['--require', './dist/register.cjs'],
      ['--import', './dist/register.js'],
    ] as const) {
      for (const mode of ['off', ' off ']) {
        const { stdout, stderr } = await run(process.execPath, [flag, entry, '-e', loadedMain], {
          cwd: root,
          env: cleanEnv({ PROVIDER_HEALTH_MODE: mode }),
          timeout: 20_000,
        });
        expect(stdout.trim(), `${flag} ${JSON.stringify(mode)}`).toBe('0 true');
        expect(stderr).toBe('');
      }
    }
  });

  it('otherwise the preload runs the package’s CommonJS main entry, shared with require()', async () => {
    const { stdout } = await run(process.execPath, ['--require', './dist/register.cjs', '-e', loadedMain], {
      cwd: root,
      env: cleanEnv(),
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('1 false');
  });
});

describe('two copies of the package (CommonJS build next to the ESM source)', () => {
  it('recognise each other’s CircuitOpenError by brand', () => {
    const require = createRequire(import.meta.url);
    const other = require(resolve(root, 'dist/index.cjs')) as {
      CircuitOpenError: typeof CircuitOpenError;
      isCircuitOpenError: typeof isCircuitOpenError;
    };
    expect(other.CircuitOpenError).not.toBe(CircuitOpenError);
    const foreign = new other.CircuitOpenError('openai', 5_000);
    expect(foreign instanceof CircuitOpenError).toBe(false);
    expect(isCircuitOpenError(new TypeError('fetch failed', { cause: foreign }))).toBe(true);
    expect(other.isCircuitOpenError(new CircuitOpenError('anthropic', 1))).toBe(true);
  });
});
