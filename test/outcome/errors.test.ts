import { describe, expect, it } from 'vitest';
import { classify } from '../../src/outcome/classify.js';
import type { Outcome } from '../../src/outcome/outcome.js';

const coded = (code: string, name = 'Error') => Object.assign(new Error(`${code} happened`), { code, name });
/** How fetch (undici) wraps network failures. */
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });

describe('error codes', () => {
  it.each<[string, Outcome]>([
    ['ECONNREFUSED', 'connection_error'],
    ['ECONNRESET', 'connection_error'],
    ['EPIPE', 'connection_error'],
    ['ENOTFOUND', 'connection_error'],
    ['EAI_AGAIN', 'connection_error'],
    ['EHOSTUNREACH', 'connection_error'],
    ['ENETUNREACH', 'connection_error'],
    ['UND_ERR_SOCKET', 'connection_error'],
    ['UND_ERR_CLOSED', 'connection_error'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'connection_error'],
    ['ERR_TLS_HANDSHAKE_TIMEOUT', 'connection_error'],
    ['CERT_HAS_EXPIRED', 'connection_error'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'connection_error'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'connection_error'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'connection_error'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'connection_error'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['ESOCKETTIMEDOUT', 'timeout'],
    ['UND_ERR_ABORTED', 'canceled'],
    ['ABORT_ERR', 'canceled'],
    ['HPE_INVALID_CONSTANT', 'provider_error'],
    ['ERR_CIRCUIT_OPEN', 'rejected'],
  ])('%s -> %s, bare and wrapped by fetch', (code, outcome) => {
    expect(classify({ error: coded(code) })).toEqual({ outcome, reason: code });
    expect(classify({ error: fetchFailed(coded(code)) })).toEqual({ outcome, reason: code });
  });
});

describe('abort versus timeout', () => {
  it('DOMException AbortError is the caller', () => {
    expect(classify({ error: new DOMException('This operation was aborted', 'AbortError') })).toEqual({
      outcome: 'canceled',
      reason: 'AbortError',
    });
  });

  it('DOMException TimeoutError is a timeout', () => {
    expect(classify({ error: new DOMException('timed out', 'TimeoutError') }).outcome).toBe('timeout');
  });

  it("node:http's AbortError whose cause is a TimeoutError is a timeout", () => {
    const error = Object.assign(new Error('The operation was aborted'), {
      name: 'AbortError',
      code: 'ABORT_ERR',
      cause: new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    });
    expect(classify({ error })).toEqual({ outcome: 'timeout', reason: 'TimeoutError' });
  });

  it('an abort with an arbitrary reason is canceled when the signal says so', () => {
    expect(classify({ error: 'user navigated away', aborted: true })).toEqual({
      outcome: 'canceled',
      reason: 'caller aborted (string)',
    });
    expect(classify({ error: new Error('bye'), aborted: true }).outcome).toBe('canceled');
    // without the flag nothing says it was the caller
    expect(classify({ error: 'user navigated away' }).outcome).toBe('connection_error');
  });

  it('an aborted signal whose reason is a timeout stays a timeout', () => {
    const error = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classify({ error, aborted: true }).outcome).toBe('timeout');
  });

  it('rejected beats everything else in the chain', () => {
    const open = Object.assign(new Error('circuit breaker open for provider openai'), {
      name: 'CircuitOpenError',
      code: 'ERR_CIRCUIT_OPEN',
    });
    expect(classify({ error: fetchFailed(open) })).toEqual({
      outcome: 'rejected',
      reason: 'CircuitOpenError',
    });
  });
});

describe('cause chains', () => {
  it('finds the code three levels down', () => {
    const error = fetchFailed(
      new Error('wrapper', { cause: new Error('inner', { cause: coded('ECONNRESET') }) }),
    );
    expect(classify({ error }).outcome).toBe('connection_error');
  });

  it('reads AggregateError from happy eyeballs', () => {
    const error = fetchFailed(
      new AggregateError([coded('ECONNREFUSED'), coded('ENETUNREACH')], 'connect failed'),
    );
    expect(classify({ error })).toEqual({ outcome: 'connection_error', reason: 'ECONNREFUSED' });
  });

  it('stops on a cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(classify({ error: a })).toEqual({ outcome: 'connection_error', reason: 'unknown error Error' });
  });

  it('stops after a bounded depth', () => {
    let error: unknown = coded('ETIMEDOUT');
    for (let i = 0; i < 40; i++) error = new Error(`level ${i}`, { cause: error });
    expect(classify({ error }).reason).toBe('unknown error Error');
  });

  it('prefers a specific code over a generic SDK wrapper', () => {
    class APIConnectionError extends Error {}
    const error = new APIConnectionError('Connection error.', { cause: fetchFailed(coded('ENOTFOUND')) });
    expect(classify({ error })).toEqual({ outcome: 'connection_error', reason: 'ENOTFOUND' });
    expect(classify({ error: new APIConnectionError('Connection error.') }).reason).toBe(
      'APIConnectionError',
    );
  });
});

describe('unknown errors', () => {
  it('a fetch failure without a cause', () => {
    expect(classify({ error: new TypeError('fetch failed') })).toEqual({
      outcome: 'connection_error',
      reason: 'unknown error TypeError',
    });
  });

  it('never copies the message (it may hold URLs with keys)', () => {
    const error = new Error('GET https://x.test/?key=AIzaSECRET failed');
    expect(classify({ error }).reason).not.toContain('SECRET');
  });

  it.each([42, Symbol('s'), () => 1, { code: 7 }, [], true])('non-errors: %s', (error) => {
    expect(classify({ error }).outcome).toBe('connection_error');
  });

  it('names the status when the body failed after the headers', () => {
    expect(classify({ status: 200, error: coded('ECONNRESET') })).toEqual({
      outcome: 'connection_error',
      reason: 'ECONNRESET after HTTP 200',
    });
  });

  it('no status and no error', () => {
    expect(classify({})).toEqual({ outcome: 'connection_error', reason: 'no response and no error' });
  });
});

describe('errors that carry a response', () => {
  it('axios-like error with response', () => {
    const error = Object.assign(new Error('Request failed with status code 429'), {
      code: 'ERR_BAD_REQUEST',
      response: {
        status: 429,
        headers: { 'retry-after': '9' },
        data: { error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'quota' } },
      },
    });
    expect(classify({ error })).toEqual({
      outcome: 'quota_exhausted',
      reason: 'HTTP 429 insufficient_quota',
      retryAfterMs: 9000,
    });
  });

  it('an error with a status below 400 is still an error', () => {
    expect(classify({ error: Object.assign(new Error('x'), { status: 200 }) }).outcome).toBe(
      'connection_error',
    );
  });
});
