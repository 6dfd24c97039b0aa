import type { CircuitState } from '../breaker/circuit-state.js';
import type { LiveEvent, TransitionMessage } from './live-event.js';

export const TIMELINE_SPAN_MS = 3_600_000;

export interface TimelineSegment {
  state: CircuitState;
  /** Position and width as percentages of the last hour. */
  left: number;
  width: number;
  from: number;
  to: number;
}

/**
 * The last hour of one provider's circuit as coloured segments: before the first transition in
 * the window the circuit was in that transition's `from` state; after the last, it is `current`.
 * The page's script (status-page-js.ts) draws the same segments the same way when live.
 */
export function timelineSegments(
  events: readonly LiveEvent[],
  provider: string,
  current: CircuitState,
  now: number,
): TimelineSegment[] {
  const start = now - TIMELINE_SPAN_MS;
  const transitions = events.filter(
    (event): event is TransitionMessage =>
      event.type === 'transition' && event.provider === provider && Date.parse(event.at) >= start,
  );
  const segments: TimelineSegment[] = [];
  let from = start;
  let state: CircuitState = transitions[0]?.from ?? current;
  for (const transition of transitions) {
    const at = Date.parse(transition.at);
    segments.push(segment(state, from, at, start));
    from = at;
    state = transition.to;
  }
  segments.push(segment(state, from, now, start));
  // A circuit that opened and closed within a second still shows: at least 0.6% wide.
  return segments.filter((s) => s.to > s.from || s.state !== 'closed');
}

function segment(state: CircuitState, from: number, to: number, start: number): TimelineSegment {
  const left = ((from - start) / TIMELINE_SPAN_MS) * 100;
  const width = Math.max(0.6, ((to - from) / TIMELINE_SPAN_MS) * 100);
  return { state, left, width, from, to };
}
