import { type ChildProcess, spawn } from 'node:child_process';
import { FatalError } from './wait.js';

const LOG_LIMIT = 32_768;

/**
 * One child process (Prometheus, Alertmanager, a service) with the tail of its output kept for
 * failure messages. `stop()` is safe to call twice and after the process died on its own.
 */
export class ManagedProcess {
  private output = '';
  private exit: string | undefined;
  private readonly exited: Promise<void>;
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
  ) {
    const child: ChildProcess = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.output = (this.output + chunk).slice(-LOG_LIMIT);
      });
    }
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        this.exit = `failed to start: ${error.message}`;
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.exit = `exited (code ${code}, signal ${signal})`;
        resolve();
      });
    });
  }

  /** Throws with the log tail if the process is gone: a check for wait loops. */
  assertRunning(): void {
    if (this.exit !== undefined) throw new FatalError(`${this.name} ${this.exit}:\n${this.log()}`);
  }

  log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    if (this.exit === undefined) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}
