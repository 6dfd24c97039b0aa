import { hasSubscribers } from 'node:diagnostics_channel';
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { lazyRequire } from '../../common/lazy-require.js';
import { describeError, log } from '../../common/log.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import {
  otelApi,
  otelInstrumentation,
  otelInstrumentationHttp,
  otelInstrumentationUndici,
} from '../otel-packages.js';
import { httpInstrumentationConfig } from './http-hooks.js';
import { undiciInstrumentationConfig } from './undici-hooks.js';

/** Our own instrumentation-undici / -http instances, traced only for provider requests. */
export interface PluginInstrumentations {
  setTracerProvider(provider: TracerProvider): void;
  /**
   * Stands down where the service now runs its own instrumentation (its SDK started after the
   * preload): a second instance would double every client span.
   */
  yieldToService(): void;
  disable(): void;
}

type NodeHttp = typeof import('node:http');

function noMetrics(): MeterProvider {
  const meter = otelApi().createNoopMeter();
  return { getMeter: () => meter };
}

/**
 * Enables instrumentation-undici and -http for provider requests, unless the service already runs
 * its own (then it gets our enrichment by passing `undiciInstrumentationConfig` /
 * `httpInstrumentationConfig`; a second instance would double every client span). "Already runs"
 * is read from undici's request channel having subscribers and from `http.request` being wrapped.
 * Constructing an instrumentation enables it against the global provider, so the tracer provider
 * is set right after, before any request can start. Ours record spans only: their
 * `http.client.request.duration` would land, for provider requests only, in a service's
 * MeterProvider that did not ask for it (and beside its own instrumentation's, under one name). instrumentation-http patches `http` and
 * `https` when they are next required: they are required here at once, so a request the
 * application makes on its first line, with modules it loaded before the preload, is traced too.
 */
export function enableInstrumentations(
  registry: ProviderRegistry,
  tracerProvider: TracerProvider,
): PluginInstrumentations {
  let undici: UndiciInstrumentation | undefined;
  let http: HttpInstrumentation | undefined;
  let ourHttpRequest: NodeHttp['request'] | undefined;
  const nodeHttp = lazyRequire<NodeHttp>('http');
  try {
    if (hasSubscribers('undici:request:create'))
      log(
        'info',
        'fetch/undici is already instrumented; pass undiciInstrumentationConfig() to it for provider attributes',
      );
    else {
      const { UndiciInstrumentation } = otelInstrumentationUndici();
      undici = new UndiciInstrumentation(undiciInstrumentationConfig(registry, { providersOnly: true }));
      undici.setTracerProvider(tracerProvider);
      undici.setMeterProvider(noMetrics());
    }
    if (otelInstrumentation().isWrapped(nodeHttp.request))
      log(
        'info',
        'node:http is already instrumented; pass httpInstrumentationConfig() to it for provider attributes',
      );
    else {
      const { HttpInstrumentation } = otelInstrumentationHttp();
      http = new HttpInstrumentation(httpInstrumentationConfig(registry, { providersOnly: true }));
      http.setTracerProvider(tracerProvider);
      http.setMeterProvider(noMetrics());
      lazyRequire<NodeHttp>('http');
      lazyRequire<NodeHttp>('https');
      ourHttpRequest = nodeHttp.request;
    }
  } catch (error) {
    log('warn', 'HTTP client instrumentation could not be enabled; provider spans are not recorded', {
      error: describeError(error),
    });
  }
  return {
    setTracerProvider: (provider) => {
      undici?.setTracerProvider(provider);
      http?.setTracerProvider(provider);
    },
    yieldToService: () => {
      try {
        if (undici !== undefined) {
          // Ours unsubscribed, anyone still listening is the service's instrumentation.
          undici.disable();
          if (hasSubscribers('undici:request:create')) {
            undici = undefined;
            log(
              'info',
              "the service instruments fetch/undici itself; provider-health's own undici spans stop",
            );
          } else undici.enable();
        }
        // The service's instrumentation-http wraps over ours: ours stays in the chain (unwrapping it
        // would unwrap theirs) but traces nothing more.
        if (http !== undefined && ourHttpRequest !== undefined && nodeHttp.request !== ourHttpRequest) {
          http.setConfig({ ...http.getConfig(), ignoreOutgoingRequestHook: () => true });
          log('info', "the service instruments node:http itself; provider-health's own http spans stop");
          http = undefined;
        }
      } catch (error) {
        log('warn', 'checking for the service’s own HTTP instrumentation failed', {
          error: describeError(error),
        });
      }
    },
    disable: () => {
      undici?.disable();
      http?.disable();
      undici = undefined;
      http = undefined;
    },
  };
}
