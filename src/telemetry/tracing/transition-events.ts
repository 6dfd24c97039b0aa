import type { Attributes } from '@opentelemetry/api';
import type { TransitionEvent } from '../../breaker/circuit-state.js';
import { log, logOnce } from '../../common/log.js';
import { otelGlobalRegistered } from '../../common/otel-global.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import { ATTR } from '../metric-names.js';
import { otelApi } from '../otel-packages.js';
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

/** One transition as a structured log line: written whether or not telemetry runs. */
export function logTransition(event: TransitionEvent): void {
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
}

/**
 * One transition as a span event. The event goes on the active span when there is a recording
 * one (the request whose outcome caused it, when context reached us), else on a short INTERNAL
 * span of its own so it is never lost (timers, half-open timeouts). Without a context manager
 * registered there is no active span; without a tracer there is nowhere to record.
 */
export function traceTransition(event: TransitionEvent): void {
  try {
    const attributes = eventAttributes(event);
    const active = otelGlobalRegistered('context') ? otelApi().trace.getActiveSpan() : undefined;
    if (active?.isRecording()) {
      active.addEvent(TRANSITION_EVENT_NAME, attributes, event.at);
      return;
    }
    const tracer = pluginTracer();
    if (tracer === undefined) return;
    const { SpanKind } = otelApi();
    const span = tracer.startSpan(TRANSITION_EVENT_NAME, {
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

/** The log line and, when tracing runs, the span event. */
export function reportTransition(event: TransitionEvent): void {
  logTransition(event);
  traceTransition(event);
}

const installed = new WeakMap<ProviderRegistry, boolean>();

/**
 * Subscribes to a registry's transitions once, however often telemetry is started: the log line
 * always, the span event unless telemetry is off (`OTEL_SDK_DISABLED`).
 */
export function reportTransitions(registry: ProviderRegistry, traced = true): void {
  const current = installed.get(registry);
  if (current === true || current === traced) return;
  if (current === undefined) registry.events.on('transition', logTransition);
  if (traced) registry.events.on('transition', traceTransition);
  installed.set(registry, traced);
}
