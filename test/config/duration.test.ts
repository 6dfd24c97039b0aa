import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, parseDuration, parsePositiveDuration } from '../../src/config/index.js';
import { configErrorFrom } from './helpers.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['60s', 60_000],
    ['1m', 60_000],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    ['.5s', 500],
    ['0', 0],
    ['250', 250],
    [' 30s ', 30_000],
    [250, 250],
    [1.6, 2],
    [0, 0],
    ['2147483647', MAX_DURATION_MS],
  ])('%j is %d ms', (input, expected) => {
    expect(parseDuration(input, 'k')).toBe(expected);
  });

  it.each([
    -1,
    '-1',
    '-5s',
    Number.NaN,
    'NaN',
    Number.POSITIVE_INFINITY,
    '',
    's',
    '5 s',
    '5sec',
    '1M',
    '1d',
    '1e3',
    '1m30s',
    '0x10',
    '1.',
    null,
    true,
    {},
    [],
    MAX_DURATION_MS + 1,
    '25d',
    '999999h',
  ])('rejects %j, naming the key and the accepted forms', (input) => {
    const error = configErrorFrom(() => parseDuration(input, 'recoveryTimeout'));
    expect(error.key).toBe('recoveryTimeout');
    expect(error.value).toBe(input);
    expect(error.message).toContain('invalid recoveryTimeout=');
    expect(error.message).toContain('expected a duration such as 500ms, 60s');
  });

  it('puts the file in the message when given one', () => {
    const error = configErrorFrom(() => parseDuration('soon', 'statsWindow', '/tmp/ph.yaml'));
    expect(error.message).toBe(
      `provider-health: invalid statsWindow="soon" in /tmp/ph.yaml: expected ${error.accepted}`,
    );
  });

  it('parsePositiveDuration refuses 0 but takes the rest', () => {
    expect(parsePositiveDuration('1ms', 'k')).toBe(1);
    expect(configErrorFrom(() => parsePositiveDuration('0s', 'k')).accepted).toContain('greater than 0');
  });
});
