import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  EXPECTED_TRANSITIONS,
  FAST_SPEED,
  OPENAI_FAILS,
  OPENAI_SLOWS,
  SCENARIO,
  SCENARIO_SECONDS,
} from '../../demo/scenario.js';

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
    // The scenario starts once the service runs: its SDK imports under tsx take seconds, up to
    // twenty on a saturated 2-core machine. Leave room for that.
    const seconds = Math.ceil(SCENARIO_SECONDS / FAST_SPEED) + 20;
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
    // OpenAI slows down: degraded by its baseline or its early warning, and chat (which prefers
    // OpenAI) moves to Anthropic, all before OpenAI fails a single request.
    const slows = run.stdout.indexOf(`scenario: ${OPENAI_SLOWS}`);
    const fails = run.stdout.indexOf(`scenario: ${OPENAI_FAILS}`);
    const degraded = run.stdout
      .slice(slows)
      .search(/status openai available -> degraded \(.*(baseline_latency|trend)/);
    const moved = run.stdout.indexOf('chat now goes to anthropic', slows);
    expect(slows, run.stdout).toBeGreaterThanOrEqual(0);
    expect(degraded, run.stdout).toBeGreaterThanOrEqual(0);
    expect(slows + degraded, run.stdout).toBeLessThan(fails);
    expect(moved, run.stdout).toBeGreaterThan(slows + degraded);
    expect(moved, run.stdout).toBeLessThan(fails);
  }, 120_000);

  it('rejects an unknown flag with a message naming it and the usage', async () => {
    const run = await runDemo(['--fastest'], 30_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown option "--fastest"');
    expect(run.stderr).toContain('--duration <seconds>');
  });
});
