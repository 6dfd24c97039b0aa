import { describe, expect, it } from 'vitest';
import { declaredTimeoutMs } from '../../src/gate/declared-timeout.js';

describe('declaredTimeoutMs: the timeout a request declares in its headers', () => {
  it.each([
    [{ 'x-stainless-timeout': '600' }, 600_000], // @anthropic-ai/sdk's default, always sent
    [{ 'x-stainless-timeout': '2' }, 2_000], // truncated: the real timeout is at least this
    [{ 'x-server-timeout': '30' }, 29_000], // @google/genai, rounded up: at least one second less
    [{ 'grpc-timeout': '1973m' }, 1_973],
    [{ 'grpc-timeout': '2S' }, 2_000],
    [['grpc-timeout', '500u'], 0.5], // undici's flat array form
  ] as const)('%j declares %d ms', (headers, ms) => {
    expect(declaredTimeoutMs(headers)).toBe(ms);
  });

  it.each([
    { 'x-stainless-timeout': '0' }, // a sub-second Stainless timeout
    { 'x-server-timeout': '1' }, // a @google/genai timeout of at most 1 s
    { 'x-stainless-timeout': 'soon' },
    { 'grpc-timeout': '5 minutes' },
    {},
    undefined,
  ])('%j declares nothing the abort rule can use', (headers) => {
    expect(declaredTimeoutMs(headers)).toBeUndefined();
  });
});
