/**
 * One replica in its own process, driven over stdin/stdout one JSON line a command, so a test can
 * run several and SIGKILL one (a replica that dies holding a trial lease).
 */
import { createInterface } from 'node:readline';
import { parseFleetRedis } from '../../../src/config/redis-url.js';
import type { FleetStore } from '../../../src/fleet/fleet-store.js';
import { createFleetStore } from '../../../src/fleet/fleet-store.js';
import type { FleetLease, FleetTrialOutcome } from '../../../src/fleet/fleet-types.js';

interface Command {
  id: number;
  command: string;
  args: Record<string, unknown>;
}

let store: FleetStore | undefined;
const leases = new Map<string, FleetLease>();

function send(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function need(): FleetStore {
  if (store === undefined) throw new Error('not started');
  return store;
}

async function run(command: string, args: Record<string, unknown>): Promise<unknown> {
  switch (command) {
    case 'start': {
      store = await createFleetStore({
        redis: parseFleetRedis(args.url, 'url'),
        fleet: String(args.fleet),
        replicaId: String(args.replicaId),
        log: (level, message) => send({ event: 'log', level, message }),
        commandTimeoutMs: 2_000,
        heartbeatMs: 500,
      });
      store.on('state', (state) => send({ event: 'state', state }));
      if (!store.connected) await new Promise<void>((resolve) => need().on('connected', resolve));
      return store.replicaId;
    }
    case 'failure':
      need().failure(String(args.provider), {
        failureThreshold: Number(args.failureThreshold),
        recoveryTimeoutMs: Number(args.recoveryTimeoutMs),
        detail: 'HTTP 503',
      });
      return null;
    case 'acquire': {
      const lease = await need().acquireTrialLease(String(args.provider), {
        maxTrials: Number(args.maxTrials),
        leaseMs: Number(args.leaseMs),
      });
      if (lease !== undefined) leases.set(lease.id, lease);
      return lease ?? null;
    }
    case 'result': {
      const lease = leases.get(String(args.lease));
      if (lease === undefined) throw new Error(`no lease ${String(args.lease)}`);
      need().trialResult(lease, args.outcome as FleetTrialOutcome);
      return null;
    }
    case 'reset':
      return need().reset(String(args.provider));
    case 'state':
      return need().state(String(args.provider)) ?? null;
    default:
      throw new Error(`unknown command ${command}`);
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, command, args } = JSON.parse(line) as Command;
  run(command, args).then(
    (result) => send({ id, ok: true, result }),
    (error: unknown) => send({ id, ok: false, error: String(error) }),
  );
});
process.stdin.on('end', () => {
  void (store?.close() ?? Promise.resolve()).then(() => process.exit(0));
});
