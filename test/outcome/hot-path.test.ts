import { describe, expect, it } from 'vitest';
import { classify, type HeaderSource, SUCCESS_CLASSIFICATION } from '../../src/outcome/classify.js';

/** Counts reads, so the test can prove success does not touch headers. */
function countingHeaders(): HeaderSource & { reads: number } {
  return {
    reads: 0,
    get(name: string) {
      this.reads++;
      return name === 'retry-after' ? '1' : undefined;
    },
  };
}

describe('hot path', () => {
  it('returns one shared frozen object for every plain success', () => {
    const a = classify({ status: 200 });
    const b = classify({ status: 201, body: 'ignored' });
    expect(a).toBe(SUCCESS_CLASSIFICATION);
    expect(b).toBe(SUCCESS_CLASSIFICATION);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a.outcome).toBe('success');
  });

  it('reads no headers for a success', () => {
    const headers = countingHeaders();
    for (const status of [200, 204, 301, 304, 399]) classify({ status, headers });
    expect(headers.reads).toBe(0);
  });

  it('does read headers for an error response (the counter works)', () => {
    const headers = countingHeaders();
    classify({ status: 429, headers });
    expect(headers.reads).toBeGreaterThan(0);
  });

  it('a status override takes the success off the fast path', () => {
    expect(classify({ status: 204 }, { statusOverrides: { 204: 'provider_error' } })).toEqual({
      outcome: 'provider_error',
      reason: 'HTTP 204 (status rule)',
    });
  });
});
