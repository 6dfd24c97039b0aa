/**
 * `npm run test:busy`: the whole suite, three times in a row, while two processes burn a CPU core
 * each beside it; the proof that the suite passes on a busy 2-core machine. Builds first (the
 * interception tests load dist/ as users do), prints each run's result and duration, stops the
 * burners however it ends (success, failure, Ctrl-C) and exits non-zero if any run failed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Three by default; `npm run test:busy -- --runs 1` for a quicker look. */
const RUNS = runsFromArgs(process.argv.slice(2)) ?? 3;
const BURNERS = 2;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITEST = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

/** One core, flat out; it also ends itself if this script dies without cleaning up (parent gone). */
const BURN = `const parent = ${process.pid}; for (let i = 1; ; i++) if (i % 1e8 === 0 && process.ppid !== parent) process.exit(0);`;

const burners: ChildProcess[] = [];
let current: ChildProcess | undefined;

const running = (child: ChildProcess | undefined): child is ChildProcess =>
  child !== undefined && child.exitCode === null && child.signalCode === null;

/** Burners get SIGKILL; a suite run gets SIGTERM, so that vitest stops its own workers. */
function stopAll(): void {
  for (const burner of burners) if (running(burner)) burner.kill('SIGKILL');
  if (running(current)) current.kill('SIGTERM');
}

// 'exit' covers every way out of this process, including an uncaught error; the signals also end
// the suite run in progress (Ctrl-C reaches it anyway; a kill of this process alone would not).
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.log(`\ntest:busy: ${signal}, stopping the burners and the suite`);
    stopAll();
    process.exit(128 + constants.signals[signal]);
  });
}

/** Runs a command with this terminal; resolves with its exit code (a signal counts as a failure). */
function run(command: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
    current = child;
    child.once('error', (error) => {
      console.error(`test:busy: ${command} failed to start: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code) => {
      current = undefined;
      resolve(code ?? 1);
    });
  });
}

function runsFromArgs(args: readonly string[]): number | undefined {
  const at = args.indexOf('--runs');
  if (at < 0) return undefined;
  const runs = Number(args[at + 1]);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs takes a whole number >= 1, got ${args[at + 1]}`);
  return runs;
}

const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

async function main(): Promise<number> {
  if ((await run('npm', ['run', 'build', '--silent', '--', '--silent'])) !== 0) {
    console.error('test:busy: the build failed');
    return 1;
  }
  for (let i = 0; i < BURNERS; i++) burners.push(spawn(process.execPath, ['-e', BURN], { stdio: 'ignore' }));
  console.log(`test:busy: ${BURNERS} CPU burners running (pids ${burners.map((b) => b.pid).join(', ')})`);

  const results: string[] = [];
  let failed = 0;
  for (let i = 1; i <= RUNS; i++) {
    console.log(`\ntest:busy: run ${i} of ${RUNS}, load average ${load()}`);
    const started = performance.now();
    const code = await run(process.execPath, [VITEST, 'run']);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (code !== 0) failed++;
    const line = `run ${i}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds} s, load average after ${load()}`;
    results.push(line);
    console.log(`test:busy: ${line}`);
  }
  stopAll();

  console.log(`\ntest:busy: ${BURNERS} burners, Node ${process.version}`);
  for (const line of results) console.log(`  ${line}`);
  console.log(
    failed === 0 ? `test:busy: all ${RUNS} runs passed` : `test:busy: ${failed} of ${RUNS} runs failed`,
  );
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
