import type { CircuitBreaker } from '../breaker/circuit-breaker.js';
import type { TransitionEvent } from '../breaker/circuit-state.js';
import type { Provider } from '../providers/provider.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { FleetBreakerLink } from './breaker-link.js';
import type { FleetLog } from './fleet-log.js';
import type { FleetProviderState } from './fleet-mirror.js';
import { createFleetStore, type FleetStore } from './fleet-store.js';
import type { FleetSeed, FleetStoreOptions, FleetView } from './fleet-types.js';

// On the registry under Symbol.for, like the registry itself on globalThis: the health server of
// either build (CommonJS preload, ESM app) finds the fleet the preload attached.
const FLEET = Symbol.for('provider-health.fleet');
type RegistryWithFleet = ProviderRegistry & { [FLEET]?: RegistryFleet };

/** The fleet attached to `registry`, if one was started. */
export function fleetOf(registry: ProviderRegistry): RegistryFleet | undefined {
  return (registry as RegistryWithFleet)[FLEET];
}

export type StartFleetOptions = Omit<FleetStoreOptions, 'clock' | 'localOpenings'>;

/**
 * Starts the store (loading the Redis client only now) and shares every breaker of `registry`
 * through it. Resolves at once: the store connects in the background, and until it does each
 * breaker decides alone. Rejects only with FleetClientMissingError.
 */
export async function startFleet(
  registry: ProviderRegistry,
  options: StartFleetOptions,
): Promise<RegistryFleet> {
  let fleet: RegistryFleet | undefined;
  const store = await createFleetStore({
    ...options,
    clock: registry.clock,
    localOpenings: () => fleet?.localOpenings() ?? [],
  });
  fleet = new RegistryFleet(registry, store, options.log ?? (() => undefined));
  const holder = registry as RegistryWithFleet;
  const previous = holder[FLEET];
  holder[FLEET] = fleet;
  if (previous !== undefined) void previous.close();
  return fleet;
}

/**
 * One registry's breakers, shared through one store (docs/design.md, "Fleet"). While the store is
 * connected every breaker has a link (its coordinator) and takes the fleet's state; when it is
 * not, every breaker decides alone at once, and on reconnecting takes the fleet's state again. An
 * opening a breaker made alone meanwhile is offered to the fleet (a seed), as its failures would
 * have been counted there.
 */
export class RegistryFleet {
  private readonly links = new Map<string, FleetBreakerLink>();
  /** Openings made while disconnected, with their detail, by provider. */
  private readonly alone = new Map<string, { detail: string | undefined }>();
  private readonly unsubscribe: (() => void)[];
  private stopLinking: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    readonly registry: ProviderRegistry,
    readonly store: FleetStore,
    private readonly log: FleetLog,
  ) {
    this.unsubscribe = [
      store.on('state', (state) => this.onState(state)),
      store.on('counted', (provider) => this.links.get(provider)?.counted()),
      store.on('connected', () => this.onConnected()),
      store.on('disconnected', () => this.onDisconnected()),
      registry.events.on('transition', (event) => this.onTransition(event)),
    ];
    if (store.connected) this.onConnected();
  }

  get connected(): boolean {
    return this.store.connected;
  }

  view(): FleetView {
    return this.store.view();
  }

  /** The fleet's state of one provider as this replica knows it; undefined: closed, nothing counted. */
  state(provider: string): FleetProviderState | undefined {
    return this.store.state(provider);
  }

  /** Openings made alone while Redis was unreachable, offered to a store that lost its data. */
  localOpenings(): FleetSeed[] {
    const seeds: FleetSeed[] = [];
    for (const [name, { detail }] of this.alone) {
      const breaker = this.registry.getProvider(name)?.breaker;
      if (breaker !== undefined && breaker.state !== 'closed') seeds.push(this.seedOf(breaker, detail));
    }
    return seeds;
  }

  /** Every breaker decides alone again; the store gives back its leases and leaves the fleet. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const off of this.unsubscribe) off();
      this.unlinkAll();
      await this.store.close();
    })();
    return this.closing;
  }

  private onConnected(): void {
    this.unlinkAll();
    this.stopLinking = this.registry.forEachProvider((provider) => this.link(provider));
  }

  private onDisconnected(): void {
    this.unlinkAll();
  }

  private onState(state: FleetProviderState): void {
    // While disconnected the breakers decide alone; they take the fleet's state on reconnecting.
    if (this.store.connected) this.links.get(state.provider)?.apply(state);
  }

  private onTransition(event: TransitionEvent): void {
    if (event.to === 'closed') this.alone.delete(event.provider);
    else if (event.to === 'open' && !this.store.connected)
      this.alone.set(event.provider, { detail: event.detail });
  }

  private link(provider: Provider): void {
    const link = new FleetBreakerLink(this.store, provider.breaker, this.registry.clock, this.log);
    this.links.get(provider.name)?.detach();
    this.links.set(provider.name, link);
    provider.breaker.coordinate(link);
    this.reconcile(link);
  }

  /**
   * The fleet's state wins, except over an opening made alone that the fleet does not know of: that
   * one is offered to the fleet, and forgotten only once the fleet has an opening (a Redis that
   * answers for a moment and goes away again must not make this replica forget it).
   */
  private reconcile(link: FleetBreakerLink): void {
    const name = link.provider;
    const state = this.store.state(name);
    const alone = this.alone.get(name);
    if (
      alone === undefined ||
      link.breaker.state === 'closed' ||
      (state !== undefined && state.state !== 'closed')
    ) {
      this.alone.delete(name);
      link.apply(state);
      return;
    }
    void this.store.seedOpen(this.seedOf(link.breaker, alone.detail)).then((opened) => {
      if (opened) this.alone.delete(name);
      const current = this.store.state(name);
      if (this.links.get(name) === link && current !== undefined && current.state !== 'closed')
        link.apply(current);
    });
  }

  private seedOf(breaker: CircuitBreaker, detail: string | undefined): FleetSeed {
    const retryInMs = breaker.retryAfterMs();
    return {
      provider: breaker.provider,
      retryInMs: Number.isFinite(retryInMs) ? retryInMs : undefined,
      forced: breaker.isForcedOpen,
      openedBy: this.store.replicaId,
      detail,
    };
  }

  private unlinkAll(): void {
    this.stopLinking?.();
    this.stopLinking = undefined;
    for (const link of this.links.values()) {
      link.detach();
      link.breaker.coordinate(undefined);
    }
    this.links.clear();
  }
}
