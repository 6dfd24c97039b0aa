import type { Attributes, Span } from '@opentelemetry/api';
import { isCircuitOpenError } from '../../breaker/circuit-open-error.js';
import { classify } from '../../outcome/classify.js';
import type { HeaderSource } from '../../outcome/headers.js';
import type { Outcome } from '../../outcome/outcome.js';
import type { Provider } from '../../providers/provider.js';
import { logOnce } from '../log.js';
import { ATTR } from '../metric-names.js';

/** Returned by start-span hooks for requests that are not to a provider: nothing to add. */
export const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** What an HTTP client span to a provider starts with: the provider and its circuit state right now. */
export function providerSpanAttributes(provider: Provider): Attributes {
  return { [ATTR.provider]: provider.name, [ATTR.circuitState]: provider.breaker.state };
}

/** The outcome of a response, as the breaker would see it (headers are read only for error statuses). */
export function outcomeOfResponse(status: number, headers: HeaderSource | undefined): Outcome {
  return classify({ status, headers }).outcome;
}

/** The outcome of a failed request; our own circuit-open answer is `rejected`, not a connection error. */
export function outcomeOfError(error: unknown): Outcome {
  if (isCircuitOpenError(error)) return 'rejected';
  return classify({ error }).outcome;
}

/** Sets `ai_provider.outcome` on a span that may already have ended; never throws into the request. */
export function setSpanOutcome(span: Span, outcome: Outcome): void {
  try {
    if (span.isRecording()) span.setAttribute(ATTR.outcome, outcome);
  } catch (error) {
    logOnce('tracing:outcome', 'setting the span outcome failed', error);
  }
}
