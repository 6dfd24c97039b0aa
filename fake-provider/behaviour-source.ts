import type { Behaviour, BehaviourSpec, FakeRequestWithBody } from './types.js';

const OK: Behaviour = { kind: 'ok' };

/**
 * Where each request's behaviour comes from: the next scripted one if any, else the default.
 * A function is asked per request; returning undefined falls through to the default (or ok).
 */
export class BehaviourSource {
  #script: BehaviourSpec[] = [];
  #default: BehaviourSpec = OK;

  script(behaviours: readonly BehaviourSpec[]): void {
    this.#script.push(...behaviours);
  }

  setDefault(behaviour: BehaviourSpec): void {
    this.#default = behaviour;
  }

  /** Scripted behaviours not yet used. */
  get pending(): number {
    return this.#script.length;
  }

  reset(): void {
    this.#script = [];
    this.#default = OK;
  }

  next(req: FakeRequestWithBody): Behaviour {
    const scripted = this.#script.shift();
    const chosen = scripted === undefined ? undefined : resolve(scripted, req);
    return chosen ?? resolve(this.#default, req) ?? OK;
  }
}

function resolve(spec: BehaviourSpec, req: FakeRequestWithBody): Behaviour | undefined {
  return typeof spec === 'function' ? spec(req) : spec;
}
