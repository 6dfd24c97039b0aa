import type { Resource } from '@opentelemetry/resources';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import type { ProviderRegistry } from '../../providers/registry.js';
import { hasGlobalTracerProvider } from '../global-providers.js';
import type { Env } from '../otel-env.js';
import { otelApi } from '../otel-packages.js';
import { enableInstrumentations, type PluginInstrumentations } from './instrumentations.js';
import { setPluginTracerProvider } from './plugin-tracer.js';
import { createPrivateTracerProvider } from './private-tracer-provider.js';
import { ProviderSpanProcessor } from './provider-span-processor.js';
import { addSpanProcessor } from './tracer-provider-processors.js';

/**
 * Where the plugin's spans go: the service's global TracerProvider, a private one, or nowhere
 * (yet). Built at preload time, not a tick later like the metrics: a request the application
 * makes on its first line must already have its span. That costs loading the trace SDK and the
 * instrumentations at start-up, which is paid only when spans have somewhere to go: a
 * TracerProvider a service registered before the preload, or `OTEL_TRACES_EXPORTER` (or an OTLP
 * endpoint). A service that registers its own provider later is adopted at the next check.
 */
export class PluginTracing {
  private privateProvider: TracerProvider | undefined;
  private instrumentations: PluginInstrumentations | undefined;
  private usingGlobal = false;
  /** Provider attributes and outcomes on every HTTP client span to a provider, whoever makes it. */
  private readonly processor: ProviderSpanProcessor;

  constructor(
    private readonly registry: ProviderRegistry,
    env: Env,
    resource: () => Resource,
  ) {
    this.processor = new ProviderSpanProcessor(registry);
    if (hasGlobalTracerProvider()) {
      this.adoptGlobal();
      return;
    }
    // Never `register()`ed: no global provider, context manager or propagator of ours, so a service's
    // later sdk-node registers its own. The cost: our spans have no parent from the service's context.
    this.privateProvider = createPrivateTracerProvider(env, resource, this.processor);
    if (this.privateProvider === undefined) return;
    setPluginTracerProvider(this.privateProvider);
    this.instrumentations = enableInstrumentations(registry, this.privateProvider);
  }

  get mode(): 'global' | 'private' | 'off' {
    return this.usingGlobal ? 'global' : this.privateProvider !== undefined ? 'private' : 'off';
  }

  /**
   * Called when a global TracerProvider is (or becomes) registered: our spans move there. If our
   * instrumentations were already running, the service's own (started with its SDK) take over.
   */
  adoptGlobal(): void {
    if (this.usingGlobal) return;
    this.usingGlobal = true;
    setPluginTracerProvider(undefined);
    const global = otelApi().trace.getTracerProvider();
    addSpanProcessor(global, this.processor);
    if (this.instrumentations === undefined)
      this.instrumentations = enableInstrumentations(this.registry, global);
    else {
      this.instrumentations.setTracerProvider(global);
      this.instrumentations.yieldToService();
    }
    const previous = this.privateProvider;
    this.privateProvider = undefined;
    void previous?.shutdown().catch(() => undefined);
  }

  async forceFlush(): Promise<void> {
    await this.privateProvider?.forceFlush();
  }

  async shutdown(): Promise<void> {
    this.instrumentations?.disable();
    this.instrumentations = undefined;
    const provider = this.privateProvider;
    this.privateProvider = undefined;
    if (provider !== undefined) {
      setPluginTracerProvider(undefined);
      await provider.shutdown();
    }
  }
}
