import type { FakeProvider } from './options.js';
import type { BehaviourSpec } from './types.js';

export interface TimelineStep {
  /** When, from the start of the timeline, this becomes the default behaviour (before `speed`). */
  readonly atMs: number;
  readonly behaviour: BehaviourSpec;
  /** Shown by the demo when the step starts. */
  readonly label?: string;
}

export interface TimelineOptions {
  /** 2 runs the timeline twice as fast: `atMs` is divided by it. @default 1 */
  readonly speed?: number;
  /** Called as each step takes effect, e.g. to print "provider down". */
  readonly onStep?: (step: TimelineStep, index: number) => void;
}

/**
 * Plays a scripted outage: at each step's time the fake's default behaviour changes
 * (scripted one-shot behaviours still go first). Returns a function that stops the rest.
 * Timers are unref'd: a forgotten timeline does not keep the process alive.
 */
export function runTimeline(
  fake: Pick<FakeProvider, 'setDefault'>,
  steps: readonly TimelineStep[],
  options: TimelineOptions = {},
): () => void {
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new RangeError(`speed must be > 0, got ${speed}`);
  const timers = steps.map((step, index) => {
    const timer = setTimeout(
      () => {
        fake.setDefault(step.behaviour);
        options.onStep?.(step, index);
      },
      Math.max(0, step.atMs / speed),
    );
    timer.unref();
    return timer;
  });
  return () => {
    for (const timer of timers) clearTimeout(timer);
  };
}
