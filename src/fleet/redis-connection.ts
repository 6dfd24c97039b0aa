import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import { MissingPackageError } from '../common/lazy-require.js';
import type { FleetRedisTarget } from '../config/redis-url.js';
import { FLEET_SCRIPTS, type FleetScriptName } from './fleet-scripts.js';

/** The parts of the `ioredis` module the fleet uses; a test may load another copy (version). */
export interface RedisClientModule {
  Redis: typeof Redis;
  Cluster: typeof Cluster;
}

/** The package the fleet needs, named in the message when it is missing. */
export const REDIS_CLIENT_PACKAGE = 'ioredis';
export const REDIS_CLIENT_RANGE = '^5.11.0 || ^6.1.0';

/**
 * `fleet.redis` is set but ioredis is not installed: an optional peer dependency (docs/fleet.md),
 * reported like every other (src/common/lazy-require.ts), with the versions that work and what
 * the service does meanwhile. The client is loaded with import() rather than lazyRequire(): the
 * store starts after the preload, asynchronously, and ESM-only test copies load the same way.
 */
export class FleetClientMissingError extends MissingPackageError {
  constructor(cause: unknown) {
    super(REDIS_CLIENT_PACKAGE, 'provider-health: the fleet (PROVIDER_HEALTH_REDIS_URL / fleet.redis)', {
      cause,
    });
    this.name = 'FleetClientMissingError';
    this.message =
      `${this.message}@'${REDIS_CLIENT_RANGE}'. ` + 'Until then each replica keeps its own breakers.';
  }
}

/**
 * Loads ioredis on first use only: a service without a fleet never pays for it at start-up,
 * and a service that does not install it gets one clear message.
 */
export async function loadRedisClient(
  load: () => Promise<unknown> = () => import('ioredis'),
): Promise<RedisClientModule> {
  try {
    const loaded = (await load()) as Partial<RedisClientModule> & { default?: unknown };
    const module = (loaded.Redis === undefined ? loaded.default : loaded) as Partial<RedisClientModule>;
    if (typeof module.Redis !== 'function' || typeof module.Cluster !== 'function') {
      throw new Error('ioredis does not export Redis and Cluster');
    }
    return module as RedisClientModule;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new FleetClientMissingError(error);
    throw error;
  }
}

export interface RedisConnectionOptions {
  target: FleetRedisTarget;
  /** A command without a reply after this long fails, and the store reports itself disconnected. */
  commandTimeoutMs: number;
  /** Shown by CLIENT LIST, so an operator can tell which replica a connection belongs to. */
  connectionName: string;
  channel: string;
  keys: readonly string[];
  onMessage(text: string): void;
  /** Connection events: the store decides what they mean. */
  onEvent(event: 'ready' | 'close' | 'subscriber-ready' | 'subscriber-close', error?: unknown): void;
}

type Client = Redis | Cluster;
type ScriptCall = (...args: (string | number)[]) => Promise<unknown>;

/**
 * Two connections to the fleet's Redis (or Cluster): one for scripts, one subscribed to the
 * channel (RESP2 pub/sub takes a connection of its own). Neither queues a command while it is not
 * connected, nor resends one after a reconnect: the store drops work rather than let it pile up
 * (docs/fleet.md, "Faults").
 */
export class RedisConnection {
  private readonly commands: Client;
  private subscriber: Client;
  private subscribed = false;
  private closed = false;

  constructor(
    private readonly client: RedisClientModule,
    private readonly options: RedisConnectionOptions,
  ) {
    this.commands = this.create('commands');
    this.subscriber = this.create('subscriber');
  }

  /** Starts connecting; never rejects (failures arrive as events and failed commands). */
  connect(): void {
    this.commands.connect().catch(() => undefined);
    this.subscriber.connect().catch(() => undefined);
  }

  get subscribedNow(): boolean {
    return this.subscribed;
  }

  run(script: FleetScriptName, args: readonly (string | number)[]): Promise<unknown> {
    const call = (this.commands as unknown as Record<string, ScriptCall>)[scriptCommand(script)];
    if (call === undefined) return Promise.reject(new Error(`fleet script ${script} is not defined`));
    return call.call(this.commands, ...this.options.keys, ...args);
  }

  removeReplica(key: string, replicaId: string): Promise<unknown> {
    return this.commands.zrem(key, replicaId);
  }

  /** Subscribes if not subscribed yet; rejects when the subscriber is not connected. */
  async ensureSubscribed(): Promise<void> {
    if (this.subscribed) return;
    await this.subscriber.subscribe(this.options.channel);
    this.subscribed = true;
    if (this.options.target.cluster) unrefClusterSubscriber(this.subscriber);
  }

  /**
   * Replaces the subscriber with a new connection: used when the channel went quiet for longer
   * than ticks allow, which a half-open TCP connection cannot tell by itself.
   */
  renewSubscriber(): void {
    if (this.closed) return;
    const old = this.subscriber;
    this.subscribed = false;
    old.removeAllListeners();
    old.on('error', () => undefined);
    old.disconnect();
    this.subscriber = this.create('subscriber');
    this.subscriber.connect().catch(() => undefined);
  }

  close(): void {
    this.closed = true;
    this.subscribed = false;
    for (const client of [this.commands, this.subscriber]) {
      client.removeAllListeners();
      // A late error from a closing socket must not become an unhandled 'error' event.
      client.on('error', () => undefined);
      client.disconnect();
    }
  }

