import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = resolve(import.meta.dirname, '../../..');
const CHILD_SCRIPT = resolve(ROOT, 'test/intercept/children/app.ts');

/** How the child loads the plugin: a flag, NODE_OPTIONS, or not at all (the child loads it itself). */
export type Preload = 'require' | 'import' | 'node-options' | 'none';

export interface ChildOptions {
  preload: Preload;
  env?: Record<string, string>;
  /** The child's script, relative to the repository root; default test/intercept/children/app.ts. */
  script?: string;
  /** Runs the child under `ulimit -n <n>` (through sh), as a service with a low file limit would. */
  fileLimit?: number;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** Fails loudly when dist/ is missing: the children load the built plugin, as users do. */
export function assertBuilt(): void {
  for (const file of ['dist/register.cjs', 'dist/register.js', 'dist/index.js'])
    if (!existsSync(resolve(ROOT, file))) throw new Error(`${file} is missing: run npx tsup first`);
}

/** The environment without any PROVIDER_HEALTH_* variable the test runner may carry. */
function childEnv(options: ChildOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('PROVIDER_HEALTH_') && key !== 'NODE_OPTIONS') env[key] = value;
  Object.assign(env, {
    PROVIDER_HEALTH_SERVER: 'off',
    PROVIDER_HEALTH_CHECK_INTERVAL: 'off',
    // No exporter listening on 0.0.0.0:9464: these tests use loopback sockets only.
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_TRACES_EXPORTER: 'none',
    ...options.env,
  });
  if (options.preload === 'node-options') env.NODE_OPTIONS = '--require provider-health/register';
  return env;
}

function preloadArgs(preload: Preload): string[] {
  if (preload === 'require') return ['--require', 'provider-health/register'];
  if (preload === 'import') return ['--import', 'provider-health/register'];
  return [];
}

/**
 * One child process running test/intercept/children/app.ts (or another script built on its
 * runtime, such as test/hostile/children/app.ts). The parent sends one JSON command
 * a line on stdin; the child answers with one JSON line on stdout. Reused across a scenario's
 * steps so that the parent can change the fake server and read its request count in between.
 */
export class ChildSession {
  stderr = '';
  readonly pid: number;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private exited: string | undefined;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.pid = child.pid ?? 0;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    createInterface({ input: child.stdout }).on('line', (line) => this.onLine(line));
    child.on('exit', (code, signal) => {
      this.exited = `child exited (code ${code}, signal ${signal}); stderr:\n${this.stderr}`;
      for (const settle of this.pending.values()) settle({ id: 0, ok: false, error: this.exited });
      this.pending.clear();
    });
  }

  static async start(options: ChildOptions): Promise<ChildSession> {
    // tsx comes after the plugin's own flag, so the plugin is loaded first, as in production.
    const script = options.script === undefined ? CHILD_SCRIPT : resolve(ROOT, options.script);
    const args = [...preloadArgs(options.preload), '--import', 'tsx', script];
    const child =
      options.fileLimit === undefined
        ? spawn(process.execPath, args, { cwd: ROOT, env: childEnv(options) })
        : spawn('sh', ['-c', `ulimit -n ${options.fileLimit} && exec "$0" "$@"`, process.execPath, ...args], {
            cwd: ROOT,
            env: childEnv(options),
          });
    const session = new ChildSession(child);
    await session.call('ping');
    return session;
  }

  /** Runs one command in the child; rejects with the child's error message. */
  call<T = unknown>(command: string, args: Record<string, unknown> = {}): Promise<T> {
    if (this.exited !== undefined) return Promise.reject(new Error(this.exited));
    const id = this.nextId++;
    return new Promise<T>((resolvePromise, reject) => {
      this.pending.set(id, (reply) => {
        if (reply.ok) resolvePromise(reply.result as T);
        else reject(new Error(`child command ${command} failed: ${reply.error}`));
      });
      this.child.stdin.write(`${JSON.stringify({ id, command, args })}\n`);
    });
  }

  /** Ends the child at once, as a crash would (SIGKILL): nothing is flushed, closed or given back. */
  async kill(): Promise<void> {
    if (this.exited !== undefined) return;
    const exit = new Promise<void>((done) => this.child.once('exit', () => done()));
    this.child.kill('SIGKILL');
    await exit;
  }

  async close(): Promise<void> {
    if (this.exited !== undefined) return;
    const exit = new Promise<void>((done) => this.child.once('exit', () => done()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exit;
    clearTimeout(timer);
  }

  private onLine(line: string): void {
    if (!line.startsWith('{')) return;
    const reply = JSON.parse(line) as Reply;
    const settle = this.pending.get(reply.id);
    if (settle === undefined) return;
    this.pending.delete(reply.id);
    settle(reply);
  }
}
