import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EXPECTED_TRANSITIONS, FAST_SPEED, SCENARIO, SCENARIO_SECONDS } from '../../demo/scenario.js';

const ROOT = new URL('../../', import.meta.url).pathname;

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runDemo(args: string[], timeoutMs: number): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    // stdout is a pipe, not a TTY: the demo prints plain lines, as in CI.
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/run.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`demo did not exit within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `12:06:25 transition openai closed -> open (…)` → per provider, `closed>open` in order. */
function transitionsByProvider(stdout: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const match of stdout.matchAll(/^\d\d:\d\d:\d\d transition (\S+) (\S+) -> (\S+) /gm)) {
    const [, provider, from, to] = match as unknown as [string, string, string, string];
    const list = result[provider] ?? [];
    list.push(`${from}>${to}`);
    result[provider] = list;
  }
  return result;
}

/** True when `expected` appears in `actual` in order (other transitions may come between). */
function inOrder(actual: readonly string[], expected: readonly string[]): boolean {
  let next = 0;
  for (const item of actual) if (item === expected[next]) next++;
  return next === expected.length;
}

describe('the demo', () => {
  it('plays the fast scenario: every provider opens, tries, and closes again, as the timeline says', async () => {
    // The scenario starts once the service runs (a few seconds on a busy machine): leave room for it.
    const seconds = Math.ceil(SCENARIO_SECONDS / FAST_SPEED) + 8;
    const run = await runDemo(['--fast', '--duration', String(seconds)], (seconds + 30) * 1000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/status page\s+http:\/\/127\.0\.0\.1:\d+\//);
    expect(run.stdout).toMatch(/Prometheus\s+http:\/\/127\.0\.0\.1:\d+\/metrics/);
    const seen = transitionsByProvider(run.stdout);
    for (const [provider, expected] of Object.entries(EXPECTED_TRANSITIONS)) {
      expect(inOrder(seen[provider] ?? [], expected), `${provider}: ${JSON.stringify(seen[provider])}`).toBe(
        true,
      );
    }
    // Each circuit opens only after its provider started failing on the timeline.
    for (const provider of Object.keys(SCENARIO) as Array<keyof typeof SCENARIO>) {
      const failing = SCENARIO[provider].find((step) => 'status' in step.behaviour);
      const stepAt = run.stdout.indexOf(`scenario: ${failing?.label}`);
      const openAt = run.stdout.indexOf(`transition ${provider} closed -> open`);
      expect(stepAt, provider).toBeGreaterThanOrEqual(0);
      expect(openAt, provider).toBeGreaterThan(stepAt);
    }
  }, 120_000);

  it('rejects an unknown flag with a message naming it and the usage', async () => {
    const run = await runDemo(['--fastest'], 30_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown option "--fastest"');
    expect(run.stderr).toContain('--duration <seconds>');
  });
});
