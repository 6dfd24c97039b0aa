import { describe, expect, it } from 'vitest';
import { classify, headersFromRecord } from '../../src/outcome/classify.js';

describe('headersFromRecord', () => {
  it('reads node:http IncomingHttpHeaders', () => {
    const headers = headersFromRecord({
      'retry-after': '3',
      'set-cookie': ['a=1', 'b=2'],
      'x-empty': undefined,
    });
    expect(headers.get('retry-after')).toBe('3');
    expect(headers.get('set-cookie')).toBe('a=1');
    expect(headers.get('x-empty')).toBeUndefined();
    expect(headers.get('missing')).toBeUndefined();
  });

  it('ignores what is not a header value (prototype keys, numbers)', () => {
    const headers = headersFromRecord({ count: 3 } as unknown as Record<string, string>);
    expect(headers.get('count')).toBeUndefined();
    expect(headers.get('constructor')).toBeUndefined();
    expect(headers.get('__proto__')).toBeUndefined();
  });

  it('reads undici raw headers (Buffers, any case)', () => {
    const raw = [
      Buffer.from('Content-Type'),
      Buffer.from('application/json'),
      Buffer.from('Retry-After'),
      Buffer.from('12'),
      Buffer.from('X-Fal-Error-Type'),
      Buffer.from('request_timeout'),
    ];
    const headers = headersFromRecord(raw);
    expect(headers.get('retry-after')).toBe('12');
    expect(headers.get('x-fal-error-type')).toBe('request_timeout');
    expect(headers.get('retry-after-ms')).toBeUndefined();
    expect(headers.get('content-typ')).toBeUndefined();
  });

  it('reads raw headers given as strings, and a Buffer slice of a larger pool', () => {
    const pool = Buffer.from('xxRetry-Afteryy7zz');
    const raw = [pool.subarray(2, 13), pool.subarray(15, 16)];
    expect(headersFromRecord(raw).get('retry-after')).toBe('7');
    expect(headersFromRecord(['retry-after', '8']).get('retry-after')).toBe('8');
  });

  it('tolerates an odd-length raw array and empty input', () => {
    expect(headersFromRecord([Buffer.from('retry-after')]).get('retry-after')).toBeUndefined();
    expect(headersFromRecord(undefined).get('retry-after')).toBeUndefined();
    expect(headersFromRecord(null).get('retry-after')).toBeUndefined();
  });

  it('feeds classify', () => {
    const raw = [Buffer.from('retry-after'), Buffer.from('2')];
    expect(classify({ status: 429, headers: headersFromRecord(raw) })).toEqual({
      outcome: 'rate_limited',
      reason: 'HTTP 429',
      retryAfterMs: 2000,
    });
  });
});
