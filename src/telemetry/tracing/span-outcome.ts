import type { Attributes, Span } from '@opentelemetry/api';
import { logOnce } from '../../common/log.js';
import type { RequestLink } from '../../gate/request-links.js';
import { classify } from '../../outcome/classify.js';
import type { HeaderSource } from '../../outcome/headers.js';
import type { Outcome } from '../../outcome/outcome.js';
import type { Provider } from '../../providers/provider.js';
import { ATTR } from '../metric-names.js';

/** Returned by start-span hooks for requests that are not to a provider: nothing to add. */
export const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** What an HTTP client span to a provider starts with: the provider and its circuit state right now. */
export function providerSpanAttributes(provider: Provider): Attributes {
  return { [ATTR.provider]: provider.name, [ATTR.circuitState]: provider.breaker.state };
}

/**
 * The outcome a span carries: the request's own classification when the gate observed it (the
 * same one the metric and the breaker got), `rejected` for a request the gate answered locally.
 * A provider request the gate did not observe (inside `execute()`, through a dispatcher that was
 * not wrapped) has no record to agree with; it is classified from what the span saw.
 */
export function spanOutcome(
  link: RequestLink | undefined,
  provider: Provider | undefined,
  seen: { status?: number; headers?: HeaderSource; error?: unknown },
): Outcome | undefined {
  if (link === 'rejected') return 'rejected';
  if (link !== undefined) return link.classification?.outcome;
  if (provider === undefined) return undefined;
  return classify(seen, provider.config.rules).outcome;
}

/** Sets `ai_provider.outcome` on a span that may already have ended; never throws into the request. */
export function setSpanOutcome(span: Span, outcome: Outcome | undefined): void {
  if (outcome === undefined) return;
  try {
    if (span.isRecording()) span.setAttribute(ATTR.outcome, outcome);
  } catch (error) {
    logOnce('tracing:outcome', 'setting the span outcome failed', error);
  }
}
