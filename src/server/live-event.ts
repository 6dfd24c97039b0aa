import type { CircuitState, TransitionEvent, TransitionReason } from '../breaker/circuit-state.js';
import type { HealthReason, HealthStatus } from '../health/health-status.js';
import type { StatusEvent } from '../providers/provider-events.js';
import type { ProvidersView } from './health-json.js';

/** What SSE and WebSocket clients receive; the same JSON on both. */
export interface TransitionMessage {
  type: 'transition';
  id: number;
  provider: string;
  from: CircuitState;
  to: CircuitState;
  reason: TransitionReason;
  at: string;
  /** When the circuit opened: when its half-open trials may start (null while held open). */
  next_trial_at?: string | null;
  detail?: string;
}

export interface StatusMessage {
  type: 'status';
  id: number;
  provider: string;
  status: HealthStatus;
  previous: HealthStatus;
  reasons: HealthReason[];
  at: string;
}

/** Replayable events: they carry an id and are kept in the recent buffer. */
export type LiveEvent = TransitionMessage | StatusMessage;

/** Current state of everything; sent on connect and every few seconds, never replayed. */
export interface SnapshotMessage extends ProvidersView {
  type: 'snapshot';
  /** Id of the newest event so far: a client resuming from here misses nothing. */
  last_event_id: number;
}

export function transitionMessage(id: number, event: TransitionEvent): TransitionMessage {
  const message: TransitionMessage = {
    type: 'transition',
    id,
    provider: event.provider,
    from: event.from,
    to: event.to,
    reason: event.reason,
    at: new Date(event.at).toISOString(),
  };
  if (event.to === 'open')
    message.next_trial_at = event.nextTrialAt === undefined ? null : iso(event.nextTrialAt);
  if (event.detail !== undefined) message.detail = event.detail.slice(0, 500);
  return message;
}

export function statusMessage(id: number, event: StatusEvent): StatusMessage {
  return {
    type: 'status',
    id,
    provider: event.provider,
    status: event.status,
    previous: event.previous,
    reasons: [...event.report.reasons],
    at: iso(event.at),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();
