import type { CircuitBreaker } from '../breaker/circuit-breaker.js';
import { defaultProbe, whyNoProbe } from '../checks/default-probes.js';
import type { HealthCheckResult, HealthProbe } from '../checks/health-check.js';
import { HealthCheckScheduler } from '../checks/health-check-scheduler.js';
import { callSafely } from '../common/callbacks.js';
import { type Clock, systemClock } from '../common/clock.js';
import { compileHostPattern, wildcardPart } from '../common/host-pattern.js';
import { log } from '../common/log.js';
import {
  ENDPOINT_KEY_PATTERN,
  PROVIDER_NAME_ACCEPTED,
  PROVIDER_NAME_PATTERN,
  splitEndpointName,
} from '../common/provider-name.js';
import type { Mode, RejectWith, ResolvedOptions } from '../config/options.js';
import type { BaselineStore } from '../health/baseline-data.js';
import type { HealthReport, HealthStatus } from '../health/health-status.js';
import { BaselinePersistence } from './baseline-persistence.js';
import { CATALOG, type CatalogEntry } from './catalog.js';
import { HostMatcher } from './host-matcher.js';
import { Provider } from './provider.js';
import { ProviderEvents, type StatusEvent } from './provider-events.js';
import { buildProviderConfig } from './provider-factory.js';

/** A status callback as docs/design.md "Public API" names it: `(provider, status, previous, report)`. */
export type StatusCallback = (
  provider: string,
  status: HealthStatus,
  previous: HealthStatus,
  report: HealthReport,
) => unknown;

/** `healthMonitor` of docs/design.md "Public API": breakers by name, and status callbacks. */
export interface HealthMonitor {
  getOrCreateBreaker(name: string): CircuitBreaker;
  addStatusCallback(callback: StatusCallback): () => void;
  removeStatusCallback(callback: StatusCallback): void;
}

/**
 * All providers of this process: built-ins from the catalog plus those the user configured,
 * the host lookup that maps a request to one, and the listeners for transitions and status.
 */
export class ProviderRegistry {
  mode: Mode;
  rejectWith: RejectWith;
  /** The one event surface: record, reject, transition and status (docs/design.md, "Events"). */
  readonly events = new ProviderEvents();
  readonly healthMonitor: HealthMonitor;
  private readonly statusCallbacks = new Map<StatusCallback, (event: StatusEvent) => unknown>();
  private readonly providers = new Map<string, Provider>();
  private readonly aliases = new Map<string, string>();
  private readonly catalog = new Map<string, CatalogEntry>();
  // A provider whose hosts name endpoints (`bedrock-runtime.*.amazonaws.com`) maps each host to
  // the endpoint its `*` names; the matcher caches that per host, so the hot path is unchanged.
  private readonly hosts = new HostMatcher<Provider>((provider, host, pattern) => {
    if (pattern === undefined || provider.config.endpointKind === undefined) return provider;
    const key = wildcardPart(pattern, host);
    return key === undefined || !ENDPOINT_KEY_PATTERN.test(key) ? provider : provider.endpointFor(key, host);
  });
  private readonly probes = new Map<string, HealthProbe>();
  private readonly checks: HealthCheckScheduler;
  private providerVisitors: readonly ((provider: Provider) => void)[] = [];
  private persistence: BaselinePersistence | undefined;

  readonly options: ResolvedOptions;

  constructor(
    options: ResolvedOptions,
    readonly clock: Clock = systemClock,
  ) {
    this.mode = options.mode;
    this.rejectWith = options.rejectWith;
    for (const entry of CATALOG) {
      this.catalog.set(entry.name, entry);
      for (const alias of entry.aliases) this.aliases.set(alias, entry.name);
    }
    this.options = { ...options, providers: this.canonicalProviders(options.providers) };
    for (const entry of CATALOG) this.createProvider(entry.name);
    for (const name of Object.keys(this.options.providers)) this.getOrCreateProvider(name).active = true;
    this.checks = new HealthCheckScheduler(
      () => this.activeProviders(),
      (provider) => this.probes.get(provider.name) ?? defaultProbe(provider),
      {
        intervalMs: options.checkIntervalMs === false ? 60_000 : options.checkIntervalMs,
        timeoutMs: options.checkTimeoutMs,
        jitter: 0.1,
        feedBreaker: options.checkFeedsBreaker,
      },
    );
    this.healthMonitor = {
      getOrCreateBreaker: (name) => this.getOrCreateProvider(name).breaker,
      addStatusCallback: (callback) => this.addStatusCallback(callback),
      removeStatusCallback: (callback) => this.removeStatusCallback(callback),
    };
  }

