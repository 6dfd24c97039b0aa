/**
 * Commands for a replica of a fleet (test/fleet/replica-processes.test.ts, bench/fleet/run.ts):
 * what its breakers did, with times on the machine's monotonic clock (process.hrtime, one clock
 * for every process on the host, so replicas' times compare), and a background request loop.
 */
import { getRegistry } from 'provider-health';
import { client, type Target } from './clients.js';
import { type Args, num } from './runtime.js';

/** Milliseconds on the host's monotonic clock: comparable across processes on one machine. */
const hostNow = (): number => Number(process.hrtime.bigint()) / 1e6;

interface Transition {
  provider: string;
  from: string;
  to: string;
  reason: string;
  detail: string | undefined;
  at: number;
}

export interface Observations {
  transitions: Transition[];
  /** Requests admitted as half-open trials. */
  trials: { provider: string; at: number }[];
  /** Requests that ended in a failure that trips the breaker. */
  failures: { provider: string; at: number }[];
}

let observed: Observations | undefined;

/** Starts recording (once); `observations` then returns what happened since the last read. */
function observe(): Observations {
  if (observed !== undefined) return observed;
  const record: Observations = { transitions: [], trials: [], failures: [] };
  const events = getRegistry().events;
  events.on('transition', (event) => {
    record.transitions.push({
      provider: event.provider,
      from: event.from,
      to: event.to,
      reason: event.reason,
      detail: event.detail,
      at: hostNow(),
    });
  });
  events.on('record', (provider, request) => {
    if (request.admission > 0) record.trials.push({ provider: provider.name, at: hostNow() });
    if (provider.tripOn.includes(request.outcome))
      record.failures.push({ provider: provider.name, at: hostNow() });
  });
  observed = record;
  return record;
}

interface Load {
  running: boolean;
  sent: number;
  rejected: number;
  done: Promise<void>;
}
let load: Load | undefined;

const FLEET = Symbol.for('provider-health.fleet');
interface FleetHandle {
  connected: boolean;
  store: { replicaId: string; stats(): { commands: number; snapshots: number } };
}

export const fleetCommands: Record<string, (args: Args) => unknown> = {
  observe: () => {
    observe();
    return hostNow();
  },

  /** What happened since the last call (and forgets it). */
  observations: () => {
    const record = observe();
    const copy: Observations = {
      transitions: record.transitions.splice(0),
      trials: record.trials.splice(0),
      failures: record.failures.splice(0),
    };
    return copy;
  },

  /** This replica's fleet, as the preload attached it to the registry. */
  fleet: () => {
    const fleet = (getRegistry() as unknown as Record<symbol, FleetHandle | undefined>)[FLEET];
    if (fleet === undefined) return null;
    const stats = fleet.store.stats();
    return {
      connected: fleet.connected,
      replica: fleet.store.replicaId,
      commands: stats.commands,
      snapshots: stats.snapshots,
    };
  },

  /**
   * Requests one after another in the background, with a pause of `gapMs` (± half of it, so the
   * replicas do not march in step) between them: `{ client?, target?, gapMs }`.
   */
  startLoad: (args: Args) => {
    if (load?.running) throw new Error('a load is running');
    const run = client(
      typeof args.client === 'string' ? args.client : 'fetch',
      (args.target ?? 'openai') as Target,
    );
    const gapMs = num(args, 'gapMs', 10);
    const state: Load = { running: true, sent: 0, rejected: 0, done: Promise.resolve() };
    state.done = (async () => {
      while (state.running) {
        state.sent++;
        try {
          const reply = await run({ retries: false });
          if (reply.headers?.['x-provider-health'] === 'circuit-open') state.rejected++;
        } catch {
          // A connection error is the provider's answer; the breaker counted it.
        }
        await new Promise((resolve) => setTimeout(resolve, gapMs * (0.5 + Math.random())));
      }
    })();
    load = state;
    return null;
  },

  stopLoad: async () => {
    const state = load;
    if (state === undefined) return { sent: 0, rejected: 0 };
    state.running = false;
    await state.done;
    load = undefined;
    return { sent: state.sent, rejected: state.rejected };
  },
};
