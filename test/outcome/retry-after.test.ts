import { describe, expect, it, vi } from 'vitest';
import {
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  parseRetryAfterMs,
  retryAfterMsFromHeaders,
} from '../../src/outcome/retry-after.js';

const NOW = Date.parse('Sun, 06 Nov 1994 08:49:00 GMT');

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['1', 1000],
    ['120', 120_000],
    [' 30 ', 30_000],
    ['1.5', 1500], // fractions: accepted, as the official SDKs do
    ['86400', MAX_RETRY_AFTER_MS],
  ])('delta seconds %j -> %d ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT', 37_000],
    ['RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT', 37_000],
    ['asctime (GMT by definition)', 'Sun Nov  6 08:49:37 1994', 37_000],
    ['exactly now', 'Sun, 06 Nov 1994 08:49:00 GMT', 0],
  ])('HTTP date, %s', (_, value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it.each([
    ['negative', '-5'],
    ['not a number', 'soon'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['exponent', '1e3'],
    ['hex', '0x10'],
    ['empty', ''],
    ['over a day', '86401'],
    ['an epoch timestamp in seconds', '1732700000'],
    ['a date in the past', 'Sun, 06 Nov 1994 08:48:59 GMT'],
    ['a date more than a day ahead', 'Tue, 08 Nov 1994 08:49:00 GMT'],
    ['a bare number Date.parse would take for a year', 'May 7'],
    ['an invalid date', 'Sun, 99 Foo 1994 99:99:99 GMT'],
    ['too long', `${'9'.repeat(70)}`],
  ])('ignores %s', (_, value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  it('ignores absent values', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('uses the clock when now is not given', () => {
    vi.useFakeTimers({ now: NOW });
    try {
      expect(parseRetryAfter(new Date(NOW + 10_000).toUTCString())).toBe(10_000);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('parseRetryAfterMs', () => {
  it.each([
    ['250', 250],
    ['0', 0],
    ['12.2', 13],
  ])('%j -> %d', (value, ms) => {
    expect(parseRetryAfterMs(value)).toBe(ms);
  });

  it.each(['-1', 'abc', '', '86400001', '1e2'])('ignores %j', (value) => {
    expect(parseRetryAfterMs(value)).toBeUndefined();
  });
});

describe('retryAfterMsFromHeaders', () => {
  it('prefers retry-after-ms', () => {
    expect(retryAfterMsFromHeaders(new Headers({ 'retry-after-ms': '10', 'retry-after': '5' }))).toBe(10);
  });

  it('falls back to retry-after when retry-after-ms is unusable', () => {
    expect(retryAfterMsFromHeaders(new Headers({ 'retry-after-ms': 'x', 'retry-after': '5' }))).toBe(5000);
  });

  it('is undefined without headers', () => {
    expect(retryAfterMsFromHeaders(undefined)).toBeUndefined();
    expect(retryAfterMsFromHeaders(new Headers())).toBeUndefined();
  });
});