  /** Canonical name for a name or alias (`fal.ai` -> `fal`, `gemini` -> `gcp.gemini`). */
  canonicalName(name: string): string {
    const lower = name.toLowerCase();
    return this.aliases.get(lower) ?? lower;
  }

  /** A provider, or one of its endpoints by `provider@key` (`aws.bedrock@us-east-1`); undefined if unknown. */
  getProvider(name: string): Provider | undefined {
    const { provider, endpoint } = splitEndpointName(name);
    const found = this.providers.get(this.canonicalName(provider));
    return endpoint === undefined ? found : found?.existingEndpoint(endpoint.toLowerCase());
  }

  /** An existing provider, or a new one with no hosts (for `execute()` and explicit breakers). */
  getOrCreateProvider(name: string): Provider {
    const { provider, endpoint } = splitEndpointName(name);
    const found =
      this.providers.get(this.canonicalName(provider)) ?? this.createProvider(this.canonicalName(provider));
    if (endpoint === undefined) return found;
    const key = endpoint.toLowerCase();
    if (!ENDPOINT_KEY_PATTERN.test(key)) {
      throw new RangeError(
        `provider-health: invalid endpoint "${key.slice(0, 80)}" of ${found.name}: ${PROVIDER_NAME_ACCEPTED}`,
      );
    }
    return found.endpointFor(key);
  }

  /** The hot-path lookup: one Map hit for any origin seen before. */
  providerForOrigin(origin: string): Provider | undefined {
    return this.hosts.forOrigin(origin);
  }

  providerForHost(host: string, port: number): Provider | undefined {
    return this.hosts.forHost(host, port);
  }

  /** Adds a host pattern to a provider (creating the provider if new). Throws HostPatternError for a bad one. */
  addHost(name: string, pattern: string): Provider {
    const provider = this.getOrCreateProvider(name);
    this.hosts.add(compileHostPattern(pattern), provider);
    return provider;
  }

  /** A user's status callback, on the event surface; it may be async, and it may throw. */
  addStatusCallback(callback: StatusCallback): () => void {
    if (this.statusCallbacks.has(callback)) return () => this.removeStatusCallback(callback);
    const listener = (event: StatusEvent): unknown =>
      callback(event.provider, event.status, event.previous, event.report);
    Object.defineProperty(listener, 'name', { value: callback.name });
    this.statusCallbacks.set(callback, listener);
    this.events.on('status', listener);
    return () => this.removeStatusCallback(callback);
  }

  removeStatusCallback(callback: StatusCallback): void {
    const listener = this.statusCallbacks.get(callback);
    if (listener === undefined) return;
    this.statusCallbacks.delete(callback);
    this.events.off('status', listener);
  }

  /**
   * Calls `visit` for every provider and endpoint now and for each one created later (the fleet
   * shares every breaker, including those of providers first named by `execute()` and of
   * endpoints first seen in a request's host); returns the way to stop.
   */
  forEachProvider(visit: (provider: Provider) => void): () => void {
    this.providerVisitors = [...this.providerVisitors, visit];
    for (const provider of this.providers.values()) {
      callSafely('provider', visit, provider, undefined);
      for (const endpoint of provider.endpoints) callSafely('provider', visit, endpoint, undefined);
    }
    return () => {
      this.providerVisitors = this.providerVisitors.filter((other) => other !== visit);
    };
  }

  listProviders(): Provider[] {
    return [...this.providers.values()];
  }

  /** Providers that have seen traffic or were configured: the ones health endpoints report. */
  activeProviders(): Provider[] {
    return this.listProviders().filter((provider) => provider.active);
  }

  getHealthStatuses(): Record<string, HealthStatus> {
    const statuses: Record<string, HealthStatus> = {};
    for (const provider of this.activeProviders()) statuses[provider.name] = provider.getHealthStatus();
    return statuses;
  }

