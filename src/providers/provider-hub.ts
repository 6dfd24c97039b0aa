import type { TransitionEvent } from '../breaker/circuit-state.js';
import type { Mode } from '../config/options.js';
import type { HealthReport, HealthStatus } from '../health/health-status.js';
import type { Outcome } from '../outcome/outcome.js';
import type { Listeners } from './listeners.js';
import type { Provider } from './provider.js';

/**
 * Called for every recorded request, positionally so the hot path allocates nothing;
 * telemetry sets it to feed its histograms. Absent durations are -1.
 */
export type RecordObserver = (
  provider: Provider,
  outcome: Outcome,
  statusCode: number,
  durationMs: number,
  ttfbMs: number,
) => void;

/** Called when a request is answered locally because its provider's circuit is open (telemetry: a span of its own). */
export type RejectObserver = (provider: Provider, method: string, url: string) => void;

export type StatusCallback = (
  provider: string,
  status: HealthStatus,
  previous: HealthStatus,
  report: HealthReport,
) => void;

/** What every provider shares with its registry: the mode, the listeners and the record observer. */
export interface ProviderHub {
  readonly mode: Mode;
  onRecord: RecordObserver | undefined;
  readonly transitionListeners: Listeners<[TransitionEvent]>;
  readonly statusListeners: Listeners<Parameters<StatusCallback>>;
}
