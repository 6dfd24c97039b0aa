import { hasSubscribers } from 'node:diagnostics_channel';
import http from 'node:http';
import type { TracerProvider } from '@opentelemetry/api';
import { isWrapped } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { describeError, log } from '../../common/log.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import { httpInstrumentationConfig } from './http-hooks.js';
import { undiciInstrumentationConfig } from './undici-hooks.js';

/** Our own instrumentation-undici / -http instances, traced only for provider requests. */
export interface PluginInstrumentations {
  setTracerProvider(provider: TracerProvider): void;
  disable(): void;
}

/**
 * Enables instrumentation-undici and -http for provider requests, unless the service already runs
 * its own (then it gets our enrichment by passing `undiciInstrumentationConfig` /
 * `httpInstrumentationConfig`; a second instance would double every client span). "Already runs"
 * is read from undici's request channel having subscribers and from `http.request` being wrapped.
 * Constructing an instrumentation enables it against the global provider, so the tracer provider
 * is set right after, before any request can start.
 */
export function enableInstrumentations(
  registry: ProviderRegistry,
  tracerProvider: TracerProvider,
): PluginInstrumentations {
  const enabled: Array<UndiciInstrumentation | HttpInstrumentation> = [];
  try {
    if (hasSubscribers('undici:request:create'))
      log(
        'info',
        'fetch/undici is already instrumented; pass undiciInstrumentationConfig() to it for provider attributes',
      );
    else
      enabled.push(new UndiciInstrumentation(undiciInstrumentationConfig(registry, { providersOnly: true })));
    if (isWrapped(http.request))
      log(
        'info',
        'node:http is already instrumented; pass httpInstrumentationConfig() to it for provider attributes',
      );
    else enabled.push(new HttpInstrumentation(httpInstrumentationConfig(registry, { providersOnly: true })));
    for (const instrumentation of enabled) instrumentation.setTracerProvider(tracerProvider);
  } catch (error) {
    log('warn', 'HTTP client instrumentation could not be enabled; provider spans are not recorded', {
      error: describeError(error),
    });
  }
  return {
    setTracerProvider: (provider) => {
      for (const instrumentation of enabled) instrumentation.setTracerProvider(provider);
    },
    disable: () => {
      for (const instrumentation of enabled) instrumentation.disable();
      enabled.length = 0;
    },
  };
}
