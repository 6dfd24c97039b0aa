/**
 * Replicas in one process: each a ProviderRegistry of its own (as each process has) with a fleet
 * on a real Redis. Waits resolve on the registry's transition events and the store's own events.
 */
import type { CircuitState, TransitionEvent } from '../../../src/breaker/circuit-state.js';
import type { ProviderHealthOptions } from '../../../src/config/options.js';
import { parseFleetRedis } from '../../../src/config/redis-url.js';
import { resolveOptions } from '../../../src/config/resolve.js';
import { type RegistryFleet, startFleet } from '../../../src/fleet/registry-fleet.js';
import type { Provider } from '../../../src/providers/provider.js';
import { ProviderRegistry } from '../../../src/providers/registry.js';
import { type LogLine, nextEvent, uniqueFleet, WAIT_MS } from './stores.js';

export interface Replica {
  id: string;
  registry: ProviderRegistry;
  fleet: RegistryFleet;
  logs: LogLine[];
  transitions: TransitionEvent[];
  provider(name?: string): Provider;
}

export interface ReplicaOptions {
  options?: ProviderHealthOptions;
  /** Heartbeat and command timeout; semantic tests use a long command timeout so a busy machine is no outage. */
  heartbeatMs?: number;
  commandTimeoutMs?: number;
}

export class Replicas {
  private readonly all: Replica[] = [];

  /** `count` replicas of one fleet on `url` (a proxy's for a replica to cut off), connected. */
  async start(
    urls: string | readonly string[],
    count: number,
    options: ReplicaOptions = {},
  ): Promise<Replica[]> {
    const fleetName = uniqueFleet('r');
    const started = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        this.one(typeof urls === 'string' ? urls : (urls[i] ?? ''), fleetName, `replica-${i}`, options),
      ),
    );
    await Promise.all(
      started.map((r) => (r.fleet.connected ? undefined : nextEvent(r.fleet.store, 'connected'))),
    );
    return started;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.all.splice(0).map((r) => r.fleet.close()));
  }

  private async one(url: string, fleet: string, id: string, options: ReplicaOptions): Promise<Replica> {
    const registry = new ProviderRegistry(
      resolveOptions({ recoveryTimeout: 60_000, ...options.options }, {}),
    );
    const logs: LogLine[] = [];
    const transitions: TransitionEvent[] = [];
    registry.events.on('transition', (event) => transitions.push(event));
    const started = await startFleet(registry, {
      redis: parseFleetRedis(url, 'test'),
      fleet,
      replicaId: id,
      log: (level, message) => logs.push({ level, message }),
      heartbeatMs: options.heartbeatMs ?? 500,
      commandTimeoutMs: options.commandTimeoutMs ?? 2_000,
    });
    const replica: Replica = {
      id,
      registry,
      fleet: started,
      logs,
      transitions,
      provider: (name = 'openai') => registry.getOrCreateProvider(name),
    };
    this.all.push(replica);
    return replica;
  }
}

/** Drives a breaker as the admission gate does: admit, and if admitted record `outcome`. */
export function request(provider: Provider, outcome: 'success' | 'provider_error' | 'client_error'): number {
  const admission = provider.admit();
  if (admission < 0) {
    provider.record(admission, 'rejected', 0, -1, -1);
    return admission;
  }
  const status = outcome === 'success' ? 200 : outcome === 'client_error' ? 400 : 503;
  provider.record(admission, outcome, status, 5, 2, `HTTP ${status}`);
  return admission;
}

/** Resolves once `provider`'s breaker in `replica` is in `state` (now or after a transition). */
export function circuit(
  replica: Replica,
  state: CircuitState,
  name = 'openai',
): Promise<TransitionEvent | undefined> {
  const breaker = replica.provider(name).breaker;
  if (breaker.state === state)
    return Promise.resolve(replica.transitions.findLast((t) => t.provider === name));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${replica.id}: ${name} never became ${state} (is ${breaker.state})`));
    }, WAIT_MS);
    const off = replica.registry.events.on('transition', (event) => {
      if (event.provider !== name || event.to !== state) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

/** Lets replies and messages arrive between steps that no event announces. */
export const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
