import { describe, expect, it } from 'vitest';
import { fleetKeys } from '../../src/fleet/fleet-keys.js';

describe('fleetKeys', () => {
  it('puts every key and the channel under one hash tag', () => {
    const keys = fleetKeys('checkout');
    for (const key of [...keys.all, keys.channel]) expect(key.startsWith('{ph:checkout}:')).toBe(true);
    expect(new Set(keys.all).size).toBe(5);
  });
});
