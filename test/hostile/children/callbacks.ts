import { getRegistry, healthMonitor } from 'provider-health';
import type { Command } from '../../intercept/children/runtime.js';

/** Values a callback may throw or reject with that a logger cannot simply stringify. */
function hostileValues(): Array<[string, () => unknown]> {
  const fail = (): never => {
    throw new Error('a trap that throws');
  };
  return [
    ['Object.create(null)', () => Object.create(null)],
    [
      'an Error whose message getter throws',
      () => {
        const error = new Error('x');
        Object.defineProperty(error, 'message', { get: fail });
        Object.defineProperty(error, 'name', { get: fail });
        return error;
      },
    ],
    [
      'a Proxy whose every trap throws',
      () => new Proxy({}, { get: fail, getPrototypeOf: fail, has: fail, ownKeys: fail, apply: fail }),
    ],
    [
      'a revoked Proxy',
      () => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      },
    ],
    ['an object whose toString throws', () => ({ toString: fail, [Symbol.toPrimitive]: fail })],
    ['a Symbol', () => Symbol('thrown')],
    ['undefined', () => undefined],
  ];
}

/** One listener of each kind per value: throwing, async rejecting, and returning a hostile thenable. */
function hostileListeners(): Array<(...args: unknown[]) => unknown> {
  const listeners: Array<(...args: unknown[]) => unknown> = [];
  for (const [, make] of hostileValues()) {
    listeners.push(() => {
      throw make();
    });
    listeners.push(async () => {
      await null;
      throw make();
    });
    listeners.push(() => ({
      // biome-ignore lint/suspicious/noThenProperty: a hostile thenable, on purpose.
      get then() {
        throw make();
      },
    }));
    listeners.push(() => ({
      // biome-ignore lint/suspicious/noThenProperty: a hostile thenable, on purpose.
      then() {
        throw make();
      },
    }));
  }
  return listeners;
}

/** What well-behaved listeners, subscribed after all the hostile ones, saw. */
const seen = { transitions: [] as string[], statuses: [] as string[], records: 0, rejects: 0 };

export const callbackCommands: Record<string, Command> = {
  /**
   * Subscribes hostile listeners to every event of the event surface and as status callbacks,
   * then well-behaved counting listeners after them.
   */
  hostileCallbacks: () => {
    const events = getRegistry().events;
    for (const listener of hostileListeners()) {
      healthMonitor.addStatusCallback(listener);
      events.on('status', listener);
      events.on('transition', listener);
      events.on('record', listener);
      events.on('reject', listener);
    }
    events.on('transition', (event) => {
      seen.transitions.push(`${event.provider}:${event.from}->${event.to}`);
    });
    events.on('status', (event) => {
      seen.statuses.push(`${event.provider}:${event.status}`);
    });
    events.on('record', () => {
      seen.records++;
    });
    events.on('reject', () => {
      seen.rejects++;
    });
    return { listeners: hostileListeners().length };
  },

  seen: () => seen,
};
