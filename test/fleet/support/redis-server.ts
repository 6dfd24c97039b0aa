/**
 * Real redis-server processes for the fleet tests: on free loopback ports, without persistence,
 * in a temporary directory. A missing redis-server fails the test with the package to install.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from '../../../fake-provider/free-port.js';

export const REDIS_INSTALL = 'apt-get install redis-server (.ci/run does this)';

export function requireRedisTool(
  tool: 'redis-server' | 'redis-cli',
  dirs: readonly string[] = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin'],
): string {
  for (const dir of dirs) {
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${tool} not found on PATH: ${REDIS_INSTALL}`);
}

/** Sends one inline command and returns the first reply line (the tests' own tiny client). */
export function command(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.setTimeout(10_000, () => socket.destroy(new Error(`redis ${port}: no reply to ${args[0]}`)));
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      data += chunk;
      if (data.includes('\r\n')) {
        socket.end();
        resolve(data.split('\r\n')[0] ?? '');
      }
    });
    const encoded = args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('');
    socket.write(`*${args.length}\r\n${encoded}`);
  });
}

export interface RedisServerOptions {
  /** Extra arguments, e.g. cluster settings. */
  args?: readonly string[];
  port?: number;
}

/** One redis-server on 127.0.0.1; restartable on the same port with its data gone. */
export class RedisServer {
  private child: ChildProcess | undefined;
  private readonly dir: string;
  private log = '';

  private constructor(
    readonly port: number,
    private readonly extraArgs: readonly string[],
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'ph-redis-'));
  }

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    requireRedisTool('redis-server');
    const server = new RedisServer(options.port ?? (await freePort()), options.args ?? []);
    await server.launch();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Stops the process hard (SIGKILL: nothing saved, like a crash) and starts an empty one. A frozen
   * process is let run first unless `thaw` is false: then it dies without answering anything more.
   */
  async restartEmpty({ thaw = true }: { thaw?: boolean } = {}): Promise<void> {
    await this.kill(thaw);
    await this.launch();
  }

  /** The process freezes: connections stay open, nothing is answered. */
  stopProcess(): void {
    this.child?.kill('SIGSTOP');
  }

  continueProcess(): void {
    this.child?.kill('SIGCONT');
  }

  /** CLIENT PAUSE WRITE: scripts and PUBLISH wait; CLIENT UNPAUSE (resume) still answers. */
  pauseWrites(): Promise<string> {
    return command(this.port, 'CLIENT', 'PAUSE', '600000', 'WRITE');
  }

  /** CLIENT PAUSE ALL for `ms`: nothing, not even UNPAUSE, is answered until it ends by itself. */
  pauseAll(ms: number): Promise<string> {
    return command(this.port, 'CLIENT', 'PAUSE', String(ms), 'ALL');
  }

  resume(): Promise<string> {
    return command(this.port, 'CLIENT', 'UNPAUSE');
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      this.dir,
      '--loglevel',
      'warning',
      ...this.extraArgs,
    ];
    this.log = '';
    const child = spawn(requireRedisTool('redis-server'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => {
      this.log += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.log += chunk.toString();
    });
    this.child = child;
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}):\n${this.log}`);
      try {
        if ((await command(this.port, 'PING')) === '+PONG') return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start:\n${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async kill(thaw = true): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (thaw) child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  }
}

/** A 3-master local Redis Cluster (no replicas), each node a RedisServer. */
export class RedisCluster {
  private constructor(readonly nodes: readonly RedisServer[]) {}

  static async start(size = 3): Promise<RedisCluster> {
    const cli = requireRedisTool('redis-cli');
    const nodes: RedisServer[] = [];
    for (let i = 0; i < size; i++) {
      const port = await freePort();
      nodes.push(
        await RedisServer.start({
          port,
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            `nodes-${port}.conf`,
            '--cluster-node-timeout',
            '5000',
          ],
        }),
      );
    }
    const create = spawnSync(
      cli,
      [
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (create.status !== 0) {
      await Promise.all(nodes.map((node) => node.stop()));
      throw new Error(`redis-cli --cluster create failed:\n${create.stdout}${create.stderr}`);
    }
    const cluster = new RedisCluster(nodes);
    await cluster.waitReady();
    return cluster;
  }

  /** Seed URLs for the fleet: every node, comma-separated. */
  get url(): string {
    return this.nodes.map((node) => node.url).join(',');
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const states = await Promise.all(
        this.nodes.map((node) => clusterState(node.port).catch(() => 'unknown')),
      );
      if (states.every((state) => state === 'ok')) return;
      if (Date.now() > deadline) throw new Error(`cluster not ready: ${states.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function clusterState(port: number): Promise<string> {
  // CLUSTER INFO is a bulk reply: read the whole body, not the first line.
  const body = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      data += chunk;
      if (data.includes('cluster_state:') && /cluster_state:\w+\r\n/.test(data)) {
        socket.end();
        resolve(data);
      }
    });
    socket.write('*2\r\n$7\r\nCLUSTER\r\n$4\r\nINFO\r\n');
  });
  return /cluster_state:(\w+)/.exec(body)?.[1] ?? 'unknown';
}
