import type { BehaviourSpec } from '../fake-provider/index.js';

/**
 * The outage the demo plays, in seconds of a normal run. `--fast` divides every time by
 * FAST_SPEED; the breaker's recovery timeout and stats window shrink with it. OpenAI first
 * slows down: nothing fails yet, but its early warning (trend) and its p95 time to first byte
 * against the baseline it learned in the first minute mark it degraded, and chat, which
 * prefers OpenAI, moves to Anthropic before the first error.
 */
export interface ScenarioStep {
  at: number;
  behaviour: BehaviourSpec;
  /** What the terminal says when the step starts. */
  label: string;
}

export type DemoProvider = 'openai' | 'anthropic' | 'fal';

export const FAST_SPEED = 4;
export const SCENARIO_SECONDS = 140;

/** The slow-down step and the failure step of OpenAI: chat must leave OpenAI between the two. */
export const OPENAI_SLOWS = 'openai slows down (1.5 s per call)';
export const OPENAI_FAILS = 'openai fails (HTTP 500)';

export const SCENARIO: Record<DemoProvider, ScenarioStep[]> = {
  anthropic: [
    { at: 0, behaviour: { kind: 'ok' }, label: 'anthropic healthy' },
    { at: 12, behaviour: { status: 529 }, label: 'anthropic overloaded (HTTP 529)' },
    { at: 45, behaviour: { kind: 'ok' }, label: 'anthropic recovers' },
  ],
  openai: [
    { at: 0, behaviour: { kind: 'ok' }, label: 'openai healthy' },
    { at: 60, behaviour: { kind: 'delay', ms: 1500 }, label: OPENAI_SLOWS },
    { at: 100, behaviour: { status: 500 }, label: OPENAI_FAILS },
    { at: 118, behaviour: { kind: 'ok' }, label: 'openai recovers' },
  ],
  fal: [
    { at: 0, behaviour: { status: 503 }, label: 'fal.ai down (HTTP 503)' },
    { at: 30, behaviour: { kind: 'ok' }, label: 'fal.ai recovers' },
  ],
};

/** The transitions the scenario must produce, in order per provider (the demo test checks them). */
export const EXPECTED_TRANSITIONS: Record<DemoProvider, string[]> = {
  anthropic: ['closed>open', 'open>half_open', 'half_open>closed'],
  openai: ['closed>open', 'open>half_open', 'half_open>closed'],
  fal: ['closed>open', 'open>half_open', 'half_open>closed'],
};

export interface Timing {
  speed: number;
  recoveryTimeoutMs: number;
  statsWindowMs: number;
  /** Degraded above this many times the baseline p95 time to first byte, and this floor. */
  degradedLatencyBaseline: string;
}

export function timing(fast: boolean): Timing {
  const speed = fast ? FAST_SPEED : 1;
  return {
    speed,
    recoveryTimeoutMs: Math.round(15_000 / speed),
    statsWindowMs: Math.round(30_000 / speed),
    degradedLatencyBaseline: '3x,500ms',
  };
}
