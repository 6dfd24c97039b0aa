import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ProviderRegistry } from '../../providers/registry.js';
import { hasGlobalTracerProvider } from '../global-providers.js';
import {
  checkOtlpProtocol,
  type Env,
  exporterList,
  otlpUrl,
  positiveNumber,
  warnUnsupportedExporter,
} from '../otel-env.js';
import { enableInstrumentations, type PluginInstrumentations } from './instrumentations.js';
import { setPluginTracerProvider } from './plugin-tracer.js';
import { ProviderSpanProcessor } from './provider-span-processor.js';
import { addSpanProcessor } from './tracer-provider-processors.js';

/** Where the plugin's spans go: the service's global TracerProvider, a private one, or nowhere yet. */
export class PluginTracing {
  private privateProvider: NodeTracerProvider | undefined;
  private instrumentations: PluginInstrumentations | undefined;
  private usingGlobal = false;
  /** Provider attributes and outcomes on every HTTP client span to a provider, whoever makes it. */
  private readonly processor: ProviderSpanProcessor;

  constructor(
    private readonly registry: ProviderRegistry,
    env: Env,
    resource: Resource,
  ) {
    this.processor = new ProviderSpanProcessor(registry);
    if (hasGlobalTracerProvider()) {
      this.adoptGlobal();
      return;
    }
    const exporters = exporterList(env, 'OTEL_TRACES_EXPORTER', []);
    for (const name of exporters) if (name !== 'otlp') warnUnsupportedExporter('OTEL_TRACES_EXPORTER', name);
    if (!exporters.includes('otlp')) return;
    checkOtlpProtocol(env, 'traces');
    const exporter = new OTLPTraceExporter({
      url: otlpUrl(env, 'traces'),
      timeoutMillis: positiveNumber(env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT, 10_000),
    });
    // Never `register()`ed: no global provider, context manager or propagator of ours, so a service's
    // later sdk-node registers its own. The cost: our spans have no parent from the service's context.
    this.privateProvider = new NodeTracerProvider({
      resource,
      spanProcessors: [this.processor, new BatchSpanProcessor(exporter)],
    });
    setPluginTracerProvider(this.privateProvider);
    this.instrumentations = enableInstrumentations(registry, this.privateProvider);
  }

  get mode(): 'global' | 'private' | 'off' {
    return this.usingGlobal ? 'global' : this.privateProvider !== undefined ? 'private' : 'off';
  }

  /** Called when a global TracerProvider is (or becomes) registered: our spans move there. */
  adoptGlobal(): void {
    if (this.usingGlobal) return;
    this.usingGlobal = true;
    setPluginTracerProvider(undefined);
    const global = trace.getTracerProvider();
    addSpanProcessor(global, this.processor);
    if (this.instrumentations === undefined)
      this.instrumentations = enableInstrumentations(this.registry, global);
    else this.instrumentations.setTracerProvider(global);
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