  private create(role: 'commands' | 'subscriber'): Client {
    const { target } = this.options;
    const client = target.cluster
      ? new this.client.Cluster(
          target.nodes.map((node) => ({ host: node.host, port: node.port })),
          this.clusterOptions(role),
        )
      : new this.client.Redis({
          ...this.nodeOptions(role),
          host: target.nodes[0]?.host,
          port: target.nodes[0]?.port,
          db: target.db,
          enableOfflineQueue: false,
          retryStrategy: reconnectDelay,
        });
    if (role === 'commands') {
      for (const name of Object.keys(FLEET_SCRIPTS) as FleetScriptName[]) {
        client.defineCommand(scriptCommand(name), {
          lua: FLEET_SCRIPTS[name],
          numberOfKeys: this.options.keys.length,
        });
      }
    }
    // Without a listener ioredis prints every connection error to the console; the store logs
    // one warning per outage instead.
    client.on('error', () => undefined);
    if (target.cluster) {
      client.on('+node', (node: Redis) => unrefHandles(node));
      client.on('reconnecting', () => unrefReconnectTimer(client));
    } else unrefHandles(client as Redis);
    client.on('ready', () => {
      if (role === 'commands') this.options.onEvent('ready');
      else this.options.onEvent('subscriber-ready');
    });
    client.on('close', () => {
      if (role === 'subscriber') this.subscribed = false;
      this.options.onEvent(role === 'commands' ? 'close' : 'subscriber-close');
    });
    if (role === 'subscriber') {
      client.on('message', (channel: string, message: string) => {
        if (channel === this.options.channel) this.options.onMessage(message);
      });
    }
    return client;
  }

  private nodeOptions(role: 'commands' | 'subscriber'): RedisOptions {
    const { target, commandTimeoutMs } = this.options;
    const host = target.nodes[0]?.host;
    return {
      username: target.username,
      password: target.password,
      tls: target.tls ? { servername: host } : undefined,
      // RESP2 on both majors of ioredis and on proxies that refuse HELLO.
      protocol: 2,
      connectionName: `${this.options.connectionName}:${role === 'commands' ? 'c' : 's'}`,
      disableClientInfo: true,
      lazyConnect: true,
      commandTimeout: commandTimeoutMs,
      // A socket with a command outstanding and nothing received for this long is dead
      // (Redis stopped, paused, or the network gone): drop it and reconnect.
      socketTimeout: Math.max(1_000, commandTimeoutMs * 4),
      connectTimeout: Math.max(1_000, commandTimeoutMs * 4),
      keepAlive: 10_000,
      maxRetriesPerRequest: 0,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      // A store still loading its data answers LOADING, which the store treats as unreachable.
      enableReadyCheck: false,
    };
  }

  private clusterOptions(role: 'commands' | 'subscriber'): ClusterOptions {
    const { target } = this.options;
    return {
      redisOptions: this.nodeOptions(role),
      enableOfflineQueue: false,
      enableReadyCheck: true,
      lazyConnect: true,
      clusterRetryStrategy: reconnectDelay,
      slotsRefreshTimeout: Math.max(1_000, this.options.commandTimeoutMs * 4),
      maxRedirections: 4,
      retryDelayOnFailover: 50,
      retryDelayOnClusterDown: 50,
      retryDelayOnTryAgain: 50,
      // TLS to cluster nodes announced by IP must still verify the configured host name.
      ...(target.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
    };
  }
}

/**
 * The plugin never keeps a process alive (docs/design.md, "Breaker semantics"): a script that is
 * done exits though its fleet's connections are open, and while Redis is away too. ioredis has no
 * option for it, so each socket is unref'd once connected, and each reconnect timer once set
 * (ioredis emits `reconnecting` on the next tick after setting it). A socket still connecting is
 * held at most the connect timeout.
 */
const unreffed = new WeakSet<Redis>();
function unrefHandles(node: Redis): void {
  if (unreffed.has(node)) return;
  unreffed.add(node);
  node.on('connect', () => node.stream?.unref());
  node.on('reconnecting', () => unrefReconnectTimer(node));
  node.stream?.unref();
}

/**
 * A Cluster subscribes over a connection of its own, which it announces nowhere: it is found by
 * the property ioredis 5 and 6 keep it in, once subscribed (a guess that fails changes nothing).
 */
function unrefClusterSubscriber(cluster: Client): void {
  const holder = (cluster as unknown as { subscriber?: { getInstance?: () => unknown } }).subscriber;
  const instance = typeof holder?.getInstance === 'function' ? holder.getInstance() : undefined;
  if (typeof instance === 'object' && instance !== null && 'stream' in instance && 'on' in instance)
    unrefHandles(instance as Redis);
}

function unrefReconnectTimer(client: Client): void {
  const timer: unknown = (client as unknown as { reconnectTimeout?: unknown }).reconnectTimeout;
  if (typeof timer === 'object' && timer !== null && 'unref' in timer && typeof timer.unref === 'function')
    timer.unref();
}

function scriptCommand(name: FleetScriptName): string {
  return `providerHealthFleet_${name}`;
}

/** Quick first retries, then at most every 2 s, with jitter so replicas do not reconnect in step. */
function reconnectDelay(times: number): number {
  return Math.min(2_000, 50 * 2 ** Math.min(times, 6)) + Math.floor(Math.random() * 100);
}
