export { hasGlobalMeterProvider, hasGlobalTracerProvider } from './global-providers.js';
export { createProviderInstruments, METER_NAME, type ProviderInstruments } from './metrics/instruments.js';
export {
  LATER_CHECKS_MS,
  type MetricsRequestHandler,
  startTelemetry,
  type TelemetryHandle,
} from './otel-setup.js';
export { httpInstrumentationConfig } from './tracing/http-hooks.js';
export { recordRejectedSpan, redactUrl } from './tracing/rejected-span.js';
export { reportTransition, TRANSITION_EVENT_NAME } from './tracing/transition-events.js';
export { type HookOptions, undiciInstrumentationConfig } from './tracing/undici-hooks.js';
