import { describe, expect, it } from 'vitest';
import { parseMessage, parseReply, WireError } from '../../src/fleet/fleet-wire.js';

const GEN = '0123456789abcdef';
const VIEW = {
  p: 'openai',
  state: 'open',
  epoch: 7,
  failures: 0,
  successes: 0,
  trials: 0,
  retryInMs: 59_000,
  forced: false,
  openedBy: 'host:1:ab',
  reason: 'failure_threshold',
  detail: 'HTTP 503',
  by: 'host:1:ab',
};
const MESSAGE = { v: 1, fleet: 'checkout', gen: GEN, seq: 7, view: VIEW };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof WireError) return error.refusal;
    throw error;
  }
  return 'accepted';
}

const message = (body: unknown): string => refusal(() => parseMessage(JSON.stringify(body), 'checkout'));

describe('parseMessage', () => {
  it('reads a change and a tick', () => {
    expect(parseMessage(JSON.stringify(MESSAGE), 'checkout')).toEqual({
      generation: GEN,
      seq: 7,
      view: {
        provider: 'openai',
        state: 'open',
        epoch: 7,
        failures: 0,
        successes: 0,
        trials: 0,
        retryInMs: 59_000,
        forced: false,
        openedBy: 'host:1:ab',
        reason: 'failure_threshold',
        detail: 'HTTP 503',
        by: 'host:1:ab',
      },
    });
    expect(
      parseMessage(JSON.stringify({ v: 1, fleet: 'checkout', gen: GEN, seq: 9, tick: true }), 'checkout'),
    ).toEqual({
      generation: GEN,
      seq: 9,
      view: undefined,
    });
  });

  it("reads an endpoint's circuit, named provider@key", () => {
    const name = `${'p'.repeat(64)}@${'k'.repeat(64)}`;
    for (const p of ['aws.bedrock@us-east-1', name])
      expect(
        parseMessage(JSON.stringify({ ...MESSAGE, view: { ...VIEW, p } }), 'checkout').view?.provider,
      ).toBe(p);
  });

  it('refuses another fleet as foreign, and junk as what it is', () => {
    expect(message({ ...MESSAGE, fleet: 'billing' })).toBe('foreign');
    expect(refusal(() => parseMessage('{"v":1,', 'checkout'))).toBe('not_json');
    expect(refusal(() => parseMessage('x'.repeat(9_000), 'checkout'))).toBe('too_large');
    expect(refusal(() => parseMessage('[1,2]', 'checkout'))).toBe('malformed');
    expect(refusal(() => parseMessage('null', 'checkout'))).toBe('malformed');
  });

  it.each([
    ['version', { ...MESSAGE, v: 2 }],
    ['fleet name', { ...MESSAGE, fleet: 'a}b' }],
    ['generation', { ...MESSAGE, gen: 'XYZ' }],
    ['seq not matching the epoch', { ...MESSAGE, seq: 8 }],
    ['negative seq', { ...MESSAGE, seq: -1 }],
    ['fractional epoch', { ...MESSAGE, seq: 7.5, view: { ...VIEW, epoch: 7.5 } }],
    ['huge epoch', { ...MESSAGE, seq: 2 ** 60, view: { ...VIEW, epoch: 2 ** 60 } }],
    ['provider name', { ...MESSAGE, view: { ...VIEW, p: '__proto__' } }],
    ['endpoint with two @', { ...MESSAGE, view: { ...VIEW, p: 'aws.bedrock@us-east-1@x' } }],
    ['endpoint with no provider', { ...MESSAGE, view: { ...VIEW, p: '@us-east-1' } }],
    ['endpoint key of 65', { ...MESSAGE, view: { ...VIEW, p: `aws.bedrock@${'k'.repeat(65)}` } }],
    ['state', { ...MESSAGE, view: { ...VIEW, state: 'ajar' } }],
    ['reason', { ...MESSAGE, view: { ...VIEW, reason: 'because' } }],
    ['retry beyond a timer', { ...MESSAGE, view: { ...VIEW, retryInMs: 2 ** 31 } }],
    ['no end while closed', { ...MESSAGE, view: { ...VIEW, state: 'closed', retryInMs: -1 } }],
    ['forced as text', { ...MESSAGE, view: { ...VIEW, forced: 'yes' } }],
    ['trials beyond the lease bound', { ...MESSAGE, view: { ...VIEW, trials: 65 } }],
    ['detail too long', { ...MESSAGE, view: { ...VIEW, detail: 'd'.repeat(1_025) } }],
    ['replica id with a space', { ...MESSAGE, view: { ...VIEW, openedBy: 'a b' } }],
    ['code where a string belongs', { ...MESSAGE, view: { ...VIEW, detail: { toString: 'x' } } }],
    ['no view and no tick', { v: 1, fleet: 'checkout', gen: GEN, seq: 1 }],
  ])('refuses a bad %s', (_name, body) => {
    expect(message(body)).toBe('malformed');
  });
});

describe('parseReply', () => {
  it('reads a snapshot and refuses a view filed under another provider', () => {
    const body = {
      gen: GEN,
      seq: 7,
      result: 'snapshot',
      views: { openai: VIEW },
      replicas: { 'host:1:ab': 12 },
      replicaCount: 1,
    };
    const reply = parseReply(JSON.stringify(body));
    expect(reply.views?.get('openai')?.state).toBe('open');
    expect(reply.replicas?.get('host:1:ab')).toBe(12);
    expect(refusal(() => parseReply(JSON.stringify({ ...body, views: { anthropic: VIEW } })))).toBe(
      'malformed',
    );
  });

  it('reads a lease and refuses one with a bad id, and anything that is not a string', () => {
    const granted = { gen: GEN, seq: 3, result: 'granted', view: VIEW, lease: { id: '3.1', ms: 30_000 } };
    expect(parseReply(JSON.stringify(granted)).lease).toEqual({ id: '3.1', ms: 30_000 });
    expect(refusal(() => parseReply(JSON.stringify({ ...granted, lease: { id: 'x', ms: 1 } })))).toBe(
      'malformed',
    );
    expect(refusal(() => parseReply(42))).toBe('malformed');
    expect(refusal(() => parseReply(JSON.stringify({ ...granted, result: 'maybe' })))).toBe('malformed');
  });
});
