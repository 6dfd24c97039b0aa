/** The parent's side of replica-child.ts: commands, replies, and the states the child reports. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FleetProviderState } from '../../../src/fleet/fleet-mirror.js';
import { WAIT_MS } from './stores.js';

const CHILD = fileURLToPath(new URL('./replica-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export class ReplicaProcess {
  readonly states: FleetProviderState[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private readonly stateWaiters = new Set<() => void>();
  private output = '';
  private exited: string | undefined;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    createInterface({ input: child.stdout }).on('line', (line) => this.onLine(line));
    child.on('exit', (code, signal) => {
      this.exited = `replica exited (code ${code}, signal ${signal}):\n${this.output}`;
      for (const settle of this.pending.values()) settle({ id: 0, ok: false, error: this.exited });
      this.pending.clear();
    });
  }

  static async start(url: string, fleet: string, replicaId: string): Promise<ReplicaProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { cwd: ROOT });
    const replica = new ReplicaProcess(child);
    await replica.call('start', { url, fleet, replicaId });
    return replica;
  }

  call<T = unknown>(command: string, args: Record<string, unknown> = {}): Promise<T> {
    if (this.exited !== undefined) return Promise.reject(new Error(this.exited));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`replica: ${command} unanswered\n${this.output}`)),
        WAIT_MS,
      );
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.ok) resolve(reply.result as T);
        else reject(new Error(`replica: ${command} failed: ${reply.error}`));
      });
      this.child.stdin.write(`${JSON.stringify({ id, command, args })}\n`);
    });
  }

  /** Resolves once the child has reported a state of `provider` that satisfies `predicate`. */
  waitForState(
    provider: string,
    predicate: (state: FleetProviderState) => boolean,
  ): Promise<FleetProviderState> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = [...this.states].reverse().find((s) => s.provider === provider);
        if (found === undefined || !predicate(found)) return false;
        this.stateWaiters.delete(waiter);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const waiter = (): void => {
        check();
      };
      const timer = setTimeout(() => {
        this.stateWaiters.delete(waiter);
        reject(new Error(`replica: ${provider} never reached the expected state\n${this.output}`));
      }, WAIT_MS);
      if (!check()) this.stateWaiters.add(waiter);
    });
  }

  /** The crash: no goodbye, no lease released. */
  async kill(): Promise<void> {
    if (this.exited !== undefined) return;
    const exit = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exit;
  }

  async close(): Promise<void> {
    if (this.exited !== undefined) return;
    const exit = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(timer);
  }

  private onLine(line: string): void {
    if (!line.startsWith('{')) return;
    const message = JSON.parse(line) as Reply & { event?: string; state?: FleetProviderState };
    if (message.event === 'state' && message.state !== undefined) {
      this.states.push(message.state);
      for (const waiter of [...this.stateWaiters]) waiter();
      return;
    }
    if (message.event !== undefined) return;
    const settle = this.pending.get(message.id);
    if (settle === undefined) return;
    this.pending.delete(message.id);
    settle(message);
  }
}
