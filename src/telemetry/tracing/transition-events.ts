import { type Attributes, SpanKind, trace } from '@opentelemetry/api';
import type { TransitionEvent } from '../../breaker/circuit-state.js';
import { log, logOnce } from '../../common/log.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import { ATTR } from '../metric-names.js';
import { pluginTracer } from './plugin-tracer.js';

export const TRANSITION_EVENT_NAME = 'ai_provider.circuit.transition';

function eventAttributes(event: TransitionEvent): Attributes {
  const attributes: Attributes = {
    [ATTR.provider]: event.provider,
    [ATTR.circuitFrom]: event.from,
    [ATTR.circuitTo]: event.to,
    'ai_provider.circuit.reason': event.reason,
  };
  if (event.detail !== undefined) attributes['ai_provider.circuit.detail'] = event.detail;
  return attributes;
}

/**
 * One transition: a structured log line, and a span event. The event goes on the active span
 * when there is a recording one (the request whose outcome caused it, when context reached us),
 * else on a short INTERNAL span of its own so it is never lost (timers, half-open timeouts).
 */
export function reportTransition(event: TransitionEvent): void {
  log(
    event.to === 'open' ? 'warn' : 'info',
    `circuit ${event.from} -> ${event.to} for provider ${event.provider}`,
    {
      provider: event.provider,
      from: event.from,
      to: event.to,
      reason: event.reason,
      detail: event.detail,
    },
  );
  try {
    const attributes = eventAttributes(event);
    const active = trace.getActiveSpan();
    if (active?.isRecording()) {
      active.addEvent(TRANSITION_EVENT_NAME, attributes, event.at);
      return;
    }
    const span = pluginTracer().startSpan(TRANSITION_EVENT_NAME, {
      kind: SpanKind.INTERNAL,
      attributes,
      startTime: event.at,
    });
    span.addEvent(TRANSITION_EVENT_NAME, attributes, event.at);
    span.end();
  } catch (error) {
    logOnce('tracing:transition', 'recording a transition span event failed', error);
  }
}

const installed = new WeakSet<ProviderRegistry>();

/** Subscribes `reportTransition` to a registry, once however often telemetry is started. */
export function reportTransitions(registry: ProviderRegistry): void {
  if (installed.has(registry)) return;
  installed.add(registry);
  registry.events.on('transition', reportTransition);
}