  /** Users may key settings by an alias (`fal.ai`); merge them under the canonical name. */
  private canonicalProviders(providers: ResolvedOptions['providers']): ResolvedOptions['providers'] {
    const result: ResolvedOptions['providers'] = {};
    for (const [name, settings] of Object.entries(providers)) {
      const canonical = this.canonicalName(name);
      const existing = result[canonical];
      result[canonical] =
        existing === undefined
          ? { ...settings }
          : { ...settings, ...existing, hosts: [...(existing.hosts ?? []), ...(settings.hosts ?? [])] };
    }
    return result;
  }

  /**
   * Takes over what the app attached to a registry this one replaces (`start(options)` after
   * code already called getRegistry()): status and transition callbacks, and custom probes.
   */
  adoptFrom(previous: ProviderRegistry): void {
    this.events.adoptFrom(previous.events, ['status', 'transition', 'trend']);
    for (const [callback, listener] of previous.statusCallbacks) this.statusCallbacks.set(callback, listener);
    for (const [name, probe] of previous.probes) this.setHealthProbe(name, probe);
  }

  /**
   * Keeps every provider's learned baseline in `store` across restarts (a directory of files,
   * `baselineDir`; a fleet's shared store later): loaded now and for providers created later,
   * saved when they learn and at exit. Returns the stop function.
   */
  persistBaselines(store: BaselineStore): () => void {
    this.persistence?.stop();
    const persistence = new BaselinePersistence(store, () => this.providers.values(), this.clock);
    this.persistence = persistence;
    persistence.start();
    return () => {
      persistence.stop();
      if (this.persistence === persistence) this.persistence = undefined;
    };
  }

  /** The store baselines are kept in, if any. */
  get baselinePersistence(): BaselinePersistence | undefined {
    return this.persistence;
  }

  /** Registers the active health check for a provider, replacing the built-in one. */
  setHealthProbe(name: string, probe: HealthProbe): void {
    this.probes.set(this.getOrCreateProvider(name).name, probe);
  }

  /** Runs active checks every `intervalMs` (default: the configured check interval, 60 s), with jitter. */
  startHealthMonitoring(intervalMs?: number): void {
    this.checks.start(intervalMs);
  }

  stopHealthMonitoring(): void {
    this.checks.stop();
  }

  get healthMonitoringRunning(): boolean {
    return this.checks.running;
  }

  /** Runs one provider's active check now (joining one already in flight). */
  async checkProvider(name: string): Promise<HealthCheckResult> {
    const provider = this.getOrCreateProvider(name);
    const check = this.checks.check(provider);
    if (check !== undefined) return check;
    return {
      provider: provider.name,
      outcome: 'skipped',
      reason: whyNoProbe(provider),
      durationMs: 0,
      circuitState: provider.breaker.state,
      checkedAt: new Date().toISOString(),
    };
  }

  private createProvider(name: string): Provider {
    if (!PROVIDER_NAME_PATTERN.test(name)) {
      throw new RangeError(
        `provider-health: invalid provider name "${name.slice(0, 80)}": expected lower-case letters, digits, '.', '_' or '-' (at most 64)`,
      );
    }
    const config = buildProviderConfig(name, this.catalog.get(name), this.options);
    // Known only here, where the catalog meets the configuration: a provider with no usage format
    // of its own (a custom one) never spends, so a budget on it would silently never act.
    if (config.budget !== undefined && config.usage === undefined)
      log('warn', `providers.${name}.budget never acts: ${name} has no usage format`, {
        key: `providers.${name}.usage`,
        accepted: 'openai, anthropic, gemini or bedrock, the format its responses report usage in',
      });
    const provider = new Provider(config, this.events, this.clock);
    provider.onEndpoint = (endpoint) => this.visitNew(endpoint);
    this.providers.set(name, provider);
    for (const pattern of config.hosts) this.hosts.add(compileHostPattern(pattern), provider);
    for (const [key, endpoint] of Object.entries(config.endpoints)) {
      const hosts = (endpoint.hosts ?? []).map((host) => compileHostPattern(host));
      const address = hosts.find((host) => !host.wildcard)?.host;
      const child = provider.endpointFor(key, address, endpoint.region);
      for (const host of hosts) this.hosts.add(host, child);
    }
    this.visitNew(provider);
    this.persistence?.adopt(provider);
    return provider;
  }

  private visitNew(provider: Provider): void {
    for (const visit of this.providerVisitors) callSafely('provider', visit, provider, undefined);
  }
}
