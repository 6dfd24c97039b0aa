import type { TracerProvider } from '@opentelemetry/api';
import { log } from '../../common/log.js';
import type { SpanProcessorLike } from './provider-span-processor.js';

interface WithAddSpanProcessor {
  addSpanProcessor(processor: SpanProcessorLike): void;
}
interface WithActiveSpanProcessor {
  _activeSpanProcessor?: { _spanProcessors?: SpanProcessorLike[] };
}

const attached = new WeakMap<object, Set<SpanProcessorLike>>();

/**
 * Adds a span processor to a TracerProvider someone else built (the service's sdk-node, or the
 * provider behind the global ProxyTracerProvider). SDK 1.x has `addSpanProcessor()`; SDK 2.x
 * removed it, and its providers keep their processors in one MultiSpanProcessor that every tracer
 * shares, so adding to its list reaches spans from tracers made before. Returns false, and says
 * once how to get provider attributes another way, when the provider is neither.
 */
export function addSpanProcessor(provider: TracerProvider, processor: SpanProcessorLike): boolean {
  const target = delegateOf(provider);
  const done = attached.get(target);
  if (done?.has(processor)) return true;
  let added = false;
  if (typeof (target as Partial<WithAddSpanProcessor>).addSpanProcessor === 'function') {
    (target as WithAddSpanProcessor).addSpanProcessor(processor);
    added = true;
  } else {
    const list = (target as WithActiveSpanProcessor)._activeSpanProcessor?._spanProcessors;
    if (Array.isArray(list)) {
      // First, so the attributes are on the span before any other processor exports it.
      list.unshift(processor);
      added = true;
    }
  }
  if (!added) {
    log(
      'info',
      'the TracerProvider in use takes no span processors; provider attributes are not added to its spans',
    );
    return false;
  }
  attached.set(target, (done ?? new Set()).add(processor));
  return true;
}

function delegateOf(provider: TracerProvider): object {
  const getDelegate = (provider as { getDelegate?: unknown }).getDelegate;
  return typeof getDelegate === 'function' ? (getDelegate.call(provider) as object) : provider;
}
