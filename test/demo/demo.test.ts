import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EXPECTED_TRANSITIONS, OPENAI_FAILS, OPENAI_SLOWS, SCENARIO } from '../../demo/scenario.js';

const ROOT = new URL('../../', import.meta.url).pathname;

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the demo until it exits, or until `enough(stdout)` holds, when it gets SIGTERM (Ctrl-C in a
 * terminal does the same: a clean stop, exit 0). `hangMs` ends a demo that does neither.
 */
function runDemo(args: string[], hangMs: number, enough?: (stdout: string) => boolean): Promise<DemoRun> {
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
      if (enough?.(stdout) === true && child.signalCode === null && child.exitCode === null)
        child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`demo did not finish within ${hangMs} ms:\n${stdout}\n${stderr}`));
    }, hangMs);
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

/** Every provider went through the transitions the scenario must produce, in order. */
const allTransitionsSeen = (stdout: string): boolean => {
  const seen = transitionsByProvider(stdout);
  return Object.entries(EXPECTED_TRANSITIONS).every(([provider, expected]) =>
    inOrder(seen[provider] ?? [], expected),
  );
};

describe('the demo', () => {
  it('plays the fast scenario: every provider opens, tries, and closes again, as the timeline says', async () => {
    // Stopped once the last expected transition is printed, not after a fixed duration: the
    // scenario starts with the service's first traffic, and a busy machine delays both that and
    // each step after it. The fast scenario takes 35 s; the deadline only ends a hang.
    const run = await runDemo(['--fast'], 150_000, allTransitionsSeen);
    expect(run.code, run.stderr).toBe(0);
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
  }, 180_000);

  it('stops by itself after --duration, exit 0, having said where to look', async () => {
    const run = await runDemo(['--fast', '--duration', '2'], 60_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/status page\s+http:\/\/127\.0\.0\.1:\d+\//);
    expect(run.stdout).toMatch(/Prometheus\s+http:\/\/127\.0\.0\.1:\d+\/metrics/);
  });

  it('rejects an unknown flag with a message naming it and the usage', async () => {
    const run = await runDemo(['--fastest'], 30_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown option "--fastest"');
    expect(run.stderr).toContain('--duration <seconds>');
  });
});
